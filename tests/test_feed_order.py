"""A night's papers reach every feed in their listing's order, each at an instant of its own,
so readers that sort by date keep that order and validators find no two entries alike."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

from feedcheck import validate_atom
from harness import CAPTURED, make_project, paperfeed
from paperfeed.sources import FORMATS
from paperfeed.text import readable

DAILY = CAPTURED / "hf" / "daily_papers_api_2026-06-12.json"
SECOND = CAPTURED / "hf" / "daily_papers_api_2026-07-31.json"


def _listing_order(path: Path) -> list[str]:
    papers, _ = FORMATS["hf-api"].parse(path.read_bytes(), str(path))
    return [readable(paper.title) for paper in papers]


@pytest.mark.slow
def test_every_feed_keeps_the_listing_order_and_no_two_entries_share_a_time(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "project",
        "extra:\n  paperfeed:\n    listings:\n"
        f"      - {{name: daily, source: text, url: '{DAILY}'}}\n"
        f"      - {{name: second, source: text, url: '{SECOND}'}}\n",
    )
    paperfeed(project, "update", check=True)
    paperfeed(project, "render", check=True)
    docs = project / "docs"
    for name, source in (("daily", DAILY), ("second", SECOND)):
        atom = validate_atom((docs / "feeds" / f"{name}.xml").read_bytes())
        rss = feedparser.parse((docs / "feeds" / f"{name}.rss").read_bytes())
        items = json.loads((docs / "feeds" / f"{name}.json").read_text("utf-8"))["items"]
        expected = _listing_order(source)
        assert [entry.title for entry in atom.entries] == expected
        assert [entry.title for entry in rss.entries] == expected
        assert [item["title"] for item in items] == expected
        assert len({entry.updated for entry in atom.entries}) == len(expected)
    combined = validate_atom((docs / "feed.xml").read_bytes())
    updated = [entry.updated for entry in combined.entries]
    assert len(set(updated)) == len(updated) == 9
    assert updated == sorted(updated, reverse=True)
    # The two listings interleave: the first of each, then the second of each, and so on.
    titles = [entry.title for entry in combined.entries]
    daily, second = _listing_order(DAILY), _listing_order(SECOND)
    assert titles[:4] == [daily[0], second[0], daily[1], second[1]]

    again = paperfeed(project, "update", check=True)
    assert "0 new" in again.stdout
