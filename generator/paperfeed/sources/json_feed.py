"""JSON Feed (https://jsonfeed.org/version/1.1, and 1.0): any site's feed of papers, another
paperfeed site's `feed.json` among them.

The payload is `{"version": "https://jsonfeed.org/version/1.1", "title", "items": [...]}`;
each item has an `id` and maybe `url`, `external_url`, `title`, `content_text`, `summary`,
`date_published`, `authors` (1.1: `[{"name"}]`; 1.0: one `author`) and `tags`. A paper needs a
title; its arXiv id is read from `external_url`, `url` or `id`, whichever names one. The
abstract is the plain-text content, else the summary. An item's publication day is the day
the feed listed it. A feed without items is a quiet day.

The `json-feed` source reads a feed by its `url`. A feed shows only its newest items, so it
keeps no history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from paperfeed.errors import SourceError
from paperfeed.model import Paper
from paperfeed.paper_ids import normalise_arxiv_id
from paperfeed.sources._common import get, iso_day, json_head, load_json, texts
from paperfeed.sources._types import Format, Source
from paperfeed.text import clean

WHAT = "the JSON Feed"
VERSION_PREFIX = "https://jsonfeed.org/version/"


def detect(data: bytes) -> bool:
    """A JSON object that names a JSON Feed version near its start."""
    head = json_head(data)
    return head.startswith(b"{") and VERSION_PREFIX.encode() in head


def _authors(item: Mapping[str, Any]) -> tuple[str, ...]:
    listed = get(item, "authors", list) or []
    single = get(item, "author", dict)
    people = [*listed, single] if single is not None else listed
    names = (clean(get(person, "name", str) or "") for person in people if isinstance(person, dict))
    return tuple(dict.fromkeys(name for name in names if name))


def _arxiv_id(item: Mapping[str, Any]) -> str | None:
    candidates = (get(item, key, str) for key in ("external_url", "url", "id"))
    return next((found for text in candidates if text and (found := normalise_arxiv_id(text))), None)


def _paper(item: Any) -> Paper | None:
    if not isinstance(item, dict):
        return None
    title = clean(get(item, "title", str) or "")
    if not title:
        return None
    return Paper(
        title=title,
        abstract=clean(get(item, "content_text", str) or get(item, "summary", str) or ""),
        authors=_authors(item),
        arxiv_id=_arxiv_id(item),
        listed=iso_day(get(item, "date_published", str)),
        tags=texts(item.get("tags")),
    )


def parse_counted(data: bytes, origin: str) -> tuple[list[Paper], int]:
    """The papers of a JSON Feed, in feed order, and the number of items skipped (no title)."""
    feed = load_json(data, origin, WHAT)
    version = get(feed, "version", str) if isinstance(feed, dict) else None
    items = feed.get("items") if isinstance(feed, dict) else None
    if not version or not version.startswith(VERSION_PREFIX) or not isinstance(items, list):
        raise SourceError(
            f"{origin}: format drifted: {WHAT} should be an object with a jsonfeed.org version and a "
            "list of items; check the URL in a browser"
        )
    papers = [paper for item in items if (paper := _paper(item)) is not None]
    if items and not papers:
        raise SourceError(
            f"{origin}: format drifted: none of the {len(items)} items has a title; check the URL in a browser"
        )
    return papers, len(items) - len(papers)


FORMAT = Format("json-feed", detect, parse_counted, says_when_empty=True)

SOURCE = Source("json-feed", "the newest items of a JSON Feed, by its url", FORMAT)
