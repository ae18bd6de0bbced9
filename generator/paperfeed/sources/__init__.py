"""Listing formats. Each module parses one format's bytes into papers; none does I/O.

A parser is a function `parse(data: bytes, origin: str) -> list[Paper]` that raises
ListingError or SourceError naming `origin` (a path or URL) when the payload is unusable.
`detect(data)` says whether the bytes look like that format. A format may also offer
`parse_counted(data, origin) -> (papers, skipped)`, which counts the records it left out
(withdrawn papers, replacements, unreadable entries). Register a new format in FORMATS;
`parse_listing` picks one by name or by sniffing the content.

An empty listing: formats whose payload says plainly that there is nothing today (an empty
JSON list, an RSS channel without items, an API feed with no entries) return [] and set
`says_when_empty`; they raise SourceError ("format drifted") when the payload has a shape
they do not know. For the other formats zero papers may mean drift, so the caller checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from paperfeed.errors import ListingError
from paperfeed.model import Paper
from paperfeed.sources import arxiv_api, arxiv_rss, hf_api, hf_html, hf_search, plaintext

Parser = Callable[[bytes, str], list[Paper]]
CountingParser = Callable[[bytes, str], tuple[list[Paper], int]]


@dataclass(frozen=True)
class Format:
    name: str
    detect: Callable[[bytes], bool]
    parse: Parser
    parse_counted: CountingParser | None = None
    says_when_empty: bool = False  # [] means a quiet day, not a drifted format


# Order matters for detection: the most specific formats first, plain text last.
FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format("hf-api", hf_api.detect, hf_api.parse, hf_api.parse_counted, True),
        Format("hf-search", hf_search.detect, hf_search.parse, hf_search.parse_counted, True),
        Format("hf-html", hf_html.detect, hf_html.parse, hf_html.parse_counted, True),
        Format("arxiv-api", arxiv_api.detect, arxiv_api.parse, arxiv_api.parse_counted, True),
        Format("arxiv-rss", arxiv_rss.detect, arxiv_rss.parse, arxiv_rss.parse_counted, True),
        Format("text", plaintext.detect, plaintext.parse),
    )
}


def detect_format(data: bytes, origin: str) -> str:
    """The name of the first format whose detector accepts `data`."""
    for fmt in FORMATS.values():
        if fmt.detect(data):
            return fmt.name
    raise ListingError(
        f"{origin}: cannot tell what kind of listing this is: neither UTF-8 text whose first line is a title "
        f"(not starting with '<', '[' or '{{') nor a payload of one of: {', '.join(FORMATS)}; check the file"
    )


def get_format(data: bytes, origin: str, format_name: str | None = None) -> Format:
    """The named format, or the detected one."""
    name = format_name or detect_format(data, origin)
    if name not in FORMATS:
        raise ListingError(f"{origin}: unknown format {name!r}; use one of: {', '.join(FORMATS)}")
    return FORMATS[name]


def parse_listing(data: bytes, origin: str, format_name: str | None = None) -> list[Paper]:
    """Parse a listing's bytes with the named format, or the detected one."""
    return get_format(data, origin, format_name).parse(data, origin)


def parse_listing_counted(data: bytes, origin: str, format_name: str | None = None) -> tuple[list[Paper], int]:
    """Like parse_listing, plus the number of records the format skipped (0 when the format
    does not count)."""
    fmt = get_format(data, origin, format_name)
    if fmt.parse_counted is not None:
        return fmt.parse_counted(data, origin)
    return fmt.parse(data, origin), 0
