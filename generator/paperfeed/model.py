"""The records that flow through the pipeline.

`Paper` is what a source says about a paper in one listing; `Record` is what the archive keeps:
the merged paper plus its bookkeeping (first and last seen, listings). Both are frozen; change
them with dataclasses.replace.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

# Link kinds a source may supply beyond those derived from the arXiv id, in display order.
LINK_KINDS = ("code", "project", "doi", "hf", "source")


@dataclass(frozen=True)
class Paper:
    """One paper as one source saw it. Text fields hold the source's text, whitespace
    normalised; LaTeX is kept and only made readable when rendered."""

    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    arxiv_id: str | None = None  # normalised: no prefix, no version
    published: date | None = None  # the arXiv (or source) publication date
    listed: date | None = None  # the day the listing listed it, when the source says
    tags: tuple[str, ...] = ()
    summary: str = ""  # a one-line summary (Hugging Face's ai_summary)
    links: tuple[tuple[str, str], ...] = ()  # (kind, url) pairs, kinds from LINK_KINDS
    comment: str = ""  # the authors' comment on arXiv: "22 pages; accepted at NeurIPS 2025"
    journal_ref: str = ""  # arXiv's journal reference: where the paper was published
    upvotes: int | None = None  # volatile: used to filter listings, never stored or published


@dataclass(frozen=True)
class Record:
    """One archived paper. `id` names its page and never changes once published."""

    id: str
    paper: Paper
    first_seen: datetime
    last_seen: datetime
    listings: tuple[str, ...] = field(default=())
    # Set once, the night the paper arrives (for_you.py), so pages and feeds never churn:
    score: float | None = None  # how alike it is to the liked papers; above 0: on their side
    why: tuple[str, ...] = ()  # the paper's own terms that weighed most for its score
    similar: tuple[str, ...] = ()  # ids of the archive's most similar papers, most similar first

    @property
    def day(self) -> date:
        """The day the paper belongs to on the site: the listing's day, else first seen."""
        return self.paper.listed or self.first_seen.date()


def by_listing(records: Iterable[Record]) -> dict[str, list[Record]]:
    """Records by the name of each listing that showed them, in the order given."""
    grouped: dict[str, list[Record]] = {}
    for record in records:
        for name in record.listings:
            grouped.setdefault(name, []).append(record)
    return grouped


@dataclass(frozen=True)
class Listing:
    """A parsed listing: its papers in the order the source gave them."""

    name: str
    papers: tuple[Paper, ...]
    skipped: int = 0  # records the source held that could not become papers
