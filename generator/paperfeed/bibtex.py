"""BibTeX for archived papers, in the shape arXiv's own export gives.

Authors are written as their names read (TeX accents made Unicode, as in arXiv's own export);
titles keep their TeX. An arXiv paper becomes
`@misc{key, title, author, year, eprint, archivePrefix = {arXiv}, primaryClass, url, doi}`
(the DOI is arXiv's own, 10.48550/arXiv.ID); a paper known only by title becomes a `@misc`
with its title, authors, year and the URL of its page on this site.

Keys read as `surname2026firstword`. They are unique in the archive: when several papers share
a key, the one first seen keeps it and the others take a, b, c... in the order they were first
seen, so a key never changes once a later night adds a namesake. (A backfill into an archive
that already has papers adds papers first seen in the past, so it can move a namesake's
letter; a new archive's backfill and every later night cannot.)

Values are written inside braces, which BibTeX lets hold anything but unbalanced braces. Titles
keep their TeX; a brace without its partner is dropped, so no text (hostile or merely
truncated) can close a value early and write fields of its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from paperfeed.model import Record
from paperfeed.text import readable

# arXiv's archives: a tag is a primary class only when it names one of them (Hugging Face's
# keywords are tags too, and a word like "transformers" must not pass for a category).
_ARCHIVES = frozenset((
    "cs", "econ", "eess", "math", "stat", "q-bio", "q-fin", "physics", "astro-ph", "cond-mat", "gr-qc",
    "hep-ex", "hep-lat", "hep-ph", "hep-th", "math-ph", "nlin", "nucl-ex", "nucl-th", "quant-ph",
))  # fmt: skip
_CATEGORY = re.compile(r"([a-z-]+)(?:\.[A-Za-z-]+)?")
# Words arXiv's own keys pass over when they pick the title's first word.
_STOPWORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "how", "in", "into", "is", "it", "of",
    "on", "or", "the", "to", "toward", "towards", "via", "what", "when", "where", "which", "why", "with",
    "without",
))  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+")


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", readable(text)).encode("ascii", "ignore").decode().lower()
    return _WORD.findall(folded)


def _surname(authors: tuple[str, ...]) -> str:
    for author in authors[:1]:
        words = [word for word in _ascii_words(author) if not word.isdigit()]
        if words:
            return words[-1]
    return "anon"


def _year(record: Record) -> int:
    published = record.paper.published
    return (published or record.day).year


def base_key(record: Record) -> str:
    """`surname` + `year` + the title's first word that is not a stopword, ASCII lowercase."""
    words = _ascii_words(record.paper.title)
    first = next((word for word in words if word not in _STOPWORDS), words[0] if words else "paper")
    return f"{_surname(record.paper.authors)}{_year(record)}{first}"


def _suffix(index: int) -> str:
    """ "" for the first holder of a key, then a, b, ..., z, aa, ab, ..."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def citation_keys(records: Iterable[Record]) -> dict[str, str]:
    """Record id -> its unique citation key, for every record given (the whole archive)."""
    by_base: dict[str, list[Record]] = {}
    for record in records:
        by_base.setdefault(base_key(record), []).append(record)
    keys: dict[str, str] = {}
    for base, holders in by_base.items():
        holders.sort(key=lambda record: (record.first_seen, record.id))
        for index, record in enumerate(holders):
            keys[record.id] = base + _suffix(index)
    return keys


# A brace escaped by one backslash (an odd run of them), as in $\{0, 1\}$.
_ESCAPED_BRACE = re.compile(r"(?<!\\)((?:\\\\)*)\\([{}])")
_BACKSLASH_BRACE = re.compile(r"\\(?=[{}])")


def _paired(text: str) -> str:
    """`text` without the braces that have no partner."""
    unmatched: set[int] = set()
    opened: list[int] = []
    for index, char in enumerate(text):
        if char == "{":
            opened.append(index)
        elif char == "}":
            if opened:
                opened.pop()
            else:
                unmatched.add(index)
    unmatched.update(opened)
    return "".join(char for index, char in enumerate(text) if index not in unmatched)


def field_value(text: str) -> str:
    """`text` made safe to stand inside `{...}` for every BibTeX reader.

    Readers disagree on a backslash before a brace (BibTeX counts the brace, others take it as
    escaped), so none is left: an escaped brace becomes \\lbrace or \\rbrace (it is set notation
    in math), any other backslash before a brace is parted from it by a space, and a trailing
    backslash is followed by one. Then a brace without its partner is dropped."""
    if "\\" in text:
        text = _ESCAPED_BRACE.sub(lambda m: m.group(1) + ("\\lbrace " if m.group(2) == "{" else "\\rbrace "), text)
        text = _BACKSLASH_BRACE.sub("\\\\ ", text)
        if text.endswith("\\"):
            text += " "
    if "{" in text or "}" in text:
        text = _paired(text)
    return text


def _name(author: str) -> str:
    """One author for the `and`-separated list: a name holding the word "and" is braced whole,
    so it stays one author."""
    name = field_value(author)
    return f"{{{name}}}" if re.search(r"\band\b", name, re.IGNORECASE) else name


def primary_class(record: Record) -> str | None:
    """The paper's primary arXiv category: the first tag that names one."""
    for tag in record.paper.tags:
        match = _CATEGORY.fullmatch(tag)
        if match and match.group(1) in _ARCHIVES:
            return tag
    return None


def entry(record: Record, key: str, page_url: str) -> str:
    """The BibTeX entry of one paper; `page_url` is its page's absolute URL on this site."""
    paper = record.paper
    fields: list[tuple[str, str]] = [("title", field_value(paper.title))]
    if paper.authors:
        fields.append(("author", " and ".join(_name(readable(author)) for author in paper.authors)))
    fields.append(("year", str(_year(record))))
    if paper.arxiv_id:
        fields += [("eprint", paper.arxiv_id), ("archivePrefix", "arXiv")]
        category = primary_class(record)
        if category:
            fields.append(("primaryClass", category))
        fields += [("url", f"https://arxiv.org/abs/{paper.arxiv_id}"), ("doi", f"10.48550/arXiv.{paper.arxiv_id}")]
    else:
        fields.append(("url", page_url))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{{key},\n{body}}}\n"
