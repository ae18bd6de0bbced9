"""The paper search index (paper_search.py): words, file layout, and what stays put night to night.

The worker that reads these files is tested in Chromium (test_browser.py), including that it
splits and folds words exactly as words() does here."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperfeed import paper_search
from paperfeed.paper_search import BLOCK, FOLDER, search_files, term_key, words
from records import T0, record


def _index(records: list) -> dict[str, object]:
    return {path: json.loads(data) for path, data in search_files(records)}


def _ordinals(gaps: list[int]) -> list[int]:
    found, total = [], 0
    for gap in gaps:
        total += gap
        found.append(total)
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Schölkopf's GAN-based", ["scholkopf", "s", "gan", "based"]),
        ("Sch\u0308olkopf", ["scholkopf"]),  # a combining umlaut is folded away too
        ("ÉCOLE   Polytechnique", ["ecole", "polytechnique"]),
        ("snake_case and 2401.12345", ["snake", "case", "and", "2401", "12345"]),
        ("Ｆｕｌｌｗｉｄｔｈ ﬁne", ["fullwidth", "fine"]),  # compatibility forms
        ("Δ-learning αβ", ["δ", "learning", "αβ"]),
        ("大型语言模型", ["大型语言模型"]),
        ("", []),
        ("<b> & </b>", ["b", "b"]),
    ],
)
def test_words_are_folded_and_split_as_the_worker_does(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_term_keys_are_safe_file_names_that_never_collide() -> None:
    assert term_key("learning") == "le"
    assert term_key("a") == "a"
    assert term_key("αβγ") == "x-3b1-3b2"
    assert term_key("aé") == "x-61-e9"
    assert term_key("x") == "x"  # ASCII keys hold no "-", so never meet an "x-..." one


@given(st.lists(st.text(min_size=1, max_size=3), min_size=2, max_size=40, unique=True))
def test_different_prefixes_get_different_files(prefixes: list[str]) -> None:
    keys = {prefix[:2]: term_key(prefix) for prefix in prefixes}
    assert len(set(keys.values())) == len(keys)


def test_every_paper_is_found_by_each_word_of_its_title_its_authors_and_its_arxiv_id() -> None:
    papers = [
        record("2411.00001", "Zebrafish Tracking", seen=T0, authors=("Marie Curie", 'Erwin Schr\\"odinger')),
        record("2411.00002", "Tracking Zebras", seen=T0 + timedelta(hours=1), arxiv_id="2411.00002"),
    ]
    index = _index(papers)
    terms = {}
    for path, shard in index.items():
        if path.startswith(f"{FOLDER}/terms/"):
            for field, by_word in shard.items():
                for word, gaps in by_word.items():
                    assert path == f"{FOLDER}/terms/{term_key(word)}.json"
                    terms[field, word] = _ordinals(gaps)
    assert terms["t", "tracking"] == [0, 1]
    assert terms["t", "zebrafish"] == [0]
    assert terms["a", "schrodinger"] == [0]  # TeX accent made readable, then folded
    assert terms["a", "curie"] == [0] and terms["a", "marie"] == [0]
    assert terms["t", "2411"] == [1] and terms["t", "00002"] == [1]
    docs = index[f"{FOLDER}/docs/0.json"]
    assert docs == [
        ["2411.00001", "2026-11-20", "Zebrafish Tracking", "Marie Curie, Erwin Schrödinger"],
        ["2411.00002", "2026-11-20", "Tracking Zebras", ""],
    ]
    manifest = index[f"{FOLDER}/manifest.json"]
    assert manifest["papers"] == 2 and manifest["block"] == BLOCK and manifest["page"] == "papers/{id}/"


def test_a_new_night_leaves_older_files_as_they_were() -> None:
    """Ordinals count from the oldest paper, so only the newest docs file, the terms of the new
    papers' words and the manifest change: what browsers cached stays right."""
    old = [record(f"p{n:04}", f"Paper number {n} on topic{n % 7}", seen=T0 + timedelta(minutes=n)) for n in range(150)]
    new = record("p9999", "A fresh paper on quokkas", seen=T0 + timedelta(days=3))
    before = dict(search_files(old))
    after = dict(search_files([*old, new]))
    changed = {path for path in after if before.get(path) != after[path]}
    assert changed == {
        f"{FOLDER}/manifest.json",
        f"{FOLDER}/docs/2.json",
        *(f"{FOLDER}/terms/{key}.json" for key in ("a", "fr", "on", "pa", "qu")),
    }
    assert (
        json.loads(after[f"{FOLDER}/manifest.json"])["version"]
        != json.loads(before[f"{FOLDER}/manifest.json"])["version"]
    )


def test_the_index_is_the_same_for_the_same_archive_in_any_order() -> None:
    papers = [record(f"p{n}", f"Title {n}", seen=T0 + timedelta(minutes=n % 3)) for n in range(20)]
    assert list(search_files(papers)) == list(search_files(list(reversed(papers))))


def test_an_empty_archive_has_a_manifest_and_nothing_else() -> None:
    files = dict(search_files([]))
    assert list(files) == [f"{FOLDER}/manifest.json"]
    assert json.loads(files[f"{FOLDER}/manifest.json"])["papers"] == 0


def test_a_docs_file_holds_one_block_of_papers() -> None:
    papers = [record(f"p{n:04}", "Same title", seen=T0 + timedelta(minutes=n)) for n in range(BLOCK + 1)]
    index = _index(papers)
    assert len(index[f"{FOLDER}/docs/0.json"]) == BLOCK
    assert [doc[0] for doc in index[f"{FOLDER}/docs/1.json"]] == [f"p{BLOCK:04}"]
    assert _ordinals(index[f"{FOLDER}/terms/sa.json"]["t"]["same"]) == list(range(BLOCK + 1))
    assert paper_search.RESULTS <= 4 * BLOCK  # a search's results touch few docs files
