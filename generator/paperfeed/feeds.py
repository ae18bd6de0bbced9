"""Feeds: which feeds the site has, and writing each one in every format of `FEED_FORMATS`.

Atom and RSS 2.0 are written with feedgen, wrapped here so nothing else sees its API; JSON
Feed 1.1 and the OPML list of every feed are plain JSON and XML. All three formats of a feed
carry the same entries with the same tag-URI ids. feedgen's traps are handled in this module:
entries are appended in order (its default prepends), every datetime is aware, `updated`
(RSS lastBuildDate) is always set explicitly to the newest entry (its default is now()), and
text is cleaned of XML-illegal characters first (they crash atom_str). feedgen is pinned to
0.9.0: 1.0.0 drops rel and type from entry links (python-feedgen#135); a test checks them.
Nothing volatile (build time, upvotes) is written, so a night with nothing new changes no feed.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

from feedgen.feed import FeedGenerator

from paperfeed import __version__, links
from paperfeed.config import ForYou, Settings
from paperfeed.digests import Period, closed_periods
from paperfeed.feed_identity import Identity
from paperfeed.htmlbits import excerpt, feed_mathml, short_authors
from paperfeed.model import Record, by_listing
from paperfeed.picks import Pick, picks
from paperfeed.text import readable, readable_names, xml_safe


@dataclass(frozen=True)
class FeedSpec:
    """One feed: `name` is "all" for the combined feed, else a listing or tag feed's name."""

    name: str
    title: str
    page: str  # the Markdown path of the page the feed belongs to
    records: tuple[Record, ...]  # newest first, already cut to the feed's size
    stem: str  # path without extension, from the site root: "feed", "feeds/hf-daily"
    kind: str = "all"  # "all", "listing", "tag", "digest" or "for-you"
    cadence: str = ""  # a digest's: "daily" or "weekly"; its records are then all of its papers

    for_you: ForYou | None = None  # the For-you feed's settings; its records are the archive's

    def path(self, extension: str) -> str:
        return f"{self.stem}{extension}"

    def for_you_picks(self, limit: int) -> list[Pick]:
        return picks(self.records, self.for_you or ForYou(), limit)


@dataclass(frozen=True)
class FeedEntry:
    """One entry as every format writes it: a paper, or a digest of a day's or week's papers."""

    id: str  # a tag URI that never changes
    url: str
    title: str
    content_html: str
    published: datetime  # also `updated`: entries are never revised
    summary: str = ""
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    pdf_url: str = ""
    external_url: str = ""


@dataclass(frozen=True)
class FeedFormat:
    name: str
    extension: str
    mime: str
    label: str
    write: Callable[[FeedSpec, Settings, Identity], bytes]


def absolute(settings: Settings, path: str) -> str:
    return settings.site_url + links.page_url(path)


def _plain_html(text: str) -> str:
    """Text for every reader: simple math as Unicode, the rest as its TeX source."""
    return html.escape(readable(text))


def entry_html(record: Record, settings: Settings) -> str:
    """An entry's content: authors, abstract and links, as HTML (escaped by the feed writer)."""
    paper = record.paper
    parts = []
    if paper.authors:
        parts.append(f"<p><strong>Authors:</strong> {html.escape(', '.join(readable_names(paper.authors)))}</p>")
    text_html = feed_mathml if settings.feed_math == "mathml" else _plain_html
    if paper.summary:
        parts.append(f"<p><em>{text_html(paper.summary)}</em></p>")
    if paper.abstract:
        parts.append(f"<p>{text_html(paper.abstract)}</p>")
    for label, text in (("Journal reference", paper.journal_ref), ("Comments", paper.comment)):
        if text:
            parts.append(f"<p><strong>{label}:</strong> {text_html(text)}</p>")
    outside = [("Paper page", absolute(settings, links.paper_path(record.id))), *links.paper_links(record)]
    anchors = " · ".join(f'<a href="{html.escape(url)}">{html.escape(label)}</a>' for label, url in outside)
    parts.append(f"<p>{anchors}</p>")
    return xml_safe("\n".join(parts))


