"""Digest feeds through the real CLI: one entry per closed day or ISO week, published once its
period is over and never changed afterwards, with a stable tag-URI id."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import feedparser
import pytest

from feedcheck import validate_atom
from paperfeed.digests import closed_periods, period_key, period_start
from records import record

CONFIG = """\
site_name: Digests
site_url: https://example.org/
extra:
  paperfeed:
    digest: daily
    listings:
      - name: daily
        source: text
        url: listing.txt
        digest: weekly
"""


def _night(root: Path, night: int, now: str) -> None:
    titles = [f"Paper {night}-{rank} on Topic {rank}" for rank in range(3)]
    text = "".join(
        f"{title}\nThe abstract of {title.lower()}, long enough to read as an abstract.\n" for title in titles
    )
    (root / "listing.txt").write_text(text, "utf-8")
    for command in (["update", "--now", now], ["render"]):
        result = subprocess.run(
            [sys.executable, "-m", "paperfeed", *command], cwd=root, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "mkdocs.yml").write_text(CONFIG, "utf-8")
    (tmp_path / "docs").mkdir()
    return tmp_path


def _entries(path: Path) -> list[feedparser.FeedParserDict]:
    return list(validate_atom(path.read_bytes()).entries)


@pytest.mark.slow
def test_daily_digests_appear_once_their_day_is_over_and_never_change(project: Path) -> None:
    daily = project / "docs" / "feeds" / "digests" / "all-daily.xml"
    _night(project, 1, "2026-11-23T05:17:00+00:00")  # a Monday
    assert _entries(daily) == []  # the day is not over yet
    _night(project, 2, "2026-11-24T05:17:00+00:00")
    first = _entries(daily)
    assert [entry.id.rsplit(":", 1)[1] for entry in first] == ["digest/all/2026-11-23"]
    assert "3 papers" in first[0].title
    content = first[0].content[0].value
    assert content.count("<li>") == 3 and "Paper 1-0 on Topic 0" in content and "Paper 2-0" not in content
    assert first[0].updated == "2026-11-24T00:00:00+00:00"
    _night(project, 3, "2026-11-25T05:17:00+00:00")
    second = _entries(daily)
    assert [entry.id.rsplit(":", 1)[1] for entry in second] == ["digest/all/2026-11-24", "digest/all/2026-11-23"]
    assert second[1] == first[0]  # published once, never changed


@pytest.mark.slow
def test_weekly_digests_close_with_the_iso_week_and_are_in_the_opml(project: Path) -> None:
    weekly = project / "docs" / "feeds" / "digests" / "daily-weekly.xml"
    for night, day in enumerate(("2026-11-23", "2026-11-27", "2026-11-29", "2026-11-30"), 1):
        _night(project, night, f"{day}T05:17:00+00:00")
        entries = _entries(weekly)
        if day < "2026-11-30":
            assert entries == []
    assert [entry.id.rsplit(":", 1)[1] for entry in entries] == ["digest/daily/2026-W48"]
    assert entries[0].content[0].value.count("<li>") == 9  # three nights of three papers
    assert "week 48" in entries[0].title
    opml = (project / "docs" / "feeds.opml").read_text("utf-8")
    assert "feeds/digests/daily-weekly.xml" in opml and "feeds/digests/all-daily.xml" in opml
    for extension in (".rss", ".json"):
        assert weekly.with_suffix(extension).exists()


def test_a_bad_cadence_is_refused_with_its_choices(project: Path) -> None:
    (project / "mkdocs.yml").write_text(CONFIG.replace("digest: weekly", "digest: hourly"), "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "paperfeed", "config"], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "extra.paperfeed.listings[0].digest: 'hourly'; use daily or weekly" in result.stderr


def test_periods_are_keyed_by_day_or_iso_week() -> None:
    assert period_key(period_start(date(2026, 11, 29), "weekly"), "weekly") == "2026-W48"
    assert period_key(period_start(date(2027, 1, 1), "weekly"), "weekly") == "2026-W53"
    assert period_key(period_start(date(2026, 11, 29), "daily"), "daily") == "2026-11-29"
    seen = [datetime(2026, 11, day, 5, tzinfo=UTC) for day in (27, 26, 26, 25)]
    records = [record(f"2411.0000{i}", seen=moment) for i, moment in enumerate(seen)]
    periods = closed_periods(records, "daily", 2)
    assert [(p.key, len(p.records)) for p in periods] == [("2026-11-26", 2), ("2026-11-25", 1)]
