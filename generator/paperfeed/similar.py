"""Similar papers: the archive's papers nearest to a paper by cosine similarity of their TF-IDF
rows (which have unit length, so a dot product is the cosine)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from paperfeed.features import Matrix

SIMILAR = 5
# Query rows per sparse product: bounds the dense block of similarities (papers x BATCH).
_BATCH = 64


def similar_papers(matrix: Matrix, rows: Sequence[int], count: int = SIMILAR) -> dict[int, tuple[int, ...]]:
    """For each row in `rows`, up to `count` other rows sharing at least one n-gram with it,
    most similar first; equal similarities in row order (the rows are in id order, so ties go
    to the smaller id)."""
    found: dict[int, tuple[int, ...]] = {}
    for start in range(0, len(rows), _BATCH):
        batch = list(rows[start : start + _BATCH])
        queries = sp.csr_matrix(matrix[np.asarray(batch, dtype=np.int64)])
        # (papers x batch): the large matrix is never transposed.
        block = np.asarray((matrix @ queries.T).toarray(), dtype=np.float32)
        for column, row in enumerate(batch):
            found[row] = _nearest(block[:, column], row, count)
    return found


def _nearest(similarity: np.ndarray, row: int, count: int) -> tuple[int, ...]:
    similarity = similarity.copy()
    similarity[row] = 0.0
    candidates = np.flatnonzero(similarity > 0)
    if len(candidates) > count:
        # Everything at least as similar as the count-th best, so ties at the edge are all seen.
        edge = np.partition(similarity[candidates], len(candidates) - count)[len(candidates) - count]
        candidates = candidates[similarity[candidates] >= edge]
    order = np.lexsort((candidates, -similarity[candidates]))
    return tuple(int(candidates[i]) for i in order[:count])