# What a reader that treats titles as HTML would take for a tag: "<b>", "</i>", "<script src=x>".
_HTML_TAGS = (
    "a|abbr|audio|b|big|blink|blockquote|body|br|button|code|del|div|em|embed|font|form|frame|h[1-6]|head|hr|"
    "html|i|iframe|img|input|ins|li|link|marquee|math|meta|object|ol|p|pre|q|s|script|small|span|strike|strong|"
    "style|sub|sup|svg|table|td|th|tr|tt|u|ul|video"
)
_TAG_LIKE = re.compile(rf"</?(?:{_HTML_TAGS})(?:\s[^<>]*)?/?>", re.IGNORECASE)
# Titles are plain text. Written with hexadecimal character references for "&", "<" and ">",
# feed validators and readers that sniff titles for markup take "A<B" or "R&D" as text.
_TITLE = re.compile(rb"(<title(?: type=\"text\")?>)([^<]*)(</title>)")
_HEX_REFERENCES = ((b"&amp;", b"&#x26;"), (b"&lt;", b"&#x3C;"), (b"&gt;", b"&#x3E;"))


def defuse_tags(text: str) -> str:
    """`text` with the "<" of whatever looks like an HTML tag (only hostile titles hold one)
    shown as U+2039, a single angle quotation mark, so that no reader that treats titles as
    HTML runs or hides it."""
    return _TAG_LIKE.sub(lambda match: "\u2039" + match.group(0)[1:], text) if "<" in text else text


def entry_title(record: Record) -> str:
    """A paper's title as a feed carries it: plain readable text, tags defused."""
    return defuse_tags(readable(xml_safe(record.paper.title)))


def _hex_titles(document: bytes) -> bytes:
    def encode(match: re.Match[bytes]) -> bytes:
        text = match.group(2)
        for entity, reference in _HEX_REFERENCES:
            text = text.replace(entity, reference)
        return match.group(1) + text + match.group(3)

    return _TITLE.sub(encode, document) if b"&" in document else document


def _generator(spec: FeedSpec, settings: Settings, identity: Identity, fmt: FeedFormat) -> FeedGenerator:
    """A feedgen feed holding everything Atom and RSS share; `fmt` names its self link."""
    rss = fmt.name == "rss"
    fg = FeedGenerator()
    if rss:
        fg.load_extension("dc", atom=False, rss=True)  # RSS <author> must be an email: dc:creator
    fg.id(identity.feed_id(spec.name))
    fg.title(xml_safe(spec.title))
    fg.subtitle(xml_safe(settings.site_description or spec.title))
    fg.author({"name": xml_safe(settings.site_author or settings.site_name)})
    fg.link(href=absolute(settings, spec.path(fmt.extension)), rel="self", type=fmt.mime)
    fg.link(href=absolute(settings, spec.page), rel="alternate", type="text/html")
    fg.language(LANGUAGE)
    fg.generator("paperfeed", __version__)
    fg.updated(feed_updated(spec, identity))  # also RSS lastBuildDate: never the build time
    for item in feed_entries(spec, settings, identity):
        entry = fg.add_entry(order="append")
        entry.id(item.id)
        entry.guid(item.id, permalink=False)
        entry.title(item.title)
        entry.link(href=item.url, rel="alternate", type="text/html")
        if item.pdf_url:
            entry.link(href=item.pdf_url, rel="related", type="application/pdf", title="PDF")
        for author in item.authors:
            if rss:
                entry.dc.dc_creator(author)
            else:
                entry.author({"name": author})
        entry.published(item.published)  # also RSS pubDate
        entry.updated(item.published)
        entry.content(item.content_html, type="html")
        for category in item.categories:
            entry.category(term=category)
    return fg


def write_atom(spec: FeedSpec, settings: Settings, identity: Identity) -> bytes:
    data: bytes = _generator(spec, settings, identity, ATOM).atom_str(pretty=True)
    return _hex_titles(data)


def write_rss(spec: FeedSpec, settings: Settings, identity: Identity) -> bytes:
    data: bytes = _generator(spec, settings, identity, RSS).rss_str(pretty=True)
    return _hex_titles(data)


