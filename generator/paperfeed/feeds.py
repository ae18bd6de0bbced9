"""Feeds: which feeds the site has, and writing each one in every format.

Atom is written with feedgen, wrapped here so nothing else sees its API. feedgen's traps are
handled in this module: entries are appended in order (its default prepends), every
datetime is aware, `updated` is always set explicitly (its default is now()), and text is
cleaned of XML-illegal characters first (they crash atom_str). feedgen is pinned to 0.9.0:
1.0.0 drops rel and type from entry links (python-feedgen#135); a test checks them.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator

from paperfeed import __version__, links
from paperfeed.config import Settings
from paperfeed.identity import Identity
from paperfeed.model import Record
from paperfeed.text import readable, xml_safe


@dataclass(frozen=True)
class FeedSpec:
    """One feed: `name` is "all" for the combined feed, else a listing or tag feed's name."""

    name: str
    title: str
    page: str  # the Markdown path of the page the feed belongs to
    records: tuple[Record, ...]  # newest first, already cut to the feed's size
    stem: str  # path without extension, from the site root: "feed", "feeds/hf-daily"

    def path(self, extension: str) -> str:
        return f"{self.stem}{extension}"


@dataclass(frozen=True)
class FeedFormat:
    name: str
    extension: str
    mime: str
    label: str
    write: Callable[[FeedSpec, Settings, Identity], bytes]


def absolute(settings: Settings, path: str) -> str:
    return settings.site_url + links.page_url(path)


def entry_html(record: Record, settings: Settings) -> str:
    """An entry's content: authors, abstract and links, as HTML (escaped by the feed writer)."""
    paper = record.paper
    parts = []
    if paper.authors:
        parts.append(f"<p><strong>Authors:</strong> {html.escape(', '.join(paper.authors))}</p>")
    if paper.summary:
        parts.append(f"<p><em>{html.escape(readable(paper.summary))}</em></p>")
    if paper.abstract:
        parts.append(f"<p>{html.escape(readable(paper.abstract))}</p>")
    outside = [("Paper page", absolute(settings, links.paper_path(record.id))), *links.paper_links(record)]
    anchors = " · ".join(f'<a href="{html.escape(url)}">{html.escape(label)}</a>' for label, url in outside)
    parts.append(f"<p>{anchors}</p>")
    return xml_safe("\n".join(parts))


def entry_title(record: Record) -> str:
    return xml_safe(readable(record.paper.title))


def write_atom(spec: FeedSpec, settings: Settings, identity: Identity) -> bytes:
    fg = FeedGenerator()
    fg.id(identity.feed_id(spec.name))
    fg.title(xml_safe(spec.title))
    fg.subtitle(xml_safe(settings.site_description or spec.title))
    fg.author({"name": xml_safe(settings.site_author or settings.site_name)})
    fg.link(href=absolute(settings, spec.path(".xml")), rel="self", type="application/atom+xml")
    fg.link(href=absolute(settings, spec.page), rel="alternate", type="text/html")
    fg.language("en")
    fg.generator("paperfeed", __version__)
    fg.updated(spec.records[0].first_seen if spec.records else identity_epoch(identity))
    for record in spec.records:
        entry = fg.add_entry(order="append")
        entry.id(identity.entry_id(record.id))
        entry.title(entry_title(record))
        entry.link(href=absolute(settings, links.paper_path(record.id)), rel="alternate", type="text/html")
        if record.paper.arxiv_id:
            entry.link(href=f"https://arxiv.org/pdf/{record.paper.arxiv_id}", rel="related", type="application/pdf", title="PDF")
        for author in record.paper.authors:
            entry.author({"name": xml_safe(author)})
        entry.published(record.first_seen)
        entry.updated(record.first_seen)
        entry.content(entry_html(record, settings), type="html")
        for tag in record.paper.tags:
            entry.category(term=xml_safe(tag))
    return fg.atom_str(pretty=True)


def identity_epoch(identity: Identity) -> datetime:
    """The `updated` time of a feed with no entries yet: the day the identity was minted."""
    return datetime.fromisoformat(identity.date).replace(tzinfo=UTC)


FORMATS: tuple[FeedFormat, ...] = (
    FeedFormat("atom", ".xml", "application/atom+xml", "Atom", write_atom),
)


def feed_specs(archive_records: list[Record], settings: Settings, tag_records: dict[str, tuple[str, list[Record]]]) -> list[FeedSpec]:
    """The combined feed, one per configured listing seen in the archive, one per tag page.

    `archive_records` is newest first; `tag_records` maps tag slug -> (tag, records newest first).
    """
    size = settings.feed_entries
    specs = [FeedSpec("all", settings.site_name, "index.md", tuple(archive_records[:size]), "feed")]
    by_listing: dict[str, list[Record]] = {}
    for record in archive_records:
        for name in record.listings:
            by_listing.setdefault(name, []).append(record)
    titles = {listing.name: listing.label for listing in settings.listings}
    for name in sorted(set(by_listing) | set(titles)):
        records = by_listing.get(name, [])
        specs.append(
            FeedSpec(
                name,
                f"{settings.site_name}: {titles.get(name, name)}",
                links.section_path(links.LISTINGS, name),
                tuple(records[:size]),
                f"{links.FEEDS}/{name}",
            )
        )
    for slug, (tag, records) in sorted(tag_records.items()):
        specs.append(
            FeedSpec(
                f"tag-{slug}",
                f"{settings.site_name}: {tag}",
                links.section_path(links.TAGS, slug),
                tuple(records[:size]),
                f"{links.FEEDS}/tags/{slug}",
            )
        )
    return specs


def render_feeds(specs: list[FeedSpec], settings: Settings, identity: Identity) -> dict[str, bytes]:
    """Every feed in every format, by path from the site root."""
    return {spec.path(fmt.extension): fmt.write(spec, settings, identity) for spec in specs for fmt in FORMATS}
