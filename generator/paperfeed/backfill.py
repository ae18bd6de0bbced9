"""Backfill: the listings of past days, read one day at a time, so a new site starts with weeks
of papers, each on the day it was listed.

Which listings backfill which days is decided by `plan` (pure): the days asked for on the
command line, a backfill an earlier run left unfinished, or, on a listing's first run, its
`backfill_days`. Sources whose listing shows only the present (arXiv RSS, a search, a
trending page, a text file) have no history: they say so and are read as on any night.

A backfilled paper's first-seen time falls on the day it was listed (counting back from its last
second, UTC, in the listing's order), never the run's clock, so day pages, the archive and the
feeds place it on its own day and a subscriber is not handed hundreds of entries stamped with
one time. The days are merged
oldest first, so a paper listed on several days keeps the first.

Nothing is lost when a backfill is interrupted: the archive is saved after each day, and
data/backfill.json records, per listing, the span it backfilled and the days still to read.
It is written before the first day is read and after each day is saved; the next run reads
the pending days first. As merging is idempotent, a day read twice (killed between the save
and the journal) changes nothing. A listing recorded there never backfills by itself again.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from paperfeed.archive import Archive, save_archive
from paperfeed.config import ListingConfig, Settings
from paperfeed.errors import ArchiveError, PaperfeedError
from paperfeed.ingest import Fetcher, ingest_listing
from paperfeed.merge import Tally, merge_listing
from paperfeed.progress import track

JOURNAL_FILE = "backfill.json"


def listed_at(day: date) -> datetime:
    """The first-seen time of the first paper backfilled from `day`'s listing: the last second
    of that day (UTC); the papers listed after it are first seen a second or so earlier each."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


@dataclass(frozen=True)
class Span:
    """What data/backfill.json records for one listing."""

    first: date
    last: date
    pending: tuple[date, ...] = ()  # days still to read, oldest first


Journal = dict[str, Span]  # listing name -> its backfill


@dataclass(frozen=True)
class Plan:
    """The past days one listing reads in this run, oldest first."""

    listing: ListingConfig
    days: tuple[date, ...]


def window(listing: ListingConfig, count: int, now: datetime) -> tuple[date, ...]:
    """The `count` days a backfill of `listing` covers, oldest first, ending on the day its
    own settings name (yesterday, for `date: yesterday`)."""
    history = listing.spec.history
    if history is None or count <= 0:
        return ()
    last = history.last_day(listing.options, now)
    return tuple(last - timedelta(days=back) for back in range(count - 1, -1, -1))


def plan(
    listings: Sequence[ListingConfig],
    archive: Archive,
    journal: Journal,
    now: datetime,
    requested: int | None,
) -> tuple[list[Plan], list[str]]:
    """The backfill of this run, and a line for each listing that was asked to backfill but
    cannot. `requested` is the command line's --backfill: None lets each listing decide (its
    pending days, else its `backfill_days` on its first run); 0 backfills nothing."""
    plans: list[Plan] = []
    notes: list[str] = []
    if requested == 0:
        return plans, notes
    has_papers = {name for record in archive.values() for name in record.listings}
    for listing in listings:
        spec = listing.spec
        pending = journal[listing.name].pending if listing.name in journal else ()
        if not spec.has_history(listing.options, listing.url):
            if requested:
                kind = f"{'an' if spec.name[:1] in 'aeiou' else 'a'} {spec.name} listing"
                which = " with a url" if listing.url and spec.history else " like this one" if spec.history else ""
                notes.append(f"listing {listing.name}: {kind}{which} keeps no history; reading today's listing only")
            continue
        if requested:
            days = window(listing, requested, now)
        elif listing.name in journal or listing.name in has_papers:
            days = ()
        else:
            days = window(listing, listing.backfill_days, now)
        days = tuple(sorted(set(days) | set(pending)))
        if days:
            plans.append(Plan(listing, days))
    return plans, notes


def start(journal: Journal, plans: Iterable[Plan]) -> Journal:
    """The journal with every planned day pending, before the first is read."""
    updated = dict(journal)
    for item in plans:
        known = updated.get(item.listing.name)
        first = min(item.days[0], known.first) if known else item.days[0]
        last = max(item.days[-1], known.last) if known else item.days[-1]
        updated[item.listing.name] = Span(first, last, item.days)
    return updated


def finish_day(journal: Journal, names: Iterable[str], day: date) -> Journal:
    """The journal once `day` of the listings `names` is saved in the archive."""
    updated = dict(journal)
    for name in names:
        span = updated[name]
        updated[name] = replace(span, pending=tuple(d for d in span.pending if d != day))
    return updated


# -- data/backfill.json ---------------------------------------------------------------------


