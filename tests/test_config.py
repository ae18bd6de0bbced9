"""Settings from mkdocs.yml: one place, every mistake reported at once with its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from paperfeed.config import load_settings, settings_from_mapping
from paperfeed.errors import ConfigError


def test_the_shipped_mkdocs_yml_is_valid() -> None:
    settings = load_settings(ROOT / "mkdocs.yml")
    assert settings.site_name == "paperfeed"
    assert settings.site_url.endswith("/")
    assert settings.listings


def test_site_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERFEED_SITE_URL", "https://someone.github.io/papers")
    assert load_settings(ROOT / "mkdocs.yml").site_url == "https://someone.github.io/papers/"


def test_every_mistake_is_reported_at_once_with_its_key() -> None:
    data = {
        "site_name": "",
        "site_url": "ftp://nope",
        "extra": {
            "paperfeed": {
                "feed_entries": "many",
                "colour": "blue",
                "listings": [
                    {"name": "Bad Name", "source": "rss"},
                    {"source": "hf-search"},
                    {"name": "ok", "source": "arxiv-api", "limit": 0, "include": "llm"},
                    {"name": "rss", "source": "arxiv-rss", "limit": 5, "date": "2026-02-30", "backfill_days": 3},
                    {"name": "daily", "source": "hf-daily", "date": "2026-02-30", "backfill_days": -1, "sort": 5},
                    {"name": "trend", "source": "hf-page", "sort": "trending", "backfill_days": 7},
                    {"name": "file", "source": "text", "query": "x"},
                ],
            }
        },
    }
    with pytest.raises(ConfigError) as caught:
        settings_from_mapping(data, Path("mkdocs.yml"))
    message = str(caught.value)
    for expected in (
        "extra.paperfeed.feed_entries: expected a whole number",
        "extra.paperfeed.colour: unknown key",
        "extra.paperfeed.listings[0].name: 'Bad Name'",
        "extra.paperfeed.listings[0].source: 'rss' is not a source",
        "extra.paperfeed.listings[1].name: missing",
        "extra.paperfeed.listings[1].query: a hf-search listing needs a query",
        "extra.paperfeed.listings[2].limit: 0 is too small",
        "extra.paperfeed.listings[2].include: expected a list of words",
        "extra.paperfeed.listings[2].query: an arxiv-api listing needs a query",
        "extra.paperfeed.listings[3].category: an arxiv-rss listing needs a category",
        # Keys another source takes are unknown here, and the message lists the known ones.
        "extra.paperfeed.listings[3].limit: unknown key for an arxiv-rss listing; known keys: name, source, title, "
        "url, include, exclude, backfill_days, category",
        "extra.paperfeed.listings[3].date: unknown key for an arxiv-rss listing",
        "extra.paperfeed.listings[3].backfill_days: an arxiv-rss listing like this one keeps no history",
        "extra.paperfeed.listings[4].date: '2026-02-30' is not a day",
        "extra.paperfeed.listings[4].backfill_days: -1 is too small",
        "extra.paperfeed.listings[4].sort: expected a sort order",
        "extra.paperfeed.listings[5].backfill_days: a hf-page listing like this one keeps no history",
        "extra.paperfeed.listings[6].query: unknown key for a text listing",
        "extra.paperfeed.listings[6].url: a text listing needs the path or URL of its listing file",
        "site_name: expected",
        "site_url: expected an http(s) URL",
    ):
        assert expected in message
    assert "\n" not in message


def test_duplicate_listing_names_are_rejected() -> None:
    listing = {"name": "a", "source": "hf-daily"}
    data = {"site_name": "x", "extra": {"paperfeed": {"listings": [listing, listing]}}}
    with pytest.raises(ConfigError, match="the name 'a' is used twice"):
        settings_from_mapping(data, Path("mkdocs.yml"))


def test_missing_file_and_bad_yaml_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "mkdocs.yml")
    (tmp_path / "mkdocs.yml").write_text("site_name: [unclosed\n")
    with pytest.raises(ConfigError, match="cannot read it") as caught:
        load_settings(tmp_path / "mkdocs.yml")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("listing", "days"),
    [
        ({"source": "hf-daily", "date": "yesterday"}, 14),
        ({"source": "hf-daily"}, 14),
        ({"source": "hf-daily", "date": "2026-06-12"}, 0),  # pinned to one day: nothing before it
        ({"source": "hf-daily", "url": "https://mirror.example/daily.json"}, 0),
        ({"source": "hf-page", "date": "week"}, 14),
        ({"source": "hf-page", "sort": "trending"}, 0),
        ({"source": "arxiv-api", "query": "cat:cs.LG"}, 14),
        ({"source": "arxiv-rss", "category": "cs.LG"}, 0),
        ({"source": "hf-search", "query": "x"}, 0),
        ({"source": "text", "url": "listing.txt"}, 0),
        ({"source": "hf-daily", "backfill_days": 3}, 3),
        ({"source": "arxiv-api", "query": "x", "backfill_days": 0}, 0),
    ],
)
def test_backfill_days_defaults_to_two_weeks_where_there_is_history(listing: dict[str, object], days: int) -> None:
    data = {"site_name": "x", "extra": {"paperfeed": {"listings": [{"name": "l", **listing}]}}}
    assert settings_from_mapping(data, Path("mkdocs.yml")).listings[0].backfill_days == days
