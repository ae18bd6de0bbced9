"""Reading listings: where a configured listing's bytes come from, and which papers it keeps.

`ingest_listing` (and its shorthand `read_listing`) is the one door through which listing
payloads enter: it resolves the listing's location (a local path, or a URL built from the
listing's source settings), gets the bytes, parses them with the listing's format and applies
the listing's filters. Any failure raises a SourceError or ListingError that names the
listing and the location, and nothing has been written by then. The HTTP response is handed
back with the papers so the pipeline can keep it (fetch.save_raw) once the run succeeded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

from paperfeed.config import ListingConfig, Settings
from paperfeed.errors import ListingError, PaperfeedError, SourceError
from paperfeed.fetch import Fetched
from paperfeed.ids import is_reserved_name
from paperfeed.model import Listing, Paper
from paperfeed.sources import get_format

# The format each source reads. A source not named here (text) has its format sniffed from
# the bytes, so a text listing may also point at a saved API response or page.
SOURCE_FORMATS: dict[str, str] = {
    "hf-daily": "hf-api",
    "hf-page": "hf-html",
    "hf-search": "hf-search",
    "arxiv-api": "arxiv-api",
    "arxiv-rss": "arxiv-rss",
}

# URL -> response; raises SourceError. fetch.HttpFetcher is one; a function returning the
# body as bytes will do too (tests, local mirrors).
Fetcher = Callable[[str], Fetched | bytes]


@dataclass(frozen=True)
class Ingested:
    """A parsed listing and the HTTP response it came from (None for a local file)."""

    listing: Listing
    fetched: Fetched | None = None


def _is_url(location: str) -> bool:
    return bool(re.match(r"https?://", location))


def _day(listing: ListingConfig, now: datetime) -> date:
    """The day a `date` rule names: today or yesterday (UTC, from the run's clock), or a date."""
    if listing.date in ("today", "week", "month"):
        return now.date()
    if listing.date == "yesterday":
        return now.date() - timedelta(days=1)
    try:
        return date.fromisoformat(listing.date)
    except ValueError:
        raise SourceError(
            f"listing {listing.name!r}: date {listing.date!r} is not a real day; "
            "use today, yesterday, week, month or YYYY-MM-DD"
        ) from None


def _period(listing: ListingConfig, now: datetime) -> tuple[str, str]:
    """("date", "2026-11-27"), ("week", "2026-W48") or ("month", "2026-11")."""
    day = _day(listing, now)
    if listing.date == "week":
        year, week, _ = day.isocalendar()
        return "week", f"{year}-W{week:02d}"
    if listing.date == "month":
        return "month", f"{day:%Y-%m}"
    return "date", day.isoformat()


def _query(params: dict[str, str | int]) -> str:
    # ':' and '+' stay readable: arXiv reads "cat:cs.LG" and "+" as a space, as in its docs.
    return urlencode({k: v for k, v in params.items() if v != ""}, quote_via=quote, safe=":+")


def _source_url(listing: ListingConfig, settings: Settings, now: datetime) -> str:
    sources = settings.sources
    source = listing.source
    if source == "hf-daily":
        key, value = _period(listing, now)
        params: dict[str, str | int] = {key: value, "sort": listing.sort, "limit": listing.limit}
        return f"{sources.hf}/api/daily_papers?{_query(params)}"
    if source == "hf-page":
        if listing.sort == "trending":
            return f"{sources.hf}/papers/trending"
        key, value = _period(listing, now)
        return f"{sources.hf}/papers/{key}/{value}"
    if source == "hf-search":
        return f"{sources.hf}/api/papers/search?{_query({'q': listing.query})}"
    if source == "arxiv-api":
        params = {
            "search_query": listing.query,
            "sortBy": "submittedDate",
            "sortOrder": "descending",
            "max_results": listing.limit,
        }
        return f"{sources.arxiv_api}/api/query?{_query(params)}"
    if source == "arxiv-rss":
        return f"{sources.arxiv_rss}/rss/{quote(listing.category.strip(), safe='+')}"
    raise SourceError(
        f"listing {listing.name!r}: no url configured and a {source} listing cannot build one; give it a url"
    )


def listing_location(listing: ListingConfig, settings: Settings, now: datetime) -> str:
    """The path or URL a listing is read from: its `url` when set, else one built from its
    source's base URL and settings (query, category, date, sort, limit)."""
    if listing.url:
        if _is_url(listing.url):
            return listing.url
        path = Path(listing.url)
        return str(path if path.is_absolute() else settings.root / path)
    return _source_url(listing, settings, now)


def _read_file(location: str, listing: ListingConfig) -> bytes:
    try:
        return Path(location).read_bytes()
    except FileNotFoundError:
        raise SourceError(f"listing {listing.name!r}: {location}: no such file; check its url") from None
    except OSError as err:
        raise SourceError(f"listing {listing.name!r}: {location}: cannot read: {err.strerror}") from None


def _keep(paper: Paper, listing: ListingConfig) -> bool:
    text = f"{paper.title} {paper.abstract}".casefold()
    if listing.include and not any(word.casefold() in text for word in listing.include):
        return False
    if any(word.casefold() in text for word in listing.exclude):
        return False
    return not (listing.min_upvotes and (paper.upvotes or 0) < listing.min_upvotes)


def ingest_listing(listing: ListingConfig, settings: Settings, now: datetime, fetch: Fetcher | None = None) -> Ingested:
    """Fetch (or read) and parse one listing, then filter it. Returns the listing and the
    response to keep in the cache folder once the whole run has succeeded."""
    location = listing_location(listing, settings, now)
    fetched: Fetched | None = None
    if _is_url(location):
        if fetch is None:
            raise SourceError(f"listing {listing.name!r}: {location}: fetching is switched off")
        try:
            response = fetch(location)
        except PaperfeedError as err:
            raise type(err)(f"listing {listing.name!r}: {err}") from None
        if isinstance(response, Fetched):
            fetched, data = response, response.body
        else:
            data = response
    else:
        data = _read_file(location, listing)
    try:
        fmt = get_format(data, location, SOURCE_FORMATS.get(listing.source))
        if fmt.parse_counted is not None:
            papers, skipped = fmt.parse_counted(data, location)
        else:
            papers, skipped = fmt.parse(data, location), 0
    except PaperfeedError as err:
        raise type(err)(f"listing {listing.name!r}: {err}") from None
    # Formats that tell a quiet day from a drifted payload (an empty JSON list or RSS channel
    # is a quiet day; an unknown shape raises "format drifted") have already decided, so zero
    # papers from them is normal. For the others (plain text) zero papers may mean drift.
    if not papers and not fmt.says_when_empty and listing.expect_papers:
        raise ListingError(
            f"listing {listing.name!r}: {location}: parsed to zero papers; the source's format "
            "may have changed (set expect_papers: false if empty listings are normal)"
        )
    kept = tuple(paper for paper in papers if _keep(paper, listing))
    return Ingested(Listing(name=listing.name, papers=kept, skipped=skipped), fetched)


def read_listing(listing: ListingConfig, settings: Settings, now: datetime, fetch: Fetcher | None = None) -> Listing:
    """Fetch (or read) and parse one listing, then filter it."""
    return ingest_listing(listing, settings, now, fetch).listing


def adhoc_listing(path: str) -> ListingConfig:
    """A listing for `paperfeed run --listing PATH`: named after the file, format sniffed."""
    stem = re.sub(r"[^a-z0-9-]+", "-", Path(path).stem.lower()).strip("-")[:50] or "listing"
    if is_reserved_name(stem):  # aux.txt, CON.json: no folder or feed may be named so
        stem += "-listing"
    return ListingConfig(name=stem, source="text", url=str(Path(path).resolve()), title=Path(path).stem)
