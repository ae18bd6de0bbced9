"""Which papers are "for you": those whose stored score passes `for_you.threshold`, and the best
`for_you.per_night` of each night whatever their scores, each night's in score order.

Scores are stored when a paper arrives, so the picks of a night never change afterwards. A
night is the UTC day a paper was first seen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from paperfeed.config import ForYou
from paperfeed.model import Record


@dataclass(frozen=True)
class Pick:
    record: Record
    instant: datetime  # when a feed says it arrived: its night's, less a second per place


def is_for_you(record: Record, for_you: ForYou) -> bool:
    """Whether the paper's score passes the threshold (the mark on day and listing pages)."""
    return record.score is not None and record.score > for_you.threshold


def nights(records: Iterable[Record]) -> dict[date, list[Record]]:
    """Scored papers by the night they arrived, newest night first, best score first."""
    by_night: dict[date, list[Record]] = {}
    for record in records:
        if record.score is not None:
            by_night.setdefault(record.first_seen.date(), []).append(record)
    for scored in by_night.values():
        scored.sort(key=lambda record: (-(record.score or 0.0), record.id))
    return dict(sorted(by_night.items(), reverse=True))


def picks(records: Iterable[Record], for_you: ForYou, limit: int) -> list[Pick]:
    """The newest `limit` picks, newest night first and in score order within a night. Each
    gets an instant a second apart from its night's first arrival, so readers that sort by
    date keep the score order."""
    found: list[Pick] = []
    for scored in nights(records).values():
        chosen = [
            record for rank, record in enumerate(scored) if rank < for_you.per_night or is_for_you(record, for_you)
        ]
        start = max(record.first_seen for record in scored)
        found += [Pick(record, start - timedelta(seconds=rank)) for rank, record in enumerate(chosen)]
        if len(found) >= limit:
            break
    return found[:limit]
