"""Assembling the generated part of docs/: every page and feed, by path.

`render_site` is pure. Which files it returns is also the list of what paperfeed owns in
docs/: anything else in the owned folders is stale and pruned by the writer; hand-written
pages elsewhere in docs/ are never touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from paperfeed import links
from paperfeed.archive import Archive
from paperfeed.config import Settings
from paperfeed.feeds import FORMATS, FeedSpec, absolute, feed_specs, render_feeds
from paperfeed.htmlbits import esc
from paperfeed.identity import Identity
from paperfeed.links import href
from paperfeed.model import Record
from paperfeed.pages import (
    FeedLink,
    _page,
    group_by_day,
    newest_first,
    page_paths,
    paged_section,
    paper_card,
    paper_page,
)

# What paperfeed generates inside docs/: these folders entirely, and these single files.
OWNED_DIRS = (links.PAPERS, links.DAYS, links.LISTINGS, links.TAGS, links.ARCHIVE, links.FEEDS)
OWNED_FILES = ("index.md", "feed.xml", "feed.rss", "feed.json", "feeds.opml")


def _feed_links(spec: FeedSpec) -> list[FeedLink]:
    return [FeedLink(f"{spec.title} ({fmt.label})", spec.path(fmt.extension), fmt.mime) for fmt in FORMATS]


def _neighbours(day_records: list[Record]) -> dict[str, tuple[Record | None, Record | None]]:
    found = {}
    for position, record in enumerate(day_records):
        previous = day_records[position - 1] if position > 0 else None
        following = day_records[position + 1] if position + 1 < len(day_records) else None
        found[record.id] = (previous, following)
    return found


def _tag_groups(records: list[Record], minimum: int) -> dict[str, tuple[str, list[Record]]]:
    groups: dict[str, tuple[str, list[Record]]] = {}
    for record in records:
        for tag in record.paper.tags:
            slug = links.tag_slug(tag)
            if slug:
                groups.setdefault(slug, (tag, []))[1].append(record)
    return {slug: group for slug, group in groups.items() if len(group[1]) >= minimum}


def _home(records: list[Record], settings: Settings, all_feed: FeedSpec, listing_specs: Sequence[FeedSpec]) -> str:
    at = "index.md"
    newest = records[: settings.home_papers]
    updated = records[0].first_seen if records else None
    meta = {
        "title": esc(settings.site_name),
        "feeds": [{"title": f.title, "href": href(at, f.path), "type": f.mime} for f in _feed_links(all_feed)],
        "hide": ["toc"],
        "search": {"exclude": True},
    }
    subscribe_rows = []
    for spec in [all_feed, *listing_specs]:
        urls = " ".join(
            f'<a href="{href(at, spec.path(fmt.extension))}">{fmt.label}</a>' for fmt in FORMATS
        )
        subscribe_rows.append(
            f"<tr><th scope=\"row\">{esc(spec.title)}</th><td>{urls}</td>"
            f'<td><input class="pf-url" readonly value="{esc(absolute(settings, spec.path(".xml")))}" '
            f'aria-label="Atom feed URL of {esc(spec.title)}"></td></tr>'
        )
    opml = f'<a href="{href(at, "feeds.opml")}">OPML file with every feed</a>'
    body = [
        '<div class="pf-home">',
        f"<h1>{esc(settings.site_name)}</h1>",
        f"<p>{esc(settings.site_description)}</p>" if settings.site_description else "",
        _updated_line(updated, len(records)),
        '<section class="pf-subscribe" aria-labelledby="subscribe"><h2 id="subscribe">Subscribe</h2>',
        f'<table><thead><tr><th scope="col">Feed</th><th scope="col">Formats</th><th scope="col">Atom URL</th></tr></thead><tbody>{"".join(subscribe_rows)}</tbody></table>',
        f"<p>{opml}</p></section>",
        '<h2 id="newest">Newest papers</h2>' if newest else "<p>No papers yet: the first nightly run fills this page.</p>",
    ]
    for day, day_records in sorted(group_by_day(newest).items(), reverse=True):
        iso = day.isoformat()
        body.append(f'<h3 class="pf-day"><a href="{href(at, links.day_path(iso))}"><time datetime="{iso}">{iso}</time></a></h3>')
        body.extend(paper_card(record, at, heading="h4") for record in day_records)
    body.append(f'<p><a href="{href(at, f"{links.ARCHIVE}/index.md")}">Every day in the archive</a></p>')
    body.append("</div>")
    return _page(meta, body)


def _updated_line(updated: datetime | None, count: int) -> str:
    if updated is None:
        return ""
    stamp = updated.strftime("%Y-%m-%dT%H:%M:%SZ")
    return f'<p class="pf-updated">{count} papers. Last new paper: <time datetime="{stamp}">{updated:%Y-%m-%d %H:%M} UTC</time>.</p>'


def _archive_page(days: dict, settings: Settings) -> str:
    at = f"{links.ARCHIVE}/index.md"
    meta = {"title": "Archive", "search": {"exclude": True}}
    body = ['<div class="pf-archive">', "<h1>Archive</h1>"]
    months: dict[str, list] = {}
    for day in sorted(days, reverse=True):
        months.setdefault(day.strftime("%Y-%m"), []).append(day)
    for month, month_days in months.items():
        items = "".join(
            f'<li><a href="{href(at, links.day_path(d.isoformat()))}">{d.isoformat()}</a> ({len(days[d])})</li>'
            for d in month_days
        )
        body.append(f'<h2 id="m{month}">{month}</h2><ul class="pf-days">{items}</ul>')
    if not days:
        body.append("<p>No papers yet.</p>")
    body.append("</div>")
    return _page(meta, body)


TAGS_ON_INDEX = 500  # the most used tags; the index page stays small however many there are


def _sections_index(title: str, kind: str, entries: list[tuple[str, str, int]]) -> str:
    at = f"{kind}/index.md"
    meta = {"title": title, "search": {"exclude": True}}
    items = "".join(
        f'<li><a href="{href(at, links.section_path(kind, slug))}">{esc(label)}</a> ({count})</li>'
        for slug, label, count in entries
    )
    body = ['<div class="pf-sections">', f"<h1>{title}</h1>", f"<ul>{items}</ul>" if items else "<p>None yet.</p>", "</div>"]
    return _page(meta, body)


def render_site(archive: Archive, settings: Settings, identity: Identity) -> dict[str, str | bytes]:
    """Every generated file of docs/, by path relative to docs/."""
    records = newest_first(archive.values())
    files: dict[str, str | bytes] = {}
    days = group_by_day(records)
    tags = _tag_groups(records, settings.tag_min_papers)
    specs = feed_specs(records, settings, tags)
    spec_by_page = {spec.page: spec for spec in specs}

    for day, day_records in days.items():
        ordered = sorted(day_records, key=lambda r: r.id)
        neighbours = _neighbours(ordered)
        for record in ordered:
            files[links.paper_path(record.id)] = paper_page(record, settings, neighbours[record.id])
        iso = day.isoformat()
        paths = page_paths(lambda n, iso=iso: links.day_path(iso, n), len(ordered), settings.page_size)
        files.update(paged_section(paths, f"Papers of {iso}", "", ordered, settings.page_size, []))

    by_listing: dict[str, list[Record]] = {}
    for record in records:
        for name in record.listings:
            by_listing.setdefault(name, []).append(record)
    titles = {listing.name: listing.label for listing in settings.listings}
    for name in sorted(set(by_listing) | set(titles)):
        listed = by_listing.get(name, [])
        paths = page_paths(lambda n, name=name: links.section_path(links.LISTINGS, name, n), len(listed), settings.page_size)
        spec = spec_by_page[paths[0]]
        intro = f"{len(listed)} papers from the listing {esc(titles.get(name, name))}, newest first."
        files.update(paged_section(paths, titles.get(name, name), intro, listed, settings.page_size, _feed_links(spec)))

    for slug, (tag, tagged) in tags.items():
        paths = page_paths(lambda n, slug=slug: links.section_path(links.TAGS, slug, n), len(tagged), settings.page_size)
        spec = spec_by_page[paths[0]]
        intro = f"{len(tagged)} papers tagged {esc(tag)}, newest first."
        files.update(paged_section(paths, f"Tag: {tag}", intro, tagged, settings.page_size, _feed_links(spec)))

    files[f"{links.ARCHIVE}/index.md"] = _archive_page(days, settings)
    files[f"{links.LISTINGS}/index.md"] = _sections_index(
        "Listings", links.LISTINGS, [(name, titles.get(name, name), len(by_listing.get(name, []))) for name in sorted(set(by_listing) | set(titles))]
    )
    popular = sorted(tags.items(), key=lambda item: (-len(item[1][1]), item[0]))[:TAGS_ON_INDEX]
    files[f"{links.TAGS}/index.md"] = _sections_index(
        "Tags", links.TAGS, sorted((slug, tag, len(tagged)) for slug, (tag, tagged) in popular)
    )
    listing_specs = [spec for spec in specs if spec.stem.startswith(f"{links.FEEDS}/") and not spec.name.startswith("tag-")]
    files["index.md"] = _home(records, settings, specs[0], listing_specs)
    files.update(render_feeds(specs, settings, identity))
    return files
