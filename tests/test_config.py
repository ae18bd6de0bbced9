"""Settings from mkdocs.yml: one place, every mistake reported at once with its key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from feedcheck import validate_atom
from harness import PROJECT, ROOT, make_project, paperfeed
from paperfeed.config import load_settings, settings_from_mapping
from paperfeed.errors import ConfigError
from paperfeed.render import OWNED_DIRS, OWNED_FILES


def test_the_shipped_mkdocs_yml_is_valid() -> None:
    """Whatever a fork has made of it: paperfeed reads it without a problem."""
    settings = load_settings(ROOT / "mkdocs.yml")
    assert settings.site_name
    assert settings.site_url.endswith("/")


@pytest.mark.slow
def test_the_shipped_settings_and_pages_build_a_valid_site(tmp_path: Path) -> None:
    """The repository's own mkdocs.yml and hand-written pages, whatever a fork has made of them,
    build with `mkdocs build --strict` into a site with a valid feed, before any paper arrives."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", tmp_path / "docs", ignore=shutil.ignore_patterns(*OWNED_DIRS, *OWNED_FILES))
    (tmp_path / "generator").symlink_to(ROOT / "generator", target_is_directory=True)
    paperfeed(tmp_path, "render", "--data", str(tmp_path / "data"), check=True)
    paperfeed(tmp_path, "build", check=True)
    settings = load_settings(tmp_path / "mkdocs.yml")
    assert (tmp_path / "site" / "index.html").is_file()
    parsed = validate_atom((tmp_path / "site" / "feed.xml").read_bytes())
    assert parsed.feed.title == settings.site_name and parsed.entries == []


def test_site_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERFEED_SITE_URL", "https://someone.github.io/papers")
    assert load_settings(PROJECT / "mkdocs.yml").site_url == "https://someone.github.io/papers/"


def test_a_project_inherits_the_test_settings_and_overrides_them(tmp_path: Path) -> None:
    """The scratch projects' INHERIT: overridden keys win, lists are replaced, the rest stays."""
    project = make_project(tmp_path, "extra:\n  paperfeed:\n    page_size: 10\n    listings: []\n")
    settings = load_settings(project / "mkdocs.yml")
    base = load_settings(PROJECT / "mkdocs.yml")
    assert (settings.page_size, base.page_size) == (10, 100)
    assert settings.listings == () and base.listings
    assert settings.site_name == base.site_name == "Fixture Papers"
    assert settings.feed_entries == base.feed_entries


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
        "url, include, exclude, backfill_days, digest, authors, require_code, category",
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
