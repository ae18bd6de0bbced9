"""Math in feed entries: Unicode text by default, MathML on request (`feed_math: mathml`).

Feed readers run no script, so math has to arrive ready to show. The MathML entries must still
be valid Atom, and feedparser (whose sanitizer is the one many readers share) must keep the
math and its TeX `alttext`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from feedcheck import validate_atom
from paperfeed.config import Settings, settings_from_mapping
from paperfeed.errors import ConfigError
from paperfeed.feed_identity import Identity
from paperfeed.feeds import feed_specs, write_atom, write_json_feed
from paperfeed.merge import merge_listing
from paperfeed.pages import newest_first
from records import T0, paper

IDENTITY = Identity("example.org", "2026-11-01")
ABSTRACT = "We bound the regret by $\\frac{1}{\\sqrt{T}}$ for $k$ arms."


def _settings(**paperfeed: object) -> Settings:
    config = {"site_name": "Math", "site_url": "https://example.org/", "extra": {"paperfeed": paperfeed}}
    return settings_from_mapping(config, Path("mkdocs.yml"))


def _feed(settings: Settings, write=write_atom) -> bytes:
    archive = merge_listing({}, "daily", [paper("Regret $O(\\sqrt{T})$", abstract=ABSTRACT)], T0).archive
    spec = feed_specs(newest_first(archive.values()), settings, {})[0]
    return write(spec, settings, IDENTITY)


def test_by_default_feeds_carry_math_as_text() -> None:
    content = validate_atom(_feed(_settings())).entries[0].content[0].value
    assert "<math" not in content
    assert "\\frac{1}{\\sqrt{T}}" in content  # too complex for Unicode: its TeX
    assert "for k arms" in content  # simple math becomes text


def test_mathml_feeds_validate_and_feedparser_keeps_the_math() -> None:
    parsed = validate_atom(_feed(_settings(feed_math="mathml")))
    content = parsed.entries[0].content[0].value
    assert content.count("<math") == 1  # the fraction; k reads fine as text
    assert 'alttext="\\frac{1}{\\sqrt{T}}"' in content
    assert "<mfrac>" in content and "<msqrt>" in content
    assert "script" not in content.lower()


def test_json_feed_carries_the_same_mathml() -> None:
    data = _feed(_settings(feed_math="mathml"), write_json_feed).decode()
    assert "<mfrac>" in data and "alttext" in data


def test_an_unknown_feed_math_is_refused_with_its_choices() -> None:
    with pytest.raises(ConfigError, match=r"extra\.paperfeed\.feed_math: expected text or mathml"):
        _settings(feed_math="latex")
