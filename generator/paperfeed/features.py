"""TF-IDF vectors of papers' titles and abstracts, for ranking and similar papers.

Two steps, so that a night costs little however large the archive:

1. Each paper's text becomes a row of n-gram counts by feature hashing (scikit-learn's
   HashingVectorizer). A row depends on that paper's text alone, so it is computed once and
   memoised in a cache folder outside git (kept between nightly runs by the workflow's
   cache). A missing, stale or damaged cache only costs time: rows are recomputed, and every
   result is the same either way.
2. Every night the rows are weighted by the archive's document frequencies (TfidfTransformer:
   sublinear tf, smooth idf, rows of unit length), after dropping the n-grams too rare to
   relate two papers or too common to tell them apart.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, TypeAlias

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from paperfeed.model import Paper
from paperfeed.progress import track

Say = Callable[[str], None]
Matrix: TypeAlias = sp.csr_matrix  # scipy has no type hints: Any to mypy

# The hashing space: 2**20 buckets keep collisions among the archive's n-grams rare.
N_FEATURES = 2**20
# Words start with a letter and have two characters or more: numbers, years and stray
# symbols ("2024", "10x", "a") say nothing about a paper's topic.
WORD_PATTERN = r"(?u)\b[^\W\d_]\w+\b"
# An n-gram in fewer papers than MIN_DF cannot relate two papers; one in more than MAX_DF of
# them (and at least MAX_DF_FLOOR papers) is too common to tell papers apart.
MIN_DF = 2
MAX_DF = 0.5
MAX_DF_FLOOR = 50
# Bump when the recipe of the count rows changes: cached rows of another recipe are ignored.
RECIPE = f"v1-{N_FEATURES}-12-{WORD_PATTERN}-english"
CACHE_FOLDER = "features"
_CHUNK = re.compile(r"chunk-[0-9a-f]{16}\.npz")
# Compact the cache into one file when it holds more files than this, or more stale rows
# (papers whose text changed) than this share of its rows.
MAX_CHUNKS = 8
MAX_STALE_SHARE = 0.2
_BATCH = 1000
_TEMP_SUFFIX = ".tmp"


def paper_text(paper: Paper) -> str:
    return f"{paper.title}\n{paper.abstract}"


def text_hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


_VECTORIZER = HashingVectorizer(
    ngram_range=(1, 2),
    lowercase=True,
    strip_accents="unicode",
    stop_words="english",
    token_pattern=WORD_PATTERN,
    alternate_sign=False,
    norm=None,
    n_features=N_FEATURES,
    dtype=np.float32,
)
_ANALYZER: Callable[[str], list[str]] = _VECTORIZER.build_analyzer()
_HASHER = FeatureHasher(n_features=N_FEATURES, input_type="string", alternate_sign=False, dtype=np.float32)


def hashed_counts(texts: Sequence[str]) -> Matrix:
    """One row of n-gram counts per text (float32, sorted indices)."""
    counts = sp.csr_matrix(_VECTORIZER.transform(texts), dtype=np.float32)
    counts.sort_indices()
    return counts


def ngrams_by_feature(text: str) -> dict[int, str]:
    """The n-grams of `text` under the hashed feature each counts in. When two n-grams of the
    text share a feature, the first in alphabetical order names it."""
    grams = sorted(set(_ANALYZER(text)))
    if not grams:
        return {}
    features = sp.csr_matrix(_HASHER.transform([[gram] for gram in grams])).indices
    named: dict[int, str] = {}
    for feature, gram in zip(features.tolist(), grams, strict=True):
        named.setdefault(feature, gram)
    return named


# --- the count rows, memoised ------------------------------------------------------------


@dataclass(frozen=True)
class CountStats:
    papers: int
    from_cache: int
    computed: int
    cache_written: bool


@dataclass(frozen=True)
class _Chunk:
    """A cache file's index: which paper each row holds, for which text, and where."""

    path: Path
    ids: list[str]
    hashes: list[int]
    indptr: npt.NDArray[np.int64]


class _DamagedChunk(Exception):
    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


def count_rows(
    ids: Sequence[str], papers: Sequence[Paper], cache_dir: Path | None, say: Say
) -> tuple[Matrix, CountStats]:
    """The count rows of `papers` (one per id, in the order given), from the cache where it
    holds them for the same text, computed otherwise; the computed ones are added to it.
    Without a cache folder every row is computed."""
    hashes = np.fromiter((text_hash(paper_text(paper)) for paper in papers), dtype=np.uint64, count=len(papers))
    folder = cache_dir / CACHE_FOLDER / _recipe_folder() if cache_dir is not None else None
    chunks = _read_indexes(folder) if folder is not None else []
    while True:
        try:
            counts, missing, stale = _assemble(ids, papers, hashes, chunks)
            break
        except _DamagedChunk as damaged:  # rare: its rows are computed instead
            chunks = [chunk for chunk in chunks if chunk.path != damaged.path]
            damaged.path.unlink(missing_ok=True)
    written = False
    if folder is not None and (len(missing) or _needs_compaction(chunks, stale)):
        written = _store(
            folder, chunks=chunks, ids=ids, hashes=hashes, counts=counts, missing=missing, stale=stale, say=say
        )
    return counts, CountStats(len(ids), len(ids) - len(missing), len(missing), written)


