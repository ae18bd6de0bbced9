"""For you, through the real CLI: a likes file of three papers of one topic, a night of real
abstracts (benchmarks/data/labelled-papers.jsonl, labelled by topic), and what the reader gets:
scores and similar papers stored with each paper, and a For-you feed topped by that topic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feedcheck import validate_atom
from harness import ROOT, make_project, paperfeed, tree_hashes
from paperfeed.archive import load_archive

LABELLED = ROOT / "benchmarks" / "data" / "labelled-papers.jsonl"
TOPIC = "speech-audio"


def _papers() -> list[dict[str, str]]:
    return [json.loads(line) for line in LABELLED.read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def ranked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    papers = _papers()
    project = make_project(
        tmp_path_factory.mktemp("for-you") / "project",
        "extra:\n  paperfeed:\n"
        "    for_you: {likes: likes.txt, per_night: 10}\n"
        "    listings:\n      - {name: night, source: text, url: listing.txt}\n",
    )
    listing = "".join(f"{paper['title']}\n{paper['abstract']}\n" for paper in papers)
    (project / "listing.txt").write_text(listing, "utf-8")
    liked = [paper["title"] for paper in papers if paper["topic"] == TOPIC][:3]
    (project / "likes.txt").write_text("# three papers on speech\n" + "\n".join(liked) + "\n", "utf-8")
    paperfeed(project, "update", check=True)
    paperfeed(project, "render", check=True)
    return project


@pytest.mark.slow
def test_the_for_you_feed_is_topped_by_the_liked_topic(ranked: Path) -> None:
    topic_of = {paper["title"]: paper["topic"] for paper in _papers()}
    feed = validate_atom((ranked / "docs" / "feeds" / "for-you.xml").read_bytes())
    titles = [entry.title for entry in feed.entries]
    assert len(titles) >= 10
    on_topic = sum(topic_of.get(title) == TOPIC for title in titles[:10])
    assert on_topic >= 7, titles[:10]
    updated = [entry.updated for entry in feed.entries]
    assert updated == sorted(updated, reverse=True) and len(set(updated)) == len(updated)
    assert "feeds/for-you.xml" in (ranked / "docs" / "feeds.opml").read_text("utf-8")


@pytest.mark.slow
def test_scores_and_similar_papers_are_stored_with_each_paper(ranked: Path) -> None:
    archive = load_archive(ranked / "data")
    assert all(record.score is not None for record in archive.values())
    assert all(1 <= len(record.similar) <= 5 and record.id not in record.similar for record in archive.values())
    best = max(archive.values(), key=lambda record: record.score or 0)
    assert best.why, "the best paper says which of its words weighed most"


@pytest.mark.slow
def test_a_rerun_with_the_same_inputs_and_clock_changes_nothing(ranked: Path) -> None:
    before = tree_hashes(ranked / "data", ranked / "docs")
    paperfeed(ranked, "update", check=True)
    paperfeed(ranked, "render", check=True)
    assert tree_hashes(ranked / "data", ranked / "docs") == before
