"""Hugging Face Daily Papers API: the JSON of /api/daily_papers?date=|week=|month=.

The payload is a JSON list of entries, each `{"title", "summary", "publishedAt", ...,
"paper": {"id", "title", "summary", "authors", "publishedAt", "submittedOnDailyAt",
"upvotes", "githubRepo", "projectPage", "ai_keywords", "ai_summary", "withdrawnAt"}}`.
`paper.title` may carry arXiv's hard line breaks, so the entry's own title comes first.
Optional fields may be absent or of the wrong type; both count as missing. The Hugging Face
page of a paper follows from its arXiv id, so it is not stored.

The per-entry conversion (`papers_from_entries`) is shared with the HTML page and the search
API, whose entries have the same shape (search results may also be flat paper objects).
An empty list is a quiet day, not an error; a payload of another shape has drifted.

The `hf-daily` source reads it: one day (or week, or month) of Daily Papers. Its history is
the same API asked for one past day at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from paperfeed.errors import SourceError
from paperfeed.model import Paper
from paperfeed.paper_ids import normalise_arxiv_id
from paperfeed.sources._common import get, http_url, iso_day, json_head, load_json, texts
from paperfeed.sources._keys import DATE, LIMIT, MIN_UPVOTES, SORT, day_of, follows_the_present, period, query_string
from paperfeed.sources._types import Format, History, Options, Server, Source
from paperfeed.text import clean

# Hugging Face publishes no rate limit for these endpoints; a second between requests keeps a
# backfill of many days gentle.
HUGGING_FACE = Server("hf", "https://huggingface.co", interval=1.0)

WHAT = "the Hugging Face Daily Papers API response"


def detect(data: bytes) -> bool:
    """A JSON list of daily-paper entries (`{"paper": {...}}`), or an empty list."""
    head = json_head(data)
    if not head.startswith(b"["):
        return False
    return head[1:].lstrip().startswith(b"]") or b'"paper"' in head


def _authors(paper: Mapping[str, Any]) -> tuple[str, ...]:
    names: list[str] = []
    for author in get(paper, "authors", list) or []:
        if not isinstance(author, dict) or author.get("hidden") is True:
            continue
        name = clean(get(author, "name", str) or "")
        if name:
            names.append(name)
    return tuple(names)


def _links(paper: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    links = [
        (kind, url)
        for kind, key in (("code", "githubRepo"), ("project", "projectPage"))
        if (url := http_url(get(paper, key, str)))
    ]
    return tuple(links)


def _is_withdrawn(entry: Mapping[str, Any], paper: Mapping[str, Any]) -> bool:
    return bool(entry.get("withdrawnAt") or paper.get("withdrawnAt"))


def entry_to_paper(entry: Mapping[str, Any], *, listed: date | None = None) -> Paper | None:
    """The paper an entry describes, or None when it has no title (a paper's one required
    field). `listed` stands in when the entry does not say which day it was listed."""
    nested = get(entry, "paper", dict)
    paper: Mapping[str, Any] = nested if nested is not None else entry
    title = clean(get(entry, "title", str) or get(paper, "title", str) or "")
    if not title:
        return None
    raw_id = get(paper, "id", str)
    upvotes = get(paper, "upvotes", int)
    return Paper(
        title=title,
        abstract=clean(get(paper, "summary", str) or get(entry, "summary", str) or ""),
        authors=_authors(paper),
        arxiv_id=normalise_arxiv_id(raw_id) if raw_id else None,
        published=iso_day(get(paper, "publishedAt", str)),
        listed=iso_day(get(paper, "submittedOnDailyAt", str)) or listed,
        tags=texts(paper.get("ai_keywords")),
        summary=clean(get(paper, "ai_summary", str) or ""),
        links=_links(paper),
        upvotes=upvotes if upvotes is not None and upvotes >= 0 else None,
    )


def papers_from_entries(entries: list[Any], origin: str, *, listed: date | None = None) -> tuple[list[Paper], int]:
    """Convert entries to papers, in order. Returns the papers and the number of entries
    skipped: withdrawn papers and entries without a title. When entries were there but
    none but withdrawn ones could be read, the format has drifted: SourceError."""
    papers: list[Paper] = []
    withdrawn = unreadable = 0
    for entry in entries:
        if not isinstance(entry, dict):
            unreadable += 1
            continue
        nested = get(entry, "paper", dict)
        if _is_withdrawn(entry, nested if nested is not None else entry):
            withdrawn += 1
            continue
        paper = entry_to_paper(entry, listed=listed)
        if paper is None:
            unreadable += 1
        else:
            papers.append(paper)
    if unreadable and not papers:
        raise SourceError(
            f"{origin}: format drifted: none of the {unreadable} entries has a title; "
            "the Hugging Face API may have changed, check the URL in a browser and report it"
        )
    return papers, withdrawn + unreadable


def entries_of(payload: Any, origin: str, what: str) -> list[Any]:
    """The entry list of a decoded payload: the payload itself when it is a list. An error
    object ({"error": "..."}) or anything else is a SourceError."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict) and isinstance(payload.get("error"), str):
        message = clean(payload["error"])[:200]
        raise SourceError(f"{origin}: {what} is an error: {message!r}; check the listing's settings")
    shape = (
        f"an object with keys {', '.join(sorted(map(str, payload))[:8])}"
        if isinstance(payload, dict)
        else type(payload).__name__
    )
    raise SourceError(
        f"{origin}: format drifted: {what} should be a JSON list of papers but is {shape}; "
        "check the URL in a browser and report it"
    )


def parse_counted(data: bytes, origin: str) -> tuple[list[Paper], int]:
    """The papers of a Daily Papers API response and the number of entries skipped."""
    entries = entries_of(load_json(data, origin, WHAT), origin, WHAT)
    return papers_from_entries(entries, origin)


def parse(data: bytes, origin: str) -> list[Paper]:
    """The papers of a Daily Papers API response, in the API's order."""
    return parse_counted(data, origin)[0]


FORMAT = Format("hf-api", detect, parse_counted, says_when_empty=True)


def _query(options: Options, period_key: str, period_value: str) -> str:
    params: dict[str, str | int] = {
        period_key: period_value,
        "sort": options.text("sort"),
        "limit": options.number("limit"),
    }
    return query_string(params)


def url(options: Options, base: str, now: datetime) -> str:
    return f"{base}/api/daily_papers?{_query(options, *period(options.text('date'), now))}"


def day_url(options: Options, base: str, day: date) -> str:
    return f"{base}/api/daily_papers?{_query(options, 'date', day.isoformat())}"


def last_day(options: Options, now: datetime) -> date:
    return day_of(options.text("date"), now)


def default_days(options: Options) -> int:
    return 14 if follows_the_present(options.text("date")) else 0


SOURCE = Source(
    "hf-daily",
    "Hugging Face Daily Papers, through its JSON API",
    FORMAT,
    keys=(DATE, SORT, LIMIT, MIN_UPVOTES),
    server=HUGGING_FACE,
    url=url,
    history=History(day_url, last_day, default_days=default_days),
)
