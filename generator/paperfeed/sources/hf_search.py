"""Hugging Face paper search: the JSON of /api/papers/search?q=QUERY.

A JSON list of results. Each is shaped like a daily-papers entry (`{"paper": {...},
"title", ...}`) or is a flat paper object (`{"id", "title", "summary", "authors", ...}`);
both go through the daily-papers conversion. No results is an empty list, which is normal.

The `hf-search` source reads it. Search results have no day, so it keeps no history.
"""

from __future__ import annotations

from datetime import datetime

from paperfeed.model import Paper
from paperfeed.sources import hf_api
from paperfeed.sources._common import json_head, load_json
from paperfeed.sources._keys import MIN_UPVOTES, QUERY, query_string
from paperfeed.sources._types import Format, Options, Source

WHAT = "the Hugging Face paper search response"


def detect(data: bytes) -> bool:
    """A JSON list of flat paper objects (with an "id" and no nested "paper").

    Lists of `{"paper": ...}` entries and empty lists are the Daily Papers format's, which
    parses them the same way.
    """
    head = json_head(data)
    flat = head.startswith(b"[") and head[1:].lstrip().startswith(b"{") and b'"id"' in head
    return flat and not hf_api.detect(data)


def parse_counted(data: bytes, origin: str) -> tuple[list[Paper], int]:
    """The papers of a search response and the number of results skipped."""
    entries = hf_api.entries_of(load_json(data, origin, WHAT), origin, WHAT)
    return hf_api.papers_from_entries(entries, origin)


def parse(data: bytes, origin: str) -> list[Paper]:
    """The papers of a search response, in the order of the results."""
    return parse_counted(data, origin)[0]


FORMAT = Format("hf-search", detect, parse_counted, says_when_empty=True)


def url(options: Options, base: str, now: datetime) -> str:
    return f"{base}/api/papers/search?{query_string({'q': options.text('query')})}"


SOURCE = Source(
    "hf-search",
    "what Hugging Face's paper search finds for a query",
    FORMAT,
    keys=(QUERY, MIN_UPVOTES),
    server=hf_api.HUGGING_FACE,
    url=url,
)