def write_json_feed(spec: FeedSpec, settings: Settings, identity: Identity) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1), written by hand: it is plain JSON."""
    items = []
    for entry in feed_entries(spec, settings, identity):
        item: dict[str, object] = {
            "id": entry.id,
            "url": entry.url,
            "title": entry.title,
            "content_html": entry.content_html,
        }
        if entry.summary:
            item["summary"] = entry.summary
        if entry.external_url:
            item["external_url"] = entry.external_url
        item["date_published"] = _rfc3339(entry.published)
        if entry.authors:
            item["authors"] = [{"name": author} for author in entry.authors]
        if entry.categories:
            item["tags"] = list(entry.categories)
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": xml_safe(spec.title),
        "home_page_url": absolute(settings, spec.page),
        "feed_url": absolute(settings, spec.path(JSON_FEED.extension)),
        "description": xml_safe(settings.site_description or spec.title),
        "authors": [{"name": xml_safe(settings.site_author or settings.site_name)}],
        "language": LANGUAGE,
        "items": items,
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def feed_updated(spec: FeedSpec, identity: Identity) -> datetime:
    """A feed's `updated` (RSS lastBuildDate): its newest entry, else the identity's day."""
    if spec.cadence:
        periods = closed_periods(spec.records, spec.cadence, 1)
        return periods[0].closed_at if periods else identity_epoch(identity)
    if spec.kind == FOR_YOU:
        chosen = spec.for_you_picks(1)
        return chosen[0].instant if chosen else identity_epoch(identity)
    return spec.records[0].first_seen if spec.records else identity_epoch(identity)


def paper_entry(record: Record, settings: Settings, identity: Identity) -> FeedEntry:
    paper = record.paper
    summary = readable(paper.summary) if paper.summary else excerpt(paper.abstract)
    return FeedEntry(
        id=identity.entry_id(record.id),
        url=absolute(settings, links.paper_path(record.id)),
        title=entry_title(record),
        content_html=entry_html(record, settings),
        published=record.first_seen,
        summary=xml_safe(summary),
        authors=tuple(xml_safe(author) for author in readable_names(paper.authors)),
        categories=tuple(xml_safe(tag) for tag in paper.tags),
        pdf_url=f"https://arxiv.org/pdf/{paper.arxiv_id}" if paper.arxiv_id else "",
        external_url=f"https://arxiv.org/abs/{paper.arxiv_id}" if paper.arxiv_id else "",
    )


def _digest_title(period: Period, spec: FeedSpec) -> str:
    count = f"{len(period.records)} paper{'s' * (len(period.records) != 1)}"
    if spec.cadence == "weekly":
        last = period.end - timedelta(days=1)
        return f"{spec.title}: week {period.key[-2:]}, {period.start:%d %b} to {last:%d %b %Y} ({count})"
    return f"{spec.title}: {period.start:%d %B %Y} ({count})"


def digest_entry(period: Period, spec: FeedSpec, settings: Settings, identity: Identity) -> FeedEntry:
    """One closed period's papers as a list: title linked to its page, authors, one line."""
    items = []
    for record in period.records:
        paper = record.paper
        line = readable(paper.summary) if paper.summary else excerpt(paper.abstract, 200)
        authors = short_authors(readable_names(paper.authors))
        url = absolute(settings, links.paper_path(record.id))
        items.append(
            f'<li><a href="{html.escape(url)}">{html.escape(entry_title(record))}</a>'
            + (f"<br>{html.escape(authors)}" if authors else "")
            + (f"<br><em>{html.escape(line)}</em>" if line else "")
            + "</li>"
        )
    newest_day = period.records[0].day.isoformat()
    return FeedEntry(
        id=identity.digest_id(spec.name, period.key),
        url=absolute(settings, links.day_path(newest_day) if spec.cadence == "daily" else spec.page),
        title=xml_safe(_digest_title(period, spec)),
        content_html=xml_safe("<ol>\n" + "\n".join(items) + "\n</ol>"),
        published=period.closed_at,
        summary=xml_safe(", ".join(entry_title(record) for record in period.records[:5])),
    )


def feed_entries(spec: FeedSpec, settings: Settings, identity: Identity) -> list[FeedEntry]:
    """The entries of a feed, newest first."""
    if spec.cadence:
        periods = closed_periods(spec.records, spec.cadence, DIGEST_ENTRIES[spec.cadence])
        return [digest_entry(period, spec, settings, identity) for period in periods]
    if spec.kind == FOR_YOU:
        return [
            replace(paper_entry(pick.record, settings, identity), published=pick.instant)
            for pick in spec.for_you_picks(settings.feed_entries)
        ]
    return [paper_entry(record, settings, identity) for record in spec.records]


def identity_epoch(identity: Identity) -> datetime:
    """The `updated` time of a feed with no entries yet: the day the identity was minted."""
    return datetime.fromisoformat(identity.date).replace(tzinfo=UTC)


LANGUAGE = "en"
ATOM = FeedFormat("atom", ".xml", "application/atom+xml", "Atom", write_atom)
RSS = FeedFormat("rss", ".rss", "application/rss+xml", "RSS", write_rss)
JSON_FEED = FeedFormat("json", ".json", "application/feed+json", "JSON Feed", write_json_feed)
# Every feed is written in each of these formats; the first is the one OPML lists.
FEED_FORMATS: tuple[FeedFormat, ...] = (ATOM, RSS, JSON_FEED)


