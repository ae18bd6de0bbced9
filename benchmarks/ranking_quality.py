"""How well For you ranks, on real abstracts labelled by topic (benchmarks/data/README.md).

For each topic with enough papers, and several seeded draws of 3 of its papers: write a likes
file naming those 3 by title (as a reader would), run the night's model work over the labelled
set with every other paper as new, and count how many of the 10 best-scored papers are on the
liked topic (precision@10). The random baseline is the topic's share of the papers ranked.
Similar papers are measured the same way: the share of each paper's similar papers that are
on its topic, against the topic's share of the rest.
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from paperfeed.for_you import model_work
from paperfeed.likes import load_likes
from paperfeed.model import Paper, Record
from paperfeed.paper_ids import paper_id_from_arxiv, paper_id_from_title

LABELLED = Path(__file__).resolve().parent / "data" / "labelled-papers.jsonl"
LIKED = 3
TOP = 10
DRAWS = 20
OTHER = "other"  # papers on none of the labelled topics
# The model work reads no date, but records need one.
_WHEN = datetime(2026, 6, 12, 6, tzinfo=UTC)


def labelled(path: Path = LABELLED) -> tuple[list[Record], dict[str, str]]:
    """The labelled papers as archive records, and each record's topic."""
    records: list[Record] = []
    topics: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        row = json.loads(line)
        arxiv_id = row.get("arxiv_id")
        record_id = paper_id_from_arxiv(arxiv_id) if arxiv_id else paper_id_from_title(row["title"])
        paper = Paper(title=row["title"], abstract=row["abstract"], arxiv_id=arxiv_id)
        records.append(Record(record_id, paper, _WHEN, _WHEN, (row["source"],)))
        topics[record_id] = row["topic"]
    return records, topics


def evaluated_topics(topics: dict[str, str]) -> list[str]:
    """Topics with the likes and a full top 10 still to find after them."""
    counts: dict[str, int] = {}
    for topic in topics.values():
        counts[topic] = counts.get(topic, 0) + 1
    return sorted(t for t, n in counts.items() if t != OTHER and n >= LIKED + TOP)


def precision_at_top(records: list[Record], topics: dict[str, str], topic: str, draw: int, work: Path) -> float:
    members = sorted(record.id for record in records if topics[record.id] == topic)
    liked = random.Random(f"{topic}/{draw}").sample(members, LIKED)
    titles = {record.id: record.paper.title for record in records}
    likes_file = work / "likes.txt"
    likes_file.write_text("".join(f"{titles[record_id]}\n" for record_id in liked), "utf-8")
    new = [record.id for record in records if record.id not in liked]
    result = model_work(records, new, load_likes(likes_file), work / "cache", lambda _: None)
    if result.liked != LIKED:
        raise SystemExit(f"{topic}: {result.liked} of the {LIKED} liked titles matched a paper")
    ranked = sorted(new, key=lambda record_id: (-(result.papers[record_id].score or 0.0), record_id))
    return sum(topics[record_id] == topic for record_id in ranked[:TOP]) / TOP


def similar_on_topic(records: list[Record], topics: dict[str, str], chosen: list[str], work: Path) -> dict[str, Any]:
    ids = [record.id for record in records]
    result = model_work(records, ids, None, work / "cache", lambda _: None)
    per_topic: dict[str, list[float]] = {topic: [] for topic in chosen}
    for record_id, found in result.papers.items():
        topic = topics[record_id]
        if topic in per_topic and found.similar:
            per_topic[topic].append(sum(topics[other] == topic for other in found.similar) / len(found.similar))
    sizes = {topic: sum(t == topic for t in topics.values()) for topic in chosen}
    return {
        topic: {
            "on_topic": round(statistics.mean(shares), 3),
            "random": round((sizes[topic] - 1) / (len(records) - 1), 3),
        }
        for topic, shares in per_topic.items()
    }


def measure(draws: int = DRAWS) -> dict[str, Any]:
    records, topics = labelled()
    chosen = evaluated_topics(topics)
    per_topic: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="paperfeed-quality-") as folder:
        work = Path(folder)
        for topic in chosen:
            precisions = [precision_at_top(records, topics, topic, draw, work) for draw in range(draws)]
            size = sum(t == topic for t in topics.values())
            per_topic[topic] = {
                "papers": size,
                "precision": round(statistics.mean(precisions), 3),
                "worst_draw": min(precisions),
                "best_draw": max(precisions),
                "random": round((size - LIKED) / (len(records) - LIKED), 3),
            }
        similar = similar_on_topic(records, topics, chosen, work)
    return {
        "papers": len(records),
        "topics": len(set(topics.values()) - {OTHER}),
        "other": sum(t == OTHER for t in topics.values()),
        "draws": draws,
        "liked": LIKED,
        "top": TOP,
        "per_topic": per_topic,
        "precision": round(statistics.mean(t["precision"] for t in per_topic.values()), 3),
        "random": round(statistics.mean(t["random"] for t in per_topic.values()), 3),
        "similar": similar,
        "similar_on_topic": round(statistics.mean(t["on_topic"] for t in similar.values()), 3),
        "similar_random": round(statistics.mean(t["random"] for t in similar.values()), 3),
    }
