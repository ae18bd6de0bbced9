"""The For-you score: a linear classifier of the archive's TF-IDF rows (arxiv-sanity's recipe,
run offline), trained with the liked papers as positives and every other paper as negatives,
the two classes weighed as equals. A disliked paper weighs as much as a liked one.

The score of a paper is the classifier's decision value (positive: on the liked side),
rounded so archive lines stay stable. The classifier's fit is deterministic: a fixed
random_state and one thread, so the same archive and likes give the same scores bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from paperfeed.features import Weighted, ngrams_by_feature

# arxiv-sanity-lite's settings: a soft margin (small C) ranks better with a handful of likes.
C = 0.01
SCORE_DECIMALS = 4
WHY_TERMS = 4


@dataclass(frozen=True)
class Ranking:
    scores: dict[str, float]  # by paper id
    why: dict[str, tuple[str, ...]]  # by paper id: the n-grams that weighed most for it


def fit_model(weighted: Weighted, liked_rows: Sequence[int], disliked_rows: Sequence[int]) -> npt.NDArray[np.float64]:
    """The classifier's weights over the columns of `weighted` and its intercept last."""
    papers = weighted.matrix.shape[0]
    labels = np.zeros(papers, dtype=np.int8)
    labels[np.asarray(liked_rows, dtype=np.int64)] = 1
    positives = int(labels.sum())
    # Balanced classes, as class_weight="balanced" weighs them, with dislikes weighed as likes.
    weights = np.full(papers, papers / (2 * (papers - positives)), dtype=np.float64)
    weights[labels == 1] = papers / (2 * positives)
    weights[np.asarray(disliked_rows, dtype=np.int64)] = papers / (2 * positives)
    # The dual solver always: it suits many sparse features, and the solver then never
    # changes with the archive's shape (scikit-learn's "auto" picks by it).
    model = LinearSVC(C=C, dual=True, tol=1e-6, max_iter=10_000, random_state=0)
    with threadpool_limits(limits=1):
        model.fit(weighted.matrix, labels, sample_weight=weights)
    coef: npt.NDArray[np.float64] = np.asarray(model.coef_, dtype=np.float64).ravel()
    intercept = float(np.asarray(model.intercept_).ravel()[0])
    return np.append(coef, intercept)


def rank(
    weighted: Weighted,
    rows: Sequence[int],
    *,
    ids: Sequence[str],
    liked_rows: Sequence[int],
    disliked_rows: Sequence[int],
    text_of: Callable[[int], str],
) -> Ranking | None:
    """Scores and reasons for the papers at `rows` (ids[row] names each); None when there is
    nothing to learn from: nothing liked, everything liked, or no n-gram shared by two papers."""
    papers, columns = weighted.matrix.shape
    if not liked_rows or len(set(liked_rows)) >= papers or not columns:
        return None
    model = fit_model(weighted, liked_rows, disliked_rows)
    coef, intercept = model[:-1], float(model[-1])
    scores: dict[str, float] = {}
    why: dict[str, tuple[str, ...]] = {}
    for row in rows:
        vector = weighted.matrix[row]
        contributions = vector.data.astype(np.float64) * coef[vector.indices]
        value = float(contributions.sum()) + intercept
        scores[ids[row]] = round(value, SCORE_DECIMALS) + 0.0  # + 0.0: never "-0.0"
        why[ids[row]] = _top_terms(weighted, vector.indices, contributions, text_of(row))
    return Ranking(scores, why)


def _top_terms(
    weighted: Weighted, columns: npt.NDArray[np.int32], contributions: npt.NDArray[np.float64], text: str
) -> tuple[str, ...]:
    """The paper's own n-grams that pushed its score up most. A term whose words another
    chosen term already holds (or holds all of) adds nothing and is skipped."""
    order = np.argsort(-contributions, kind="stable")
    named = ngrams_by_feature(text)
    chosen: list[str] = []
    chosen_words: list[frozenset[str]] = []
    for index in order.tolist():
        if contributions[index] <= 0 or len(chosen) == WHY_TERMS:
            break
        term = named.get(int(weighted.columns[columns[index]]))
        if term is None:
            continue
        words = frozenset(term.split())
        if any(words <= other or other <= words for other in chosen_words):
            continue
        chosen.append(term)
        chosen_words.append(words)
    return tuple(chosen)
