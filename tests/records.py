"""Small builders for papers and records used across tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from paperfeed.model import Paper, Record

T0 = datetime(2026, 11, 20, 6, 17, tzinfo=UTC)
T1 = datetime(2026, 11, 21, 6, 17, tzinfo=UTC)


def paper(title: str = "A Paper", **fields: object) -> Paper:
    defaults: dict[str, object] = {"abstract": f"The abstract of {title}, long enough to read as one."}
    defaults.update(fields)
    return Paper(title=title, **defaults)  # type: ignore[arg-type]


def record(record_id: str, title: str = "A Paper", seen: datetime = T0, **fields: object) -> Record:
    return Record(id=record_id, paper=paper(title, **fields), first_seen=seen, last_seen=seen, listings=("test",))


RICH = paper(
    "Learning $\\epsilon$-Greedy Policies with Fr\\'echet Rewards",
    abstract='We bound the regret by $\\frac{1}{\\sqrt{T}}$ and show na\\"{\\i}ve baselines fail in 12\\% of runs.',
    authors=("Ada Lovelace", "Alan Turing"),
    arxiv_id="2411.01234",
    published=date(2026, 11, 18),
    tags=("reinforcement learning", "bandits"),
    summary="A regret bound for epsilon-greedy policies.",
    links=(("code", "https://github.com/example/egreedy"), ("project", "https://example.org/egreedy")),
)
