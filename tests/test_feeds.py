"""The Atom feed: valid, stable ids, links with rel and type, nothing volatile."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from lxml import etree

from feedcheck import ATOM, validate_atom
from harness import fixture_settings
from paperfeed.feed_identity import Identity
from paperfeed.feeds import feed_specs, write_atom
from paperfeed.merge import merge_listing
from paperfeed.pages import newest_first
from records import RICH, T0, T1, paper

IDENTITY = Identity("example.org", "2026-11-01")


def _archive():
    first = merge_listing({}, "daily", [RICH, paper("Older Paper", arxiv_id="2410.99999")], T0)
    return merge_listing(first.archive, "daily", [paper("Newest Paper")], T1).archive


def _atom(archive, **settings_changes: object) -> bytes:
    settings = fixture_settings(**settings_changes)
    spec = feed_specs(newest_first(archive.values()), settings, {})[0]
    return write_atom(spec, settings, IDENTITY)


def test_feed_is_valid_and_read_by_feedparser() -> None:
    parsed = validate_atom(_atom(_archive()))
    assert len(parsed.entries) == 3
    assert parsed.entries[0].title == "Newest Paper"  # newest first
    rich = next(e for e in parsed.entries if "Greedy" in e.title)
    assert rich.title == "Learning ε-Greedy Policies with Fréchet Rewards"
    assert rich.id == "tag:example.org,2026-11-01:paper/2411.01234"
    assert [a.name for a in rich.authors] == ["Ada Lovelace", "Alan Turing"]
    assert rich.published_parsed[:5] == T0.timetuple()[:5]
    assert "naïve" in rich.content[0].value and "https://arxiv.org/abs/2411.01234" in rich.content[0].value


def test_feed_updated_is_the_newest_entry_and_ids_ignore_the_site_url() -> None:
    archive = _archive()
    one = etree.fromstring(_atom(archive))
    moved = etree.fromstring(_atom(archive, site_url="https://elsewhere.example/"))
    assert one.findtext(f"{ATOM}updated") == T1.isoformat()
    ids = [e.findtext(f"{ATOM}id") for e in one.iter(f"{ATOM}entry")]
    assert ids == [e.findtext(f"{ATOM}id") for e in moved.iter(f"{ATOM}entry")]


def test_entry_links_keep_rel_and_type() -> None:
    """feedgen 1.0.0 drops them (python-feedgen#135); the pinned version must write them."""
    root = etree.fromstring(_atom(_archive()))
    entry = next(e for e in root.iter(f"{ATOM}entry") if "Greedy" in e.findtext(f"{ATOM}title"))
    found = {(link.get("rel"), link.get("type")) for link in entry.iter(f"{ATOM}link")}
    assert ("alternate", "text/html") in found
    assert ("related", "application/pdf") in found


def test_feed_keeps_the_newest_n_entries() -> None:
    papers = [paper(f"Paper {n}") for n in range(12)]
    archive = {}
    for n, item in enumerate(papers):
        archive = merge_listing(archive, "daily", [item], T0 + timedelta(hours=n)).archive
    parsed = validate_atom(_atom(archive, feed_entries=5))
    assert [e.title for e in parsed.entries] == [f"Paper {n}" for n in range(11, 6, -1)]


def test_xml_illegal_characters_never_reach_the_feed() -> None:
    bad = paper("Null\x00 and \x1b escape \ufffe", abstract="bell\x07 form\x0c feed", authors=("X\x01Y",))
    archive = merge_listing({}, "daily", [bad], T0).archive
    parsed = validate_atom(_atom(archive))
    assert parsed.entries[0].title == "Null and escape"


def test_an_empty_archive_gives_a_valid_empty_feed() -> None:
    assert validate_atom(_atom({})).entries == []


def test_nothing_volatile_in_the_feed(tmp_path: Path) -> None:
    archive = merge_listing({}, "daily", [replace(RICH, upvotes=999)], T0).archive
    data = _atom(archive)
    assert b"999" not in data
    assert data == _atom(archive)  # no clock anywhere
