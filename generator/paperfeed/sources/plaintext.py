"""Plain-text listings: Hugging Face Papers search results saved as text.

The format: optional page-chrome lines at the top ("Get trending papers in your email inbox
once a day!"), the first title possibly glued to the button text "Subscribe", then a title
line and an abstract line for each paper. Blank lines between papers are tolerated.
Misalignment (an abstract missing, lines out of step) is an error naming the line.

The `text` source reads a listing file by path or URL (its `url`). Its format is detected
from the bytes, so it may also point at a saved API response or page; as plain text says
nothing about empty days, a text listing with no papers fails unless `expect_papers: false`.
"""

from __future__ import annotations

import re

from paperfeed.errors import ListingError
from paperfeed.model import Paper
from paperfeed.paper_ids import normalise_arxiv_id
from paperfeed.sources._types import Format, Key, Source
from paperfeed.text import clean

_CHROME = re.compile(
    r"^(?:get trending papers in your email inbox.*|subscribe|sign up|log in|"
    r"papers|daily papers|trending papers|search results?.*)$",
    re.IGNORECASE,
)
_GLUED_SUBSCRIBE = re.compile(r"^Subscribe(?=\S)")
# Titles are short and abstracts long; these bounds sit far outside what real listings hold
# (the seed listing: titles up to 135 characters, abstracts from 444) and catch lines out of
# step, where an abstract lands in a title's place.
MAX_TITLE_CHARS = 400
MIN_ABSTRACT_CHARS = 40
# An arXiv id written on the title line, as some saved listings carry it: "2401.01234 Title".
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LEADING_ID = re.compile(r"^\[?(?:arXiv:)?(\d{4}\.\d{4,5}(?:v\d+)?)\]?\s+(?=\S)")


def detect(data: bytes) -> bool:
    """Anything that decodes as text and is not markup or JSON."""
    head = data[:2048].lstrip()
    if not head or head[:1] in (b"<", b"{", b"["):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode(data: bytes, origin: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ListingError(f"{origin}:{line}: not UTF-8 text (byte {err.start}); save the listing as UTF-8") from None


def parse(data: bytes, origin: str) -> list[Paper]:
    """Parse a plain-text listing into papers, in listing order."""
    # Lines end at \n, \r\n or \r only, as editors count them (str.splitlines would also break
    # at U+2028, form feeds and other separators, and so misnumber every later line).
    lines = [(number, clean(raw)) for number, raw in enumerate(_LINE_BREAK.split(_decode(data, origin)), 1)]
    lines = [(number, text) for number, text in lines if text]
    while lines and _CHROME.match(lines[0][1]):
        lines.pop(0)
    if not lines:
        raise ListingError(f"{origin}: no papers found; expected a title line, then its abstract")
    first_number, first_text = lines[0]
    lines[0] = (first_number, _GLUED_SUBSCRIBE.sub("", first_text))

    papers: list[Paper] = []
    for index in range(0, len(lines), 2):
        title_number, title = lines[index]
        if index + 1 >= len(lines):
            raise ListingError(
                f"{origin}:{title_number}: title {_short(title)} has no abstract line after it; "
                "every title needs its abstract on the next line"
            )
        abstract_number, abstract = lines[index + 1]
        if len(title) > MAX_TITLE_CHARS:
            raise ListingError(
                f"{origin}:{title_number}: expected a title but found {len(title)} characters "
                "of running text; is an abstract missing above this line?"
            )
        if len(abstract) < MIN_ABSTRACT_CHARS:
            raise ListingError(
                f"{origin}:{abstract_number}: expected the abstract of {_short(title)} but found "
                f"a {len(abstract)}-character line; is an abstract missing, or a title split?"
            )
        arxiv_id = None
        match = _LEADING_ID.match(title)
        if match:
            arxiv_id = normalise_arxiv_id(match.group(1))
            title = title[match.end() :]
        papers.append(Paper(title=title, abstract=abstract, arxiv_id=arxiv_id))
    return papers


def parse_counted(data: bytes, origin: str) -> tuple[list[Paper], int]:
    """The papers of a plain-text listing; a misaligned line is an error, so none is skipped."""
    return parse(data, origin), 0


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


FORMAT = Format("text", detect, parse_counted, says_when_empty=False, fallback=True)

EXPECT_PAPERS = Key("expect_papers", True, "true or false: whether a listing with no papers is an error")

SOURCE = Source(
    "text",
    "a listing saved as a file (plain text, or a saved payload of any format), by path or URL",
    None,
    keys=(EXPECT_PAPERS,),
)