def _assemble(
    ids: Sequence[str], papers: Sequence[Paper], hashes: npt.NDArray[np.uint64], chunks: Sequence[_Chunk]
) -> tuple[Matrix, npt.NDArray[np.intp], int]:
    """The count matrix, its rows copied from the cache chunks that hold them (one chunk in
    memory at a time, so the peak is the matrix plus one chunk) or computed; the rows that
    were computed, and how many cached rows are stale."""
    position = {record_id: row for row, record_id in enumerate(ids)}
    wanted = hashes.tolist()
    found = np.zeros(len(ids), dtype=bool)
    lengths = np.zeros(len(ids), dtype=np.int64)
    plans: list[tuple[_Chunk, npt.NDArray[np.int64], npt.NDArray[np.int64]]] = []
    stale = 0
    for chunk in chunks:
        sources: list[int] = []
        targets: list[int] = []
        for row, (record_id, digest) in enumerate(zip(chunk.ids, chunk.hashes, strict=True)):
            target = position.get(record_id)
            if target is None or found[target] or wanted[target] != digest:
                stale += 1
                continue
            found[target] = True
            sources.append(row)
            targets.append(target)
        if sources:
            source = np.asarray(sources, dtype=np.int64)
            target_rows = np.asarray(targets, dtype=np.int64)
            lengths[target_rows] = chunk.indptr[source + 1] - chunk.indptr[source]
            plans.append((chunk, source, target_rows))
    missing = np.flatnonzero(~found)
    computed = _compute(missing, papers) if len(missing) else None
    if computed is not None:
        lengths[missing] = np.diff(computed.indptr)
    indptr = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    assembled = _Rows(indptr, np.empty(int(indptr[-1]), dtype=np.float32), np.empty(int(indptr[-1]), dtype=np.int32))
    for chunk, source, target_rows in plans:
        _copy_rows(_read_rows(chunk), source, assembled, target_rows)
    if computed is not None:
        rows = _Rows(computed.indptr.astype(np.int64), computed.data, computed.indices)
        _copy_rows(rows, np.arange(len(missing), dtype=np.int64), assembled, missing.astype(np.int64))
    counts = sp.csr_matrix((assembled.data, assembled.indices, assembled.indptr), shape=(len(ids), N_FEATURES))
    counts.has_sorted_indices = True  # every row comes sorted, from the cache or hashed_counts
    return counts, missing, stale


class _Rows(NamedTuple):
    """The three arrays of a CSR matrix."""

    indptr: npt.NDArray[np.int64]
    data: npt.NDArray[np.float32]
    indices: npt.NDArray[np.int32]


def _copy_rows(
    source: _Rows, source_rows: npt.NDArray[np.int64], target: _Rows, target_rows: npt.NDArray[np.int64]
) -> None:
    """Copy rows of `source` into their places in `target`; consecutive rows going to
    consecutive places (the usual case: the cache keeps rows in id order) are copied as one run."""
    breaks = np.flatnonzero((np.diff(source_rows) != 1) | (np.diff(target_rows) != 1)) + 1
    starts = np.concatenate(([0], breaks)).tolist()
    ends = np.concatenate((breaks, [len(source_rows)])).tolist()
    for start, end in zip(starts, ends, strict=True):
        first, last = int(source_rows[start]), int(source_rows[end - 1])
        begin, stop = int(source.indptr[first]), int(source.indptr[last + 1])
        at = int(target.indptr[target_rows[start]])
        target.data[at : at + stop - begin] = source.data[begin:stop]
        target.indices[at : at + stop - begin] = source.indices[begin:stop]


def _compute(rows: npt.NDArray[np.intp], papers: Sequence[Paper]) -> Matrix:
    batches = [rows[start : start + _BATCH] for start in range(0, len(rows), _BATCH)]
    parts = [
        hashed_counts([paper_text(papers[row]) for row in batch.tolist()])
        for batch in track(batches, "features: batch", len(batches))
    ]
    return sp.csr_matrix(sp.vstack(parts, format="csr"), dtype=np.float32)


def _recipe_folder() -> str:
    return hashlib.sha256(RECIPE.encode("utf-8")).hexdigest()[:16]


_UNREADABLE = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)


