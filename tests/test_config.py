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
                    {"name": "rss", "source": "arxiv-rss", "limit": 5, "date": "2026-02-30"},
                    {"name": "daily", "source": "hf-daily", "date": "2026-02-30", "sort": 5},
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
        "url, include, exclude, category",
        "extra.paperfeed.listings[3].date: unknown key for an arxiv-rss listing",
        "extra.paperfeed.listings[4].date: '2026-02-30' is not a day",
        "extra.paperfeed.listings[4].sort: expected a sort order",
        "extra.paperfeed.listings[5].query: unknown key for a text listing",
        "extra.paperfeed.listings[5].url: a text listing needs the path or URL of its listing file",
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
