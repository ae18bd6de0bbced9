"""Likes and dislikes: the papers a reader marked, read from a text or BibTeX file and matched
against the archive.

A text file names one paper a line: an arXiv id (`2401.01234`, `arXiv:2401.01234v2`), an
arXiv or Hugging Face link, a paper's page id on the site, or its exact title (papers from
plain-text listings have no id). `#` at the start of a line or after a space starts a
comment; blank lines are ignored. A BibTeX file, as Zotero or any reference manager exports
it, names a paper an entry: by its arXiv id (`eprint`, an arXiv DOI or link, "arXiv:ID" in
`journal`) and by its title.

The files are only read, never rewritten: a line that names no archived paper yet is reported
and simply matches once that paper arrives.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bibtexparser.entrypoint import parse_string
from bibtexparser.model import Block, Entry

from paperfeed.errors import LikesError
from paperfeed.model import Record
from paperfeed.paper_ids import is_safe_id, normalise_arxiv_id, title_key
from paperfeed.text import readable

# "#" starts a comment at the start of a line or after whitespace, so "C# code" and URL
# fragments ("...#community") stay whole.
_COMMENT = re.compile(r"(?:^|\s)#.*$")
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)", re.IGNORECASE)
_ID = r"(?P<id>\d{4}\.\d{4,5}(?:v\d+)?|[a-z][a-z-]{0,19}(?:\.[A-Za-z]{2})?/\d{7}(?:v\d+)?)"
# Links and DOIs that name an arXiv paper; the scheme and "www." are optional, as people paste them.
_PAPER_LINKS = (
    re.compile(rf"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/{_ID}(?:\.pdf)?/?$", re.IGNORECASE),
    re.compile(rf"^(?:https?://)?(?:www\.)?(?:huggingface|hf)\.co/papers/{_ID}/?$", re.IGNORECASE),
    re.compile(rf"^(?:https?://(?:dx\.)?doi\.org/|doi:)?10\.48550/arxiv\.{_ID}$", re.IGNORECASE),
)
# An arXiv id inside free BibTeX text: "arXiv preprint arXiv:2401.01234", "arxiv.org/abs/...".
_ID_IN_TEXT = re.compile(rf"arxiv(?::\s*|\.org/(?:abs|pdf|html)/|\.)\s*{_ID}", re.IGNORECASE)
_BIBTEX_START = re.compile(r"@[A-Za-z]+\s*[{(]")
_BIBTEX_SUFFIXES = (".bib", ".bibtex")
_ARXIV_FIELDS = ("eprint", "arxiv", "arxivid", "arxiv_id", "arxiv-id")
_TEXT_FIELDS = ("doi", "url", "link", "number", "journal", "note", "howpublished", "volume")
_SHOWN_CHARS = 80


@dataclass(frozen=True)
class Like:
    """One line or BibTeX entry of a likes file: the paper it names, by every key it gives."""

    where: str  # "likes.txt:12", for messages
    text: str  # what it names, as written
    arxiv_id: str | None = None  # normalised: no prefix, no version
    page_id: str | None = None  # when the line could be a page id on the site
    title_key: str | None = None  # ids.title_key of the title it names


@dataclass(frozen=True)
class LikeSet:
    """What a likes file (and a dislikes file) says. `notes` are one-line reports about lines
    that name no paper at all (a link paperfeed cannot read, an entry with no title)."""

    likes: tuple[Like, ...]
    dislikes: tuple[Like, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatchedLikes:
    liked: tuple[str, ...]  # archived record ids, sorted
    disliked: tuple[str, ...]  # sorted; never also liked
    reports: tuple[str, ...]  # one line each: the notes, then lines that match no paper yet


def load_likes(likes: Path, dislikes: Path | None = None) -> LikeSet:
    """Read the likes file and, when given, the dislikes file. An unreadable file is a
    LikesError naming the file (and line, for text that is not UTF-8)."""
    liked, liked_notes = read_likes_file(likes)
    if dislikes is None:
        return LikeSet(liked, (), liked_notes)
    disliked, disliked_notes = read_likes_file(dislikes)
    return LikeSet(liked, disliked, liked_notes + disliked_notes)


def read_likes_file(path: Path) -> tuple[tuple[Like, ...], tuple[str, ...]]:
    """The papers one file names, and notes about the lines that name none."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise LikesError(f"{path}: cannot read the likes file: {err.strerror}; check the path in mkdocs.yml") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise LikesError(f"{path}:{line}: not UTF-8 text (byte {err.start}); save the file as UTF-8") from None
    if is_bibtex(path, text):
        return parse_bibtex(text, str(path))
    return parse_text(text, str(path))


def is_bibtex(path: Path, text: str) -> bool:
    """A .bib file, or one whose first line that is not blank or a comment starts an entry."""
    if path.suffix.lower() in _BIBTEX_SUFFIXES:
        return True
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith(("%", "#")):
            return bool(_BIBTEX_START.match(stripped))
    return False


