"""Merging a listing into the archive: a pure function that says what it would change.

Identity: a paper is matched by its arXiv id, else by its title key (case, accents and
punctuation ignored) to a record that has no arXiv id or the same one. A paper first known by
title alone is joined to its arXiv id when a later source gives one, and keeps its id, page
URL and first-seen time. Fields already known are kept (so two sources that spell a title
differently never make a page flip between them); missing ones are filled in; tags, links
and listings accumulate. Nothing is ever removed.

First-seen instants: the papers of one night keep their listing's order in every feed reader,
since each new paper is first seen a few seconds before the one listed after it (see
`merge_listing`), and no two papers ever share an instant.

A record's `last_seen` is the last time a listing brought news of it: its first sighting, a
listing it was not in yet, or a field it lacked. A listing that shows it again with nothing
new leaves the record as it was, so a night that brings nothing new changes no file and
commits nothing, even when a search or a trending list shows the same papers night after night.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from paperfeed.archive import Archive
from paperfeed.model import Paper, Record
from paperfeed.paper_ids import normalise_arxiv_id, paper_id_from_arxiv, paper_id_from_title, title_key


@dataclass(frozen=True)
class MergeResult:
    archive: Archive
    added: tuple[str, ...]  # ids of new records, in listing order
    updated: tuple[str, ...]  # ids of known records that gained text, links or listings
    seen_again: int  # papers already archived, whether or not anything changed

    @property
    def changed_ids(self) -> tuple[str, ...]:
        """Every record whose stored line differs from before."""
        return self.added + self.updated


@dataclass
class Tally:
    """What a run's merges changed, in the order they happened (dicts as ordered sets): a
    paper new in one listing and seen again in the next counts as new."""

    added: dict[str, None] = field(default_factory=dict)
    updated: dict[str, None] = field(default_factory=dict)
    changed: dict[str, None] = field(default_factory=dict)
    seen_again: int = 0

    def add(self, result: MergeResult) -> None:
        self.added.update(dict.fromkeys(result.added))
        self.updated.update(dict.fromkeys(i for i in result.updated if i not in self.added))
        self.changed.update(dict.fromkeys(result.changed_ids))
        self.seen_again += result.seen_again


def _union(first: Iterable[str], second: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*first, *second]))


def combine(known: Paper, seen: Paper) -> Paper:
    """`known` with the gaps filled from `seen`; lists are joined, nothing is dropped."""
    links = dict(seen.links)
    links.update(dict(known.links))
    return Paper(
        title=known.title or seen.title,
        abstract=known.abstract or seen.abstract,
        authors=known.authors or seen.authors,
        arxiv_id=known.arxiv_id or seen.arxiv_id,
        published=known.published or seen.published,
        listed=known.listed or seen.listed,
        tags=_union(known.tags, seen.tags),
        summary=known.summary or seen.summary,
        links=tuple(sorted(links.items())),
        comment=known.comment or seen.comment,
        journal_ref=known.journal_ref or seen.journal_ref,
        upvotes=None,
    )


class _Index:
    """Lookups from arXiv id and title key to record id, kept current while merging."""

    def __init__(self, archive: Archive) -> None:
        self.by_arxiv: dict[str, str] = {}
        self.by_title: dict[str, str] = {}
        self.instants: set[datetime] = set()
        for record in archive.values():
            self.add(record)

    def add(self, record: Record) -> None:
        if record.paper.arxiv_id:
            self.by_arxiv[record.paper.arxiv_id] = record.id
        self.by_title.setdefault(title_key(record.paper.title), record.id)
        self.instants.add(record.first_seen)

    def free_instant(self, wanted: datetime) -> datetime:
        """`wanted`, or the nearest earlier second no record was first seen at."""
        while wanted in self.instants:
            wanted -= timedelta(seconds=1)
        return wanted

    def find(self, paper: Paper, archive: Archive) -> str | None:
        if paper.arxiv_id and paper.arxiv_id in self.by_arxiv:
            return self.by_arxiv[paper.arxiv_id]
        candidate = self.by_title.get(title_key(paper.title))
        if candidate is None:
            return None
        known_arxiv = archive[candidate].paper.arxiv_id
        # The same title under two different arXiv ids is two papers.
        if known_arxiv and paper.arxiv_id and known_arxiv != paper.arxiv_id:
            return None
        return candidate


def _new_id(paper: Paper, archive: Archive) -> str:
    base = paper_id_from_arxiv(paper.arxiv_id) if paper.arxiv_id else paper_id_from_title(paper.title)
    candidate, counter = base, 2
    while candidate in archive:  # only a hash collision between titles gets here
        candidate, counter = f"{base}-{counter}", counter + 1
    return candidate


def merge_listing(
    archive: Archive, listing: str, papers: Iterable[Paper], now: datetime, *, offset: int = 0, stride: int = 1
) -> MergeResult:
    """Merge the papers one listing gave at `now`. `archive` itself is not modified.

    The paper at position `rank` of the listing, if new, is first seen `offset + rank * stride`
    seconds before `now` (or the nearest free second before that), so that feeds sorted by
    time show a night's papers in their listing's order. A run of several listings gives
    each its own `offset` and the number of listings as `stride`, so their papers interleave.
    """
    merged = dict(archive)
    index = _Index(merged)
    added: list[str] = []
    updated: dict[str, None] = {}
    seen_again = 0
    for rank, given in enumerate(papers):
        # Sources normalise ids already; doing it again here makes merge safe on any input. Tags
        # and links are kept as merging keeps them (each once; links one per kind, sorted), so
        # merging the same listing again changes nothing.
        arxiv_id = normalise_arxiv_id(given.arxiv_id) if given.arxiv_id else None
        links = tuple(sorted(dict(given.links).items()))
        paper = replace(given, arxiv_id=arxiv_id, upvotes=None, tags=_union(given.tags, ()), links=links)
        record_id = index.find(paper, merged)
        if record_id is None:
            record = Record(
                id=_new_id(paper, merged),
                paper=paper,
                first_seen=index.free_instant(now - timedelta(seconds=offset + rank * stride)),
                last_seen=now,
                listings=(listing,),
            )
            added.append(record.id)
        else:
            old = merged[record_id]
            news = (combine(old.paper, paper), _union(old.listings, [listing]))
            record = old
            if news != (old.paper, old.listings):
                record = replace(old, paper=news[0], listings=news[1], last_seen=max(old.last_seen, now))
            if record_id not in added:
                seen_again += 1
                if record != old:
                    updated[record_id] = None
        merged[record.id] = record
        index.add(record)
    return MergeResult(
        archive=merged,
        added=tuple(added),
        updated=tuple(i for i in updated if i not in added),
        seen_again=seen_again,
    )
