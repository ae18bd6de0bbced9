"""Every feed of the built fixture site in every format, read as feed clients read them.

The fixture site (tests/sitebuild.py) has a combined feed, a listing feed, an empty listing
feed and two tag feeds, each as Atom, RSS 2.0 and JSON Feed 1.1, plus feeds.opml. Atom is
validated against RFC 4287's RELAX NG schema (tests/schemas/atom.rng); Atom and RSS are read
by feedparser; JSON Feed is checked field by field against its 1.1 specification (feedparser 6
does not read JSON Feed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import feedparser
import pytest
from lxml import etree

from feedcheck import ATOM, validate_atom
from sitebuild import EMPTY_LISTING, MATH_PAPER, NEWEST_SEEN, FixtureSite

ATOM_NS = "http://www.w3.org/2005/Atom"
IDENTITY_DAY = datetime(2026, 11, 1, tzinfo=UTC)  # tests/fixtures/site/identity.json
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)")


def _stems(site: FixtureSite) -> list[str]:
    """Every feed of the site, by path without extension: feed, feeds/hf-daily, ..."""
    atoms = [site.site_dir / "feed.xml", *sorted((site.site_dir / "feeds").rglob("*.xml"))]
    return [p.relative_to(site.site_dir).with_suffix("").as_posix() for p in atoms if p.name != "sitemap.xml"]


@pytest.fixture(scope="module")
def stems(built_site: FixtureSite) -> list[str]:
    found = _stems(built_site)
    expected = {"feed", "feeds/hf-daily", f"feeds/{EMPTY_LISTING}", "feeds/tags/optimisation"}
    assert expected <= set(found), found
    return found


def _read(site: FixtureSite, stem: str, extension: str) -> bytes:
    return (site.site_dir / f"{stem}{extension}").read_bytes()


def _json(site: FixtureSite, stem: str) -> dict:
    return json.loads(_read(site, stem, ".json"))


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_atom_feeds_are_valid_rfc_4287(built_site: FixtureSite, stems: list[str]) -> None:
    for stem in stems:
        data = _read(built_site, stem, ".xml")
        parsed = validate_atom(data)  # the RELAX NG schema, then feedparser with bozo == 0
        root = etree.fromstring(data)
        # The schema's xsd:dateTime accepts a time without a zone; RFC 4287 section 3.3 does not.
        for updated in root.iter(f"{ATOM}updated", f"{ATOM}published"):
            assert RFC3339.fullmatch(updated.text or ""), (stem, updated.text)
        self_links = [link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
        assert self_links == [built_site.url(f"{stem}.xml")]
        if stem == f"feeds/{EMPTY_LISTING}":
            assert parsed.entries == []
            assert _time(root.findtext(f"{ATOM}updated")) == IDENTITY_DAY  # still has <updated>


def test_rss_feeds_are_read_by_feedparser_with_stable_guids(built_site: FixtureSite, stems: list[str]) -> None:
    for stem in stems:
        data = _read(built_site, stem, ".rss")
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0, (stem, parsed.get("bozo_exception"))
        assert parsed.version == "rss20"
        channel = etree.fromstring(data).find("channel")
        self_link = channel.find(f"{{{ATOM_NS}}}link")
        assert self_link.get("rel") == "self" and self_link.get("href") == built_site.url(f"{stem}.rss")
        assert self_link.get("type") == "application/rss+xml"
        items = channel.findall("item")
        for item in items:
            guid = item.find("guid")
            assert guid.get("isPermaLink") == "false" and guid.text.startswith("tag:example.org,2026-11-01:paper/")
            assert item.find("author") is None  # RSS <author> must be an email; names go in dc:creator
        # lastBuildDate is the newest entry's time, never the build time.
        last_build = parsedate_to_datetime(channel.findtext("lastBuildDate"))
        published = [parsedate_to_datetime(item.findtext("pubDate")) for item in items]
        assert last_build == (max(published) if published else IDENTITY_DAY), stem
    combined = feedparser.parse(_read(built_site, "feed", ".rss"))
    math = next(e for e in combined.entries if e.id.endswith(f"paper/{MATH_PAPER}"))
    assert math.link == built_site.url(f"papers/{MATH_PAPER}/")
    assert [a["name"] for a in math.authors][:2] == ["Ada Lovelace", "Grace Hopper"]
    assert {t.term for t in math.tags} == {"optimisation", "learning theory"}
    assert math.published_parsed[:6] == (2026, 11, 26, 6, 10, 0)


def test_json_feeds_follow_json_feed_1_1(built_site: FixtureSite, stems: list[str]) -> None:
    for stem in stems:
        feed = _json(built_site, stem)
        # Required by the specification.
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert isinstance(feed["title"], str) and feed["title"]
        assert isinstance(feed["items"], list)
        # Optional ones we promise.
        assert feed["feed_url"] == built_site.url(f"{stem}.json")
        assert feed["home_page_url"].startswith(built_site.base_url)
        assert built_site.file_for(feed["home_page_url"]).is_file()
        assert feed["language"] == "en"
        assert all(isinstance(a["name"], str) and a["name"] for a in feed["authors"])
        for item in feed["items"]:
            assert isinstance(item["id"], str) and item["id"]
            assert item.get("content_html") or item.get("content_text")
            assert item["url"].startswith(built_site.base_url) and built_site.file_for(item["url"]).is_file()
            assert item["title"] and item["summary"]
            assert RFC3339.fullmatch(item["date_published"])
            assert all(set(a) == {"name"} and a["name"] for a in item.get("authors", []))
            assert all(isinstance(tag, str) and tag for tag in item.get("tags", []))
    math = next(i for i in _json(built_site, "feed")["items"] if i["id"].endswith(f"paper/{MATH_PAPER}"))
    assert math["date_published"] == NEWEST_SEEN
    assert [a["name"] for a in math["authors"]][-1] == "Hypatia of Alexandria"
    assert math["tags"] == ["optimisation", "learning theory"]
    assert math["external_url"] == f"https://arxiv.org/abs/{MATH_PAPER}"
    assert _json(built_site, f"feeds/{EMPTY_LISTING}")["items"] == []


def test_the_three_formats_carry_the_same_entries(built_site: FixtureSite, stems: list[str]) -> None:
    for stem in stems:
        atom = feedparser.parse(_read(built_site, stem, ".xml"))
        rss = feedparser.parse(_read(built_site, stem, ".rss"))
        items = _json(built_site, stem)["items"]
        ids = [entry.id for entry in atom.entries]
        assert ids == [entry.id for entry in rss.entries] == [item["id"] for item in items], stem
        assert len(set(ids)) == len(ids)
        titles = [entry.title for entry in atom.entries]
        assert titles == [entry.title for entry in rss.entries] == [item["title"] for item in items], stem
        links = [entry.link for entry in atom.entries]
        assert links == [entry.link for entry in rss.entries] == [item["url"] for item in items], stem
    assert len(feedparser.parse(_read(built_site, "feed", ".xml")).entries) == 12


def _outlines(site: FixtureSite) -> Iterator[etree._Element]:
    root = etree.fromstring((site.site_dir / "feeds.opml").read_bytes())
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title")
    yield from root.iter("outline")


def test_opml_lists_every_feed_and_each_is_on_disk(built_site: FixtureSite, stems: list[str]) -> None:
    listed = []
    for outline in _outlines(built_site):
        url = outline.get("xmlUrl")
        if url is None:  # a folder: Listings, Tags
            assert outline.get("text") and len(outline) > 0
            continue
        assert outline.get("type") == "rss" and outline.get("text") and outline.get("title")
        assert built_site.file_for(url).is_file(), url
        assert built_site.file_for(outline.get("htmlUrl")).is_file(), outline.get("htmlUrl")
        listed.append(url)
    assert sorted(listed) == sorted(built_site.url(f"{stem}.xml") for stem in stems)


def test_a_second_render_with_another_clock_changes_no_file(built_site: FixtureSite) -> None:
    """Nothing volatile (build time, upvotes) anywhere: a night with nothing new changes nothing."""
    docs = built_site.docs_dir

    def snapshot() -> dict[str, tuple[bytes, int]]:
        return {
            p.relative_to(docs).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in docs.rglob("*")
            if p.is_file()
        }

    before = snapshot()
    built_site.paperfeed("render", epoch="1893456000")  # 2030-01-01
    assert snapshot() == before
    feeds = {path: data for path, (data, _) in before.items() if path.startswith("feed")}
    assert len(feeds) > 10 and not [path for path, data in feeds.items() if b"upvote" in data.lower()]
