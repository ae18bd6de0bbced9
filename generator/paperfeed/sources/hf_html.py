"""Hugging Face Papers pages: https://huggingface.co/papers/date/YYYY-MM-DD and friends.

The page is rendered from JSON that sits, HTML-escaped, in the `data-props` attribute of
`<div data-target="DailyPapers" ...>`: `{"date", "dailyPapers": [entries], ...}`, each entry
shaped like the Daily Papers API's. Other pages (trending, search) hydrate other targets with
a list of papers under another key; those are accepted too. The props are read with the
standard library's HTML parser; the entries go through the API's conversion.

The `hf-page` source reads it: a day's, week's or month's page, or the trending page
(`sort: trending`). Dated pages have a history, one page per day; trending has none.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any

from paperfeed.errors import SourceError
from paperfeed.model import Paper
from paperfeed.sources import hf_api
from paperfeed.sources._common import get, iso_day, json_head
from paperfeed.sources._keys import DATE, MIN_UPVOTES, SORT, period
from paperfeed.sources._types import Format, History, Options, Source

TARGET = "DailyPapers"
# Keys under which a page's props hold its papers, most likely first; any other list of
# paper-like objects is accepted as a last resort.
_PAPER_KEYS = ("dailyPapers", "papers", "trendingPapers", "recentPapers")


def detect(data: bytes) -> bool:
    """An HTML page with hydration props."""
    head = json_head(data)[:1024].lower()
    return (head.startswith(b"<!doctype html") or b"<html" in head) and b"data-props=" in data


class _PropsCollector(HTMLParser):
    """Collects (data-target, data-props) of every element carrying props, in page order.
    The parser unescapes attribute values, so the props are plain JSON text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        props = values.get("data-props")
        if props:
            self.found.append((values.get("data-target") or "", props))


def _paper_like(item: Any) -> bool:
    return isinstance(item, dict) and (isinstance(item.get("paper"), dict) or ("id" in item and "title" in item))


def _entries(props: dict[str, Any]) -> list[Any] | None:
    """The list of paper entries in a target's props, or None when it holds none."""
    for key in _PAPER_KEYS:
        value = props.get(key)
        if isinstance(value, list):
            return value
    for value in props.values():
        if isinstance(value, list) and value and _paper_like(value[0]):
            return value
    return None


def _listed(props: dict[str, Any]) -> date | None:
    """The page's day, for entries that do not say when they were listed (2024 pages)."""
    if get(props, "periodType", str) not in (None, "day"):
        return None
    return iso_day(get(props, "date", str) or get(props, "dateString", str))


def _decode_props(raw: str) -> dict[str, Any] | None:
    try:
        props = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return props if isinstance(props, dict) else None


def parse_counted(data: bytes, origin: str) -> tuple[list[Paper], int]:
    """The papers of a Hugging Face Papers page and the number of entries skipped."""
    collector = _PropsCollector()
    collector.feed(data.decode("utf-8", errors="replace"))
    collector.close()
    # The DailyPapers target first, then any other target, in page order.
    ordered = sorted(collector.found, key=lambda found: found[0] != TARGET)
    for target, raw in ordered:
        props = _decode_props(raw)
        if props is None:
            if target == TARGET:
                raise SourceError(
                    f"{origin}: format drifted: the {TARGET} data-props is not a JSON object; "
                    "use source hf-daily (the JSON API) instead, or report it"
                )
            continue
        entries = _entries(props)
        if entries is not None:
            return hf_api.papers_from_entries(entries, origin, listed=_listed(props))
    raise SourceError(
        f"{origin}: format drifted: no {TARGET} data-props with a list of papers in the page; "
        "Hugging Face changed its page layout, use source hf-daily (the JSON API) instead"
    )


def parse(data: bytes, origin: str) -> list[Paper]:
    """The papers of a Hugging Face Papers page, in page order."""
    return parse_counted(data, origin)[0]


FORMAT = Format("hf-html", detect, parse_counted, says_when_empty=True)


def _trending(options: Options) -> bool:
    return options.text("sort") == "trending"


def url(options: Options, base: str, now: datetime) -> str:
    if _trending(options):
        return f"{base}/papers/trending"
    key, value = period(options.text("date"), now)
    return f"{base}/papers/{key}/{value}"


def day_url(options: Options, base: str, day: date) -> str:
    return f"{base}/papers/date/{day.isoformat()}"


SOURCE = Source(
    "hf-page",
    "a Hugging Face Papers page: a day, week or month, or trending",
    FORMAT,
    keys=(DATE, SORT, MIN_UPVOTES),
    server=hf_api.HUGGING_FACE,
    url=url,
    history=History(
        day_url, hf_api.last_day, applies=lambda options: not _trending(options), default_days=hf_api.default_days
    ),
)
