"""Titles holding "<" or "&" reach every reader as text: real titles ("A<B", "R&D") keep their
characters, written as hexadecimal character references as the W3C Feed Validator asks, and a
hostile title's tags are defused so that no reader that treats titles as HTML acts on them."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest

from feedcheck import validate_atom
from paperfeed.config import settings_from_mapping
from paperfeed.feed_identity import Identity
from paperfeed.feeds import feed_specs, write_atom, write_rss
from paperfeed.merge import merge_listing
from paperfeed.pages import newest_first
from records import T0, paper

TITLES = ("Sampling with k<n and n>1 Experts", "R&D at Scale & Speed", "<b>Bold</b> claims <script>alert(1)</script>")
# The W3C Feed Validator's test for HTML in a text construct: an end tag of an HTML element.
HTML_END_TAG = re.compile(r"</(b|script|i|p|a|div|span)>", re.IGNORECASE)


def _feed(write) -> bytes:
    settings = settings_from_mapping({"site_name": "T", "site_url": "https://example.org/"}, Path("mkdocs.yml"))
    archive = merge_listing({}, "daily", [paper(title) for title in TITLES], T0).archive
    spec = feed_specs(newest_first(archive.values()), settings, {})[0]
    return write(spec, settings, Identity("example.org", "2026-11-01"))


@pytest.mark.parametrize("write", [write_atom, write_rss])
def test_titles_are_text_written_with_hexadecimal_references(write) -> None:
    data = _feed(write)
    title_lines = [line for line in data.decode().splitlines() if "<title" in line]
    for line in title_lines:
        assert "&lt;" not in line and "&amp;" not in line and "&gt;" not in line, line
        if "&" in line:
            assert "&#x" in line, line
    parsed = validate_atom(data) if write is write_atom else feedparser.parse(data)
    assert parsed.bozo == 0
    titles = {entry.title for entry in parsed.entries}
    assert "Sampling with k<n and n>1 Experts" in titles
    assert "R&D at Scale & Speed" in titles
    hostile = next(title for title in titles if "Bold" in title)
    assert "<b>" not in hostile and "<script" not in hostile and not HTML_END_TAG.search(hostile)
    assert hostile == "\u2039b>Bold\u2039/b> claims \u2039script>alert(1)\u2039/script>"
