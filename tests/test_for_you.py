"""The model work of a night: features and their cache, similar papers, the For-you ranking."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from paperfeed import features
from paperfeed.features import CACHE_FOLDER, MAX_CHUNKS, hashed_counts, ngrams_by_feature, paper_text, weigh
from paperfeed.for_you import ModelResult, model_work
from paperfeed.likes import Like, LikeSet
from paperfeed.model import Record
from paperfeed.similar import similar_papers
from records import record

TOPICS = json.loads((Path(__file__).resolve().parent / "fixtures" / "for-you" / "topics.json").read_text("utf-8"))


def _archive() -> list[Record]:
    """18 papers on three topics, ids in an order unrelated to the topics."""
    order = random.Random(14).sample(range(len(TOPICS)), len(TOPICS))  # noqa: S311 - test data, not secrets
    return [
        record(f"2401.{100 + position:05d}", item["title"], abstract=item["abstract"])
        for position, item in zip(order, TOPICS, strict=True)
    ]


def _topic(records: list[Record]) -> dict[str, str]:
    by_title = {item["title"]: item["topic"] for item in TOPICS}
    return {r.id: by_title[r.paper.title] for r in records}


def _likes_of(records: list[Record], topic: str, count: int = 3) -> LikeSet:
    topics = _topic(records)
    liked = [r for r in records if topics[r.id] == topic][:count]
    return LikeSet(tuple(Like(f"likes.txt:{n}", r.id, page_id=r.id) for n, r in enumerate(liked, 1)))


def _run(records: list[Record], new_ids: list[str], likes: LikeSet | None, cache: Path | None) -> ModelResult:
    said: list[str] = []
    result = model_work(records, new_ids, likes, cache, said.append)
    assert said, "a night with new papers says what it did"
    return result


def test_similar_papers_are_of_the_same_topic() -> None:
    records = _archive()
    topics = _topic(records)
    result = _run(records, [r.id for r in records], None, None)
    for record_id, found in result.papers.items():
        assert len(found.similar) == 5
        assert record_id not in found.similar
        assert {topics[other] for other in found.similar} == {topics[record_id]}, record_id


def test_similar_ties_go_to_the_smaller_id_and_unrelated_papers_are_left_out() -> None:
    text = "Graph neural networks for molecules predict molecular properties from atoms and bonds."
    twins = [record(f"2402.{n:05d}", "Molecular graph networks", abstract=text) for n in (5, 3, 4, 1)]
    alone = record("2402.00009", "Sea shanties", abstract="Sailors sang sea shanties while hauling ropes on deck.")
    result = _run([*twins, alone], ["2402.00004", "2402.00009"], None, None)
    assert result.papers["2402.00004"].similar == ("2402.00001", "2402.00003", "2402.00005")
    assert result.papers["2402.00009"].similar == ()  # shares no word with any other paper


def test_three_liked_papers_of_a_topic_put_that_topic_on_top() -> None:
    records = _archive()
    topics = _topic(records)
    for topic in ("speech", "continual", "protein"):
        likes = _likes_of(records, topic)
        liked = {like.text for like in likes.likes}
        new = [r.id for r in records if r.id not in liked]
        result = _run(records, new, likes, None)
        assert result.liked == 3
        ranked = sorted(new, key=lambda i: (-(result.papers[i].score or 0.0), i))
        assert [topics[i] for i in ranked[:3]] == [topic] * 3, topic
        assert all(topics[i] != topic for i in ranked[3:])
        for record_id in ranked[:3]:
            why = result.papers[record_id].why
            assert why, "a paper on the liked topic has terms that weighed for it"
            text = paper_text(next(r for r in records if r.id == record_id).paper)
            own = set(ngrams_by_feature(text).values())
            assert set(why) <= own  # the paper's own words, never another's


def test_why_terms_name_the_topic() -> None:
    records = _archive()
    likes = _likes_of(records, "protein")
    new = [r.id for r in records if _topic(records)[r.id] == "protein" and r.id not in {x.text for x in likes.likes}]
    result = _run(records, new, likes, None)
    words = {word for record_id in new for term in result.papers[record_id].why for word in term.split()}
    assert words & {"protein", "amino", "residue", "residues", "structure", "folding", "fold", "backbone"}


def test_a_dislike_lowers_the_score_of_papers_like_it() -> None:
    records = _archive()
    topics = _topic(records)
    likes = _likes_of(records, "speech")
    continual = [r for r in records if topics[r.id] == "continual"]
    new = [r.id for r in continual[1:]]
    plain = _run(records, new, likes, None)
    disliking = replace(likes, dislikes=(Like("dislikes.txt:1", continual[0].id, page_id=continual[0].id),))
    disliked = _run(records, new, disliking, None)
    for record_id in new:
        assert (disliked.papers[record_id].score or 0.0) < (plain.papers[record_id].score or 0.0)


def test_without_likes_there_are_no_scores_but_similar_papers() -> None:
    records = _archive()
    said: list[str] = []
    result = model_work(records, [records[0].id], None, None, said.append)
    assert result.papers[records[0].id].score is None
    assert result.papers[records[0].id].why == ()
    assert len(result.papers[records[0].id].similar) == 5
    assert any("no likes file" in line for line in said)


def test_likes_that_match_nothing_yet_are_reported_and_rank_nothing() -> None:
    records = _archive()
    said: list[str] = []
    likes = LikeSet((Like("likes.txt:7", "A paper still to come", title_key="a paper still to come"),))
    result = model_work(records, [records[0].id], likes, None, said.append)
    assert result.papers[records[0].id].score is None
    assert result.reports == (
        "likes.txt:7: no paper in the archive matches 'A paper still to come'; it is kept for when that paper arrives",
    )
    assert said[0] == result.reports[0]
    assert any("no liked paper in the archive yet" in line for line in said)


def test_a_night_with_no_new_paper_does_nothing(tmp_path: Path) -> None:
    said: list[str] = []
    cache = tmp_path / "cache"
    result = model_work(_archive(), [], _likes_of(_archive(), "speech"), cache, said.append)
    assert result == ModelResult({})
    assert said == []
    assert not cache.exists()


def test_unknown_new_ids_are_a_bug() -> None:
    with pytest.raises(ValueError, match="missing from the records"):
        model_work(_archive(), ["9999.99999"], None, None, print)


def test_same_inputs_same_result_bit_for_bit_whatever_the_order(tmp_path: Path) -> None:
    records = _archive()
    likes = _likes_of(records, "continual")
    new = [r.id for r in records[-6:]]
    first = _run(records, new, likes, None)
    shuffled = random.Random(3).sample(records, len(records))  # noqa: S311 - test data, not secrets
    second = _run(shuffled, new, likes, tmp_path / "cache")
    assert first == second
    assert list(first.papers) == new  # in the order asked
    for found in first.papers.values():
        assert found.score is not None
        assert round(found.score, 4) == found.score
        assert str(found.score) != "-0.0"


def test_a_cache_miss_changes_nothing(tmp_path: Path) -> None:
    records = _archive()
    likes = _likes_of(records, "speech")
    new = [r.id for r in records[-5:]]
    cache = tmp_path / "cache"
    expected = _run(records, new, likes, None)

    cold = _run(records, new, likes, cache)
    assert (cold.counts_computed, cold.counts_from_cache) == (18, 0)
    warm = _run(records, new, likes, cache)
    assert (warm.counts_computed, warm.counts_from_cache) == (0, 18)

    (chunk,) = (cache / CACHE_FOLDER).glob("*/chunk-*.npz")
    chunk.write_bytes(chunk.read_bytes()[:200])  # a damaged file, as a cut-off restore leaves it
    damaged = _run(records, new, likes, cache)
    assert (damaged.counts_computed, damaged.counts_from_cache) == (18, 0)

    for result in (cold, warm, damaged):
        assert result == expected


def test_a_changed_abstract_is_recomputed(tmp_path: Path) -> None:
    records = _archive()
    cache = tmp_path / "cache"
    _run(records, [records[0].id], None, cache)
    corrected = replace(records[0].paper, abstract="A corrected abstract on proteins.")
    edited = [replace(records[0], paper=corrected), *records[1:]]
    again = _run(edited, [records[0].id], None, cache)
    assert (again.counts_computed, again.counts_from_cache) == (1, 17)
    assert again == _run(edited, [records[0].id], None, None)


def test_nights_add_to_the_cache_and_it_is_compacted(tmp_path: Path) -> None:
    records = _archive()
    cache = tmp_path / "cache"
    folder = None
    for night in range(1, len(records) + 1):
        archive = records[:night]
        result = _run(archive, [archive[-1].id], None, cache)
        assert (result.counts_computed, result.counts_from_cache) == (1, night - 1)
        (folder,) = (cache / CACHE_FOLDER).iterdir()
        assert len(list(folder.iterdir())) <= MAX_CHUNKS
        assert result == _run(archive, [archive[-1].id], None, None)
    assert folder is not None
    assert not list(folder.glob("*.tmp"))


def test_another_recipe_in_the_cache_is_ignored_and_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records = _archive()
    cache = tmp_path / "cache"
    _run(records, [records[0].id], None, cache)
    (old,) = (cache / CACHE_FOLDER).iterdir()
    monkeypatch.setattr(features, "RECIPE", features.RECIPE + "-changed")
    result = _run(records, [records[0].id], None, cache)
    assert result.counts_computed == 18
    assert not old.exists()
    assert len(list((cache / CACHE_FOLDER).iterdir())) == 1


def test_a_cache_that_cannot_be_written_is_reported_and_ignored(tmp_path: Path) -> None:
    records = _archive()
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be", "utf-8")
    said: list[str] = []
    result = model_work(records, [records[0].id], None, blocked, said.append)
    assert any(line.startswith("features cache: cannot write") for line in said)
    assert result == _run(records, [records[0].id], None, None)


def test_counts_are_the_hashed_ngrams_of_title_and_abstract() -> None:
    counts = hashed_counts(["Speech Translation\nSpeech translation of speech, in 2024, by a model."])
    named = ngrams_by_feature("Speech Translation\nSpeech translation of speech, in 2024, by a model.")
    by_gram = {gram: float(counts[0, feature]) for feature, gram in named.items()}
    assert by_gram == {
        "speech": 3.0,
        "translation": 2.0,
        "model": 1.0,
        "speech translation": 2.0,
        "translation speech": 2.0,
        "speech model": 1.0,
    }  # stop words, numbers and one-letter words left out, bigrams across them


def test_tf_idf_rows_have_unit_length_and_drop_words_of_one_paper() -> None:
    texts = ["alpha beta gamma", "alpha beta delta", "alpha epsilon"]
    weighted = weigh(hashed_counts(texts))
    lengths = weighted.matrix.multiply(weighted.matrix).sum(axis=1)
    assert [round(float(x), 6) for x in lengths.A1] == [1.0, 1.0, 1.0]
    kept = {ngrams_by_feature(" ".join(texts)).get(int(f)) for f in weighted.columns}
    assert kept == {"alpha", "beta", "alpha beta"}
    found = similar_papers(weighted.matrix, [0, 1, 2])
    assert found == {0: (1, 2), 1: (0, 2), 2: (0, 1)}


_SCORE_IN_A_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
import test_for_you as t
records = t._archive()
result = t.model_work(records, [r.id for r in records[-6:]], t._likes_of(records, "protein"), None, lambda _: None)
print(json.dumps({i: [p.score, p.why, p.similar] for i, p in result.papers.items()}))
"""


@pytest.mark.parametrize("threads", ["1", "2"])
def test_scores_do_not_depend_on_thread_counts(threads: str) -> None:
    here = str(Path(__file__).resolve().parent)
    env = {**os.environ, **dict.fromkeys(("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"), threads)}
    out = subprocess.run(
        [sys.executable, "-c", _SCORE_IN_A_CHILD, here], env=env, capture_output=True, text=True, check=True
    )
    records = _archive()
    result = model_work(records, [r.id for r in records[-6:]], _likes_of(records, "protein"), None, lambda _: None)
    expected = {i: [p.score, list(p.why), list(p.similar)] for i, p in result.papers.items()}
    assert json.loads(out.stdout) == expected
