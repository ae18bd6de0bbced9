"""Digests: one feed entry per closed day or ISO week, listing the papers that arrived in it.

A period holds the papers first seen within it (UTC), so a paper is in exactly one digest and a
closed period never gains one: every later paper is first seen later. A period is closed once
the archive has been updated after its end (the newest time any paper was seen), which keeps
digests a function of the archive alone, as every page and feed is. Quiet periods get no entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from paperfeed.model import Record

CADENCES = ("daily", "weekly")


@dataclass(frozen=True)
class Period:
    """One day ("2026-11-27") or ISO week ("2026-W48") and the papers that arrived in it,
    newest first, as feeds and day pages list them (a night's papers in their listing's order)."""

    key: str
    start: date
    end: date  # the first day after the period
    records: tuple[Record, ...]

    @property
    def closed_at(self) -> datetime:
        return datetime.combine(self.end, time(0), tzinfo=UTC)


def period_start(day: date, cadence: str) -> date:
    return day - timedelta(days=day.weekday()) if cadence == "weekly" else day


def period_key(start: date, cadence: str) -> str:
    if cadence == "weekly":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.isoformat()


def last_update(records: Iterable[Record]) -> datetime | None:
    """When the archive was last updated: the newest time any paper was seen."""
    return max((record.last_seen for record in records), default=None)


def closed_periods(records: Sequence[Record], cadence: str, limit: int) -> list[Period]:
    """The newest `limit` closed periods that have papers, newest first. `records` is the
    archive newest first, as every feed takes it."""
    updated = last_update(records)
    if updated is None:
        return []
    length = timedelta(days=7 if cadence == "weekly" else 1)
    groups: dict[date, list[Record]] = {}
    for record in records:
        start = period_start(record.first_seen.astimezone(UTC).date(), cadence)
        if datetime.combine(start + length, time(0), tzinfo=UTC) > updated:
            continue  # still open
        if start not in groups and len(groups) == limit:
            break  # records come newest first: every later one is older still
        groups.setdefault(start, []).append(record)
    return [Period(period_key(start, cadence), start, start + length, tuple(group)) for start, group in groups.items()]
