"""The night's model work for the papers that arrived: a For-you score (when there are likes),
the terms behind it, and similar papers.

Everything is computed once, when a paper arrives, and stored with it by the pipeline, so
pages and feeds never change afterwards; a later night's likes only change the scores of
papers still to come. A night with no new paper does nothing at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from paperfeed.features import count_rows, paper_text, weigh
from paperfeed.likes import LikeSet, match_likes
from paperfeed.model import Record
from paperfeed.ranking import rank
from paperfeed.similar import similar_papers

Say = Callable[[str], None]


@dataclass(frozen=True)
class PaperModel:
    """What the model says about one new paper."""

    score: float | None  # None without likes (or without a liked paper in the archive yet)
    why: tuple[str, ...]  # the paper's n-grams that weighed most for its score, strongest first
    similar: tuple[str, ...]  # ids of up to 5 similar archived papers, most similar first


@dataclass(frozen=True)
class ModelResult:
    papers: Mapping[str, PaperModel]  # by new paper id, in the order asked
    reports: tuple[str, ...] = ()  # one line each: likes lines that match no paper (yet)
    liked: int = 0  # liked papers found in the archive
    # How the night went, not what it found (left out of ==, which compares results):
    counts_from_cache: int = field(default=0, compare=False)
    counts_computed: int = field(default=0, compare=False)
    seconds: Mapping[str, float] = field(default_factory=dict, compare=False)  # by step


def model_work(
    records: Sequence[Record], new_ids: Sequence[str], likes: LikeSet | None, cache_dir: Path | None, say: Say
) -> ModelResult:
    """Scores, reasons and similar papers for the papers `new_ids` names, all of them among
    `records` (the whole archive, new papers included). Feature rows are memoised under
    `cache_dir` (None: no cache); the result is the same with or without it."""
    if not new_ids:
        return ModelResult({})
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[step] = round(now - clock, 3)
        clock = now

    ordered = sorted(records, key=lambda record: record.id)
    ids = [record.id for record in ordered]
    row_of = {record_id: row for row, record_id in enumerate(ids)}
    unknown = [record_id for record_id in new_ids if record_id not in row_of]
    if unknown:
        raise ValueError(f"new papers missing from the records: {unknown[:5]}")
    papers = [record.paper for record in ordered]
    counts, stats = count_rows(ids, papers, cache_dir, say)
    lap("features")
    weighted = weigh(counts)
    del counts
    lap("tf-idf")
    new_rows = [row_of[record_id] for record_id in new_ids]
    nearest = similar_papers(weighted.matrix, new_rows)
    lap("similar")
    reports: tuple[str, ...] = ()
    liked: tuple[str, ...] = ()
    scores: dict[str, float] = {}
    why: dict[str, tuple[str, ...]] = {}
    if likes is not None:
        matched = match_likes(likes, ordered)
        reports, liked = matched.reports, matched.liked
        ranking = rank(
            weighted,
            new_rows,
            ids=ids,
            liked_rows=[row_of[i] for i in matched.liked],
            disliked_rows=[row_of[i] for i in matched.disliked],
            text_of=lambda row: paper_text(papers[row]),
        )
        if ranking is not None:
            scores, why = ranking.scores, ranking.why
        lap("ranking")
    result = ModelResult(
        papers={
            record_id: PaperModel(
                score=scores.get(record_id),
                why=why.get(record_id, ()),
                similar=tuple(ids[row] for row in nearest[row_of[record_id]]),
            )
            for record_id in new_ids
        },
        reports=reports,
        liked=len(liked),
        counts_from_cache=stats.from_cache,
        counts_computed=stats.computed,
        seconds=seconds,
    )
    _summarise(result, likes, say)
    return result


def _summarise(result: ModelResult, likes: LikeSet | None, say: Say) -> None:
    for report in result.reports:
        say(report)
    total = sum(result.seconds.values())
    features = f"features: {result.counts_computed:,} computed, {result.counts_from_cache:,} from the cache"
    if likes is None:
        ranking = "no likes file: not ranked"
    elif result.liked == 0:
        ranking = "no liked paper in the archive yet: not ranked"
    elif all(paper.score is None for paper in result.papers.values()):
        ranking = "too few papers to learn from: not ranked"
    else:
        ranking = f"ranked by {result.liked:,} liked papers"
    say(f"for you: {len(result.papers):,} new papers, {ranking}, similar papers found; {features} ({total:.1f} s)")
