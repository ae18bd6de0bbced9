"""Reading listings: where a configured listing's bytes come from, and which papers it keeps.

`read_listing` is the one door through which listing payloads enter: it resolves the
listing's location (a local path or a URL), gets the bytes, parses them with the listing's
format and applies the listing's filters. Any failure raises a SourceError or ListingError
that names the listing and the location, and nothing has been written by then.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from paperfeed.config import ListingConfig, Settings
from paperfeed.errors import ListingError, PaperfeedError, SourceError
from paperfeed.model import Listing, Paper
from paperfeed.sources import parse_listing

# The format each source reads. A source not named here has its format sniffed from the bytes.
SOURCE_FORMATS: dict[str, str] = {}

Fetcher = Callable[[str], bytes]  # URL -> body; raises SourceError


def _is_url(location: str) -> bool:
    return bool(re.match(r"https?://", location))


def listing_location(listing: ListingConfig, settings: Settings, now: datetime) -> str:
    """The path or URL a listing is read from."""
    if listing.url:
        if _is_url(listing.url):
            return listing.url
        path = Path(listing.url)
        return str(path if path.is_absolute() else settings.root / path)
    raise SourceError(f"listing {listing.name!r}: no url configured and its source cannot build one")


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
    if listing.min_upvotes and (paper.upvotes or 0) < listing.min_upvotes:
        return False
    return True


def read_listing(
    listing: ListingConfig, settings: Settings, now: datetime, fetch: Fetcher | None = None
) -> Listing:
    """Fetch (or read) and parse one listing, then filter it."""
    location = listing_location(listing, settings, now)
    if _is_url(location):
        if fetch is None:
            raise SourceError(f"listing {listing.name!r}: {location}: fetching is switched off")
        data = fetch(location)
    else:
        data = _read_file(location, listing)
    try:
        papers = parse_listing(data, location, SOURCE_FORMATS.get(listing.source))
    except PaperfeedError as err:
        raise type(err)(f"listing {listing.name!r}: {err}") from None
    if not papers and listing.expect_papers:
        raise ListingError(
            f"listing {listing.name!r}: {location}: parsed to zero papers; the source's format "
            "may have changed (set expect_papers: false if empty listings are normal)"
        )
    kept = tuple(paper for paper in papers if _keep(paper, listing))
    return Listing(name=listing.name, papers=kept, skipped=0)


def adhoc_listing(path: str) -> ListingConfig:
    """A listing for `paperfeed run --listing PATH`: named after the file, format sniffed."""
    stem = re.sub(r"[^a-z0-9-]+", "-", Path(path).stem.lower()).strip("-")[:50] or "listing"
    return ListingConfig(name=stem, source="text", url=str(Path(path).resolve()), title=Path(path).stem)