def _span(name: str, raw: Any, path: Path) -> Span:
    try:
        if not isinstance(raw, dict) or not isinstance(raw.get("pending", []), list):
            raise TypeError
        return Span(
            first=date.fromisoformat(raw["first"]),
            last=date.fromisoformat(raw["last"]),
            pending=tuple(sorted(date.fromisoformat(day) for day in raw.get("pending", []))),
        )
    except (KeyError, TypeError, ValueError):
        raise ArchiveError(
            f"{path}: the entry of {name!r} is not {{first, last, pending}} with days as YYYY-MM-DD; "
            "fix it, or delete the entry to let the listing backfill again"
        ) from None


def load_journal(data_dir: Path) -> Journal:
    """The backfill journal; empty when there is none."""
    path = data_dir / JOURNAL_FILE
    try:
        raw = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        raise ArchiveError(
            f"{path}: unreadable ({err}); restore it from git (git checkout -- data) or delete it"
        ) from None
    if not isinstance(raw, dict):
        raise ArchiveError(f"{path}: expected a mapping of listing names; restore it from git or delete it")
    return {str(name): _span(str(name), entry, path) for name, entry in raw.items()}


def encode_journal(journal: Mapping[str, Span]) -> str:
    data = {
        name: {
            "first": span.first.isoformat(),
            "last": span.last.isoformat(),
            "pending": [day.isoformat() for day in span.pending],
        }
        for name, span in sorted(journal.items())
    }
    return json.dumps(data, indent=2) + "\n"


def save_journal(data_dir: Path, journal: Mapping[str, Span]) -> bool:
    """Write data/backfill.json atomically when its text changes. True when it was written."""
    path = data_dir / JOURNAL_FILE
    text = encode_journal(journal)
    try:
        if path.exists() and path.read_text("utf-8") == text:
            return False
        data_dir.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=data_dir, prefix=".backfill.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as err:
        raise ArchiveError(
            f"{path}: cannot save the backfill journal: {err.strerror or err}; free disk space or fix "
            "permissions and run again (the days saved so far are in the archive)"
        ) from None
    return True


# -- the run -----------------------------------------------------------------------------------

Say = Callable[[str], None]


@dataclass
class _Counts:
    papers: int = 0
    new: int = 0
    known: int = 0
    skipped: int = 0


def _summary(item: Plan, counts: _Counts) -> str:
    days = item.days
    span = f"{days[0]}" if len(days) == 1 else f"{days[0]} to {days[-1]}"
    skipped = f", {counts.skipped} skipped (withdrawn, replacements, unreadable)" if counts.skipped else ""
    return (
        f"listing {item.listing.name}: backfilled {len(days)} day{'s' if len(days) > 1 else ''} ({span}): "
        f"{counts.papers} papers, {counts.new} new, {counts.known} already known{skipped}"
    )


def run(
    plans: Sequence[Plan],
    *,
    settings: Settings,
    now: datetime,
    fetch: Fetcher | None,
    archive: Archive,
    journal: Journal,
    tally: Tally,
    say: Say,
    enrich: Callable[[Archive, list[str]], Archive] = lambda archive, added: archive,
) -> tuple[Archive, list[str]]:
    """Read the planned days oldest first, each listing's day merged at that day's last second
    and its new papers given what `enrich` adds, saving the archive and the journal after each
    day. Returns the archive and the names of the archive files written."""
    journal = start(journal, plans)
    save_journal(settings.data_dir, journal)
    days = sorted({day for item in plans for day in item.days})
    names = ", ".join(item.listing.name for item in plans)
    span = f"{days[0]}" if len(days) == 1 else f"{days[0]} to {days[-1]}"
    say(f"backfill: {len(days)} day{'s' if len(days) > 1 else ''} ({span}) of {names}, one request a day per listing")
    counts = {item.listing.name: _Counts() for item in plans}
    saved: dict[str, None] = {}
    for done, day in enumerate(track(days, "backfill: days", len(days), shown_from=2)):
        listings = [item.listing for item in plans if day in item.days]
        try:
            read = [ingest_listing(listing, settings, now, fetch, day=day).listing for listing in listings]
        except PaperfeedError as err:
            raise type(err)(f"{err} (backfill: {done} of {len(days)} days saved; run again to read the rest)") from None
        changed: dict[str, None] = {}
        added: list[str] = []
        for position, listing in enumerate(read):
            result = merge_listing(
                archive, listing.name, listing.papers, min(listed_at(day), now), offset=position, stride=len(read)
            )
            archive = result.archive
            tally.add(result)
            changed.update(dict.fromkeys(result.changed_ids))
            added += result.added
            found = counts[listing.name]
            found.papers += len(listing.papers)
            found.new += len(result.added)
            found.known += result.seen_again
            found.skipped += listing.skipped
        archive = enrich(archive, added)
        saved.update(dict.fromkeys(save_archive(settings.data_dir, archive, changed_ids=changed)))
        journal = finish_day(journal, [listing.name for listing in listings], day)
        save_journal(settings.data_dir, journal)
    for item in plans:
        say(_summary(item, counts[item.listing.name]))
    return archive, list(saved)