# A tag feed in three formats with feed_entries full entries is large, and a big archive has
# hundreds of tag feeds, so tag feeds keep their newest TAG_FEED_ENTRIES (docs/benchmarks.md).
TAG_FEED_ENTRIES = 10
FOR_YOU = "for-you"  # the For-you feed's name and kind
# How many closed periods a digest feed holds: a month of days, a quarter of weeks.
DIGEST_ENTRIES = {"daily": 30, "weekly": 13}


def feed_specs(
    archive_records: list[Record], settings: Settings, tag_records: dict[str, tuple[str, list[Record]]]
) -> list[FeedSpec]:
    """The combined feed, one per configured listing seen in the archive, a digest feed for
    each that asks for one, and one per tag page.

    `archive_records` is newest first; `tag_records` maps tag slug -> (tag, records newest first).
    """
    size = settings.feed_entries
    specs = [FeedSpec("all", settings.site_name, "index.md", tuple(archive_records[:size]), "feed")]
    listed_in = by_listing(archive_records)
    titles = {listing.name: listing.label for listing in settings.listings}
    for name in sorted(set(listed_in) | set(titles)):
        records = listed_in.get(name, [])
        specs.append(
            FeedSpec(
                name,
                f"{settings.site_name}: {titles.get(name, name)}",
                links.section_path(links.LISTINGS, name),
                tuple(records[:size]),
                f"{links.FEEDS}/{name}",
                kind="listing",
            )
        )
    if any(record.score is not None for record in archive_records):
        specs.append(
            FeedSpec(
                FOR_YOU, f"{settings.site_name}: For you", links.for_you_path(), tuple(archive_records),
                f"{links.FEEDS}/{FOR_YOU}", FOR_YOU, for_you=settings.for_you,
            )
        )  # fmt: skip
    digests = [("all", settings.site_name, "index.md", archive_records, settings.digest)]
    digests += [
        (item.name, f"{settings.site_name}: {item.label}", links.section_path(links.LISTINGS, item.name),
         listed_in.get(item.name, []), item.digest)
        for item in settings.listings
    ]  # fmt: skip
    for name, title, page, records, cadence in digests:
        if cadence:
            specs.append(
                FeedSpec(
                    name, title, page, tuple(records), f"{links.FEEDS}/digests/{name}-{cadence}", "digest", cadence
                ),
            )
    for slug, (tag, records) in sorted(tag_records.items()):
        specs.append(
            FeedSpec(
                f"tag-{slug}",
                f"{settings.site_name}: {tag}",
                links.section_path(links.TAGS, slug),
                tuple(records[: min(size, TAG_FEED_ENTRIES)]),
                f"{links.FEEDS}/tags/{slug}",
                kind="tag",
            )
        )
    return specs


def render_feeds(specs: list[FeedSpec], settings: Settings, identity: Identity) -> dict[str, bytes]:
    """Every feed in every format, by path from the site root."""
    return {spec.path(fmt.extension): fmt.write(spec, settings, identity) for spec in specs for fmt in FEED_FORMATS}


OPML_FILE = "feeds.opml"
_OPML_GROUPS = (("for-you", "For you"), ("listing", "Listings"), ("digest", "Digests"), ("tag", "Tags"))


def render_opml(specs: list[FeedSpec], settings: Settings) -> bytes:
    """OPML 2.0 naming every feed by its Atom URL, so a reader can subscribe to all at once:
    the combined feed first, then a folder of listing feeds and a folder of tag feeds."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = xml_safe(f"{settings.site_name}: every feed")
    ElementTree.SubElement(head, "docs").text = "https://opml.org/spec2.opml"
    body = ElementTree.SubElement(root, "body")

    def outline(parent: ElementTree.Element, spec: FeedSpec) -> None:
        title = xml_safe(spec.title)
        ElementTree.SubElement(
            parent, "outline", type="rss", text=title, title=title,
            xmlUrl=absolute(settings, spec.path(FEED_FORMATS[0].extension)), htmlUrl=absolute(settings, spec.page),
        )  # fmt: skip

    for spec in specs:
        if spec.kind == "all":
            outline(body, spec)
    for kind, label in _OPML_GROUPS:
        members = [spec for spec in specs if spec.kind == kind]
        if members:
            folder = ElementTree.SubElement(body, "outline", text=label, title=label)
            for spec in members:
                outline(folder, spec)
    ElementTree.indent(root)
    body_bytes: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body_bytes + b"\n"