def _read_indexes(folder: Path) -> list[_Chunk]:
    """The index of every readable cache file; a damaged one is skipped (and its rows
    computed again)."""
    if not folder.is_dir():
        return []
    chunks = []
    for path in sorted(folder.iterdir()):
        if not _CHUNK.fullmatch(path.name):
            continue
        try:
            with np.load(path, allow_pickle=False) as stored:
                ids, hashes, indptr = stored["ids"], stored["hashes"], stored["indptr"]
            if ids.dtype != np.uint8 or hashes.dtype != np.uint64 or indptr.dtype != np.int64:
                raise ValueError("unexpected arrays")
            names = ids.tobytes().decode("utf-8").split("\n") if len(hashes) else []
            if (
                len(names) != len(hashes)
                or len(indptr) != len(names) + 1
                or indptr[0] != 0
                or np.any(np.diff(indptr) < 0)
            ):
                raise ValueError("inconsistent arrays")
        except _UNREADABLE:  # UnicodeDecodeError is a ValueError
            continue
        chunks.append(_Chunk(path, names, hashes.tolist(), indptr))
    return chunks


def _read_rows(chunk: _Chunk) -> _Rows:
    try:
        with np.load(chunk.path, allow_pickle=False) as stored:
            data, indices = stored["data"], stored["indices"]
        size = int(chunk.indptr[-1])
        if data.dtype != np.float32 or indices.dtype != np.int32 or len(data) != size or len(indices) != size:
            raise ValueError("inconsistent arrays")
        if size and (int(indices.min()) < 0 or int(indices.max()) >= N_FEATURES):
            raise ValueError("feature out of range")
    except _UNREADABLE:
        raise _DamagedChunk(chunk.path) from None
    return _Rows(chunk.indptr, data, indices)


def _needs_compaction(chunks: Sequence[_Chunk], stale: int) -> bool:
    total = sum(len(chunk.ids) for chunk in chunks)
    return len(chunks) >= MAX_CHUNKS or (total > 0 and stale > MAX_STALE_SHARE * total)


def _store(
    folder: Path,
    *,
    chunks: Sequence[_Chunk],
    ids: Sequence[str],
    hashes: npt.NDArray[np.uint64],
    counts: Matrix,
    missing: npt.NDArray[np.intp],
    stale: int,
    say: Say,
) -> bool:
    """Add the computed rows to the cache as a new chunk, or rewrite the cache as one chunk
    when it has grown too many or too stale. The cache is only a memo: a write that fails is
    reported and otherwise ignored."""
    compact = len(chunks) + 1 > MAX_CHUNKS or _needs_compaction(chunks, stale)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if compact:
            written = _write_chunk(folder, ids, hashes, counts)
            for chunk in chunks:
                if chunk.path != written:
                    chunk.path.unlink(missing_ok=True)
        else:
            _write_chunk(folder, [ids[row] for row in missing.tolist()], hashes[missing], counts[missing])
        for stray in folder.glob("*" + _TEMP_SUFFIX):  # left by a write that failed
            stray.unlink()
        for other in folder.parent.iterdir():  # rows of another recipe are never used again
            if other.is_dir() and other != folder:
                shutil.rmtree(other)
    except OSError as err:
        say(f"features cache: cannot write {err.filename or folder}: {err.strerror}; it is recomputed next time")
        return False
    return True


def _write_chunk(folder: Path, ids: Sequence[str], hashes: npt.NDArray[np.uint64], counts: Matrix) -> Path:
    """Write one cache file, named by its content, atomically (beside it first, then renamed)."""
    digest = hashlib.sha256()
    for record_id, text_digest in zip(ids, hashes.tolist(), strict=True):
        digest.update(f"{record_id}\0{text_digest}\n".encode())
    path = folder / f"chunk-{digest.hexdigest()[:16]}.npz"
    temp = path.with_name(path.name + _TEMP_SUFFIX)
    with temp.open("wb") as handle:
        np.savez(
            handle,
            ids=np.frombuffer("\n".join(ids).encode("utf-8"), dtype=np.uint8),
            hashes=hashes,
            data=counts.data.astype(np.float32, copy=False),
            indices=counts.indices.astype(np.int32, copy=False),
            indptr=counts.indptr.astype(np.int64, copy=False),
        )
    os.replace(temp, path)
    return path


# --- TF-IDF -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Weighted:
    """TF-IDF rows of unit length over the kept n-grams; `columns` maps each column back to
    its hashed feature."""

    matrix: Matrix
    columns: npt.NDArray[np.int64]


def weigh(counts: Matrix, min_df: int = MIN_DF, max_df: float = MAX_DF) -> Weighted:
    """TF-IDF of the count rows, fitted on them all (the archive's document frequencies)."""
    papers = counts.shape[0]
    frequency = np.bincount(counts.indices, minlength=N_FEATURES)
    most = max(max_df * papers, MAX_DF_FLOOR)
    columns = np.flatnonzero((frequency >= min_df) & (frequency <= most)).astype(np.int64)
    kept = sp.csr_matrix(counts[:, columns])
    if not len(columns):  # no n-gram in two papers yet (a first night of one paper)
        return Weighted(sp.csr_matrix(kept, dtype=np.float32), columns)
    transformer = TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=True)
    matrix = sp.csr_matrix(transformer.fit_transform(kept), dtype=np.float32)
    matrix.sort_indices()
    return Weighted(matrix, columns)