def parse_text(text: str, origin: str) -> tuple[tuple[Like, ...], tuple[str, ...]]:
    likes: list[Like] = []
    notes: list[str] = []
    # Lines end where editors end them (str.splitlines also breaks at form feeds and U+2028).
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), 1):
        line = " ".join(_COMMENT.sub("", raw).split())
        if not line:
            continue
        where = f"{origin}:{number}"
        arxiv_id = arxiv_id_of(line)
        if arxiv_id is not None:
            likes.append(Like(where, line, arxiv_id=arxiv_id))
        elif _URL.match(line):
            notes.append(
                f"{where}: {_shown(line)} is not an arXiv or Hugging Face paper link; "
                "write the paper's arXiv id or exact title instead"
            )
        else:
            page_id = line if is_safe_id(line) else None
            likes.append(Like(where, line, page_id=page_id, title_key=title_key(line)))
    return tuple(likes), tuple(notes)


def arxiv_id_of(text: str) -> str | None:
    """The arXiv id an id, link or DOI names, without version; None for anything else."""
    text = text.strip()
    found = normalise_arxiv_id(text)
    if found is not None:
        return found
    bare = re.split(r"[?#]", text, maxsplit=1)[0] if _URL.match(text) else text
    for pattern in _PAPER_LINKS:
        match = pattern.match(bare)
        if match:
            return normalise_arxiv_id(match.group("id"))
    return None


def parse_bibtex(text: str, origin: str) -> tuple[tuple[Like, ...], tuple[str, ...]]:
    # bibtexparser logs each block it cannot parse; those are reported here, one line each.
    logger = logging.getLogger("bibtexparser")  # its modules' loggers inherit this level
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        library = parse_string(text)
    finally:
        logger.setLevel(level)
    entries: list[Entry] = list(library.entries)
    notes: list[str] = []
    for block in library.failed_blocks:
        recovered = getattr(block, "ignore_error_block", None)
        if isinstance(recovered, Entry):  # a duplicate key or field: the entry itself is fine
            entries.append(recovered)
        else:
            notes.append(f"{origin}:{_line(block)}: not a complete BibTeX entry; it is skipped")
    likes: list[Like] = []
    for entry in sorted(entries, key=_line):
        where = f"{origin}:{_line(entry)}"
        fields = {field.key.lower(): str(field.value) for field in entry.fields}
        arxiv_id = _bibtex_arxiv_id(fields)
        title = " ".join(readable(fields.get("title", "")).split())  # braces and TeX accents gone
        if arxiv_id is None and not title:
            notes.append(f"{where}: the entry {entry.key!r} has no arXiv id and no title; it is skipped")
            continue
        likes.append(
            Like(
                where, title or arxiv_id or entry.key, arxiv_id=arxiv_id, title_key=title_key(title) if title else None
            )
        )
    return tuple(likes), tuple(notes)


def _line(block: Block) -> int:
    """The 1-based line a BibTeX block starts on."""
    return (block.start_line or 0) + 1


def _bibtex_arxiv_id(fields: Mapping[str, str]) -> str | None:
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "arxiv").strip().lower()
    for key in _ARXIV_FIELDS:
        if key in fields and (key != "eprint" or prefix == "arxiv"):
            found = arxiv_id_of(fields[key])
            if found is not None:
                return found
    for key in _TEXT_FIELDS:
        value = fields.get(key, "")
        found = arxiv_id_of(value)
        if found is None:
            match = _ID_IN_TEXT.search(value)
            found = normalise_arxiv_id(match.group("id")) if match else None
        if found is not None:
            return found
    return None


def match_likes(like_set: LikeSet, records: Iterable[Record]) -> MatchedLikes:
    """The archived papers the likes and dislikes name. A paper both liked and disliked counts
    as liked. Each line that names no archived paper is reported, and kept for later."""
    by_arxiv: dict[str, list[str]] = {}
    by_title: dict[str, list[str]] = {}
    page_ids: set[str] = set()
    for record in records:
        page_ids.add(record.id)
        if record.paper.arxiv_id:
            by_arxiv.setdefault(record.paper.arxiv_id, []).append(record.id)
        by_title.setdefault(title_key(record.paper.title), []).append(record.id)

    def found(like: Like) -> list[str]:
        if like.arxiv_id and like.arxiv_id in by_arxiv:
            return by_arxiv[like.arxiv_id]
        if like.page_id and like.page_id in page_ids:
            return [like.page_id]
        if like.title_key and like.title_key in by_title:
            return by_title[like.title_key]
        return []

    reports = list(like_set.notes)
    liked: set[str] = set()
    disliked: dict[str, Like] = {}
    for like in like_set.likes:
        ids = found(like)
        liked.update(ids)
        if not ids:
            reports.append(f"{like.where}: no paper in the archive matches {_shown(like.text)}; {_KEPT}")
    for like in like_set.dislikes:
        ids = found(like)
        if not ids:
            reports.append(f"{like.where}: no paper in the archive matches {_shown(like.text)}; {_KEPT}")
        for record_id in ids:
            disliked.setdefault(record_id, like)
    for record_id, like in sorted(disliked.items()):
        if record_id in liked:
            reports.append(f"{like.where}: {_shown(like.text)} is also liked; it counts as liked")
    return MatchedLikes(
        liked=tuple(sorted(liked)),
        disliked=tuple(sorted(set(disliked) - liked)),
        reports=tuple(reports),
    )


_KEPT = "it is kept for when that paper arrives"


def _shown(text: str) -> str:
    return repr(text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "...")
