"""Reading listings: where a configured listing's bytes come from, and which papers it keeps.

`ingest_listing` (and its shorthand `read_listing`) is the one door through which listing
payloads enter: it resolves the listing's location (a local path, or the URL its source
builds), gets the bytes, parses them with the source's format (or the detected one) and
applies the listing's filters. Any failure raises a SourceError or ListingError that names the
listing and the location, and nothing has been written by then. The HTTP response is handed
back with the papers so the pipeline can keep it (fetch.save_raw) once the run succeeded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from paperfeed.authors import follows_any
from paperfeed.config import ListingConfig, Settings
from paperfeed.errors import ListingError, PaperfeedError, SourceError
from paperfeed.fetch import Fetched
from paperfeed.model import Listing, Paper
from paperfeed.paper_ids import is_reserved_name
from paperfeed.sources import get_format

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


def listing_location(listing: ListingConfig, settings: Settings, now: datetime, day: date | None = None) -> str:
    """The path or URL a listing is read from: its `url` when set, else one its source builds
    from its server's base URL and the listing's options; given a `day`, that past day's
    listing (for a source that keeps a history)."""
    spec = listing.spec
    if day is not None and not spec.has_history(listing.options, listing.url):
        what = f"a {spec.name} listing like this one"
        raise SourceError(f"listing {listing.name!r}: {what} keeps no history to read {day} from")
    if listing.url:
        if _is_url(listing.url):
            return listing.url
        path = Path(listing.url)
        return str(path if path.is_absolute() else settings.root / path)
    base = settings.sources.base(spec.server) if spec.server is not None else ""
    try:
        if day is not None and spec.history is not None:
            return spec.history.url(listing.options, base, day)
        if spec.url is None:
            raise SourceError(f"no url configured and a {spec.name} listing cannot build one; give it a url")
        return spec.url(listing.options, base, now)
    except SourceError as err:
        raise SourceError(f"listing {listing.name!r}: {err}") from None


def _read_file(location: str, listing: ListingConfig) -> bytes:
    try:
        return Path(location).read_bytes()
    except FileNotFoundError:
        raise SourceError(f"listing {listing.name!r}: {location}: no such file; check its url") from None
    except OSError as err:
        raise SourceError(f"listing {listing.name!r}: {location}: cannot read: {err.strerror}") from None


def _keep(paper: Paper, listing: ListingConfig, min_upvotes: int) -> bool:
    """The listing's filters: words in the title, abstract, authors' comment or journal
    reference; followed authors; upvotes."""
    text = f"{paper.title} {paper.abstract} {paper.comment} {paper.journal_ref}".casefold()
    if listing.include and not any(word.casefold() in text for word in listing.include):
        return False
    if any(word.casefold() in text for word in listing.exclude):
        return False
    if listing.authors and not follows_any(listing.followed, paper.authors):
        return False
    return not (min_upvotes and (paper.upvotes or 0) < min_upvotes)


def ingest_listing(
    listing: ListingConfig, settings: Settings, now: datetime, fetch: Fetcher | None = None, *, day: date | None = None
) -> Ingested:
    """Fetch (or read) and parse one listing (given a `day`, that past day's listing), then
    filter it. Returns the listing and the response to keep in the cache folder once the whole
    run has succeeded."""
    location = listing_location(listing, settings, now, day)
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
    declared = listing.spec.format
    try:
        fmt = get_format(data, location, declared.name if declared is not None else None)
        papers, skipped = fmt.parse(data, location)
    except PaperfeedError as err:
        raise type(err)(f"listing {listing.name!r}: {err}") from None
    # Formats that tell a quiet day from a drifted payload (an empty JSON list or RSS channel
    # is a quiet day; an unknown shape raises "format drifted") have already decided, so zero
    # papers from them is normal. For the others (plain text) zero papers may mean drift.
    options = listing.options
    expect_papers = options.flag("expect_papers") if "expect_papers" in options else True
    if not papers and not fmt.says_when_empty and expect_papers:
        raise ListingError(
            f"listing {listing.name!r}: {location}: parsed to zero papers; the source's format "
            "may have changed (set expect_papers: false if empty listings are normal)"
        )
    min_upvotes = options.number("min_upvotes") if "min_upvotes" in options else 0
    kept = tuple(paper for paper in papers if _keep(paper, listing, min_upvotes))
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
