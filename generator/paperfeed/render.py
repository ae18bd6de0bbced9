"""Assembling the generated part of docs/: every page and feed, by path.

`render_site` is pure. Which files it returns is also the list of what paperfeed owns in
docs/: anything else in the owned folders is stale and pruned by the writer; hand-written
pages elsewhere in docs/ are never touched.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from functools import partial
from itertools import islice

from paperfeed import budget, links, paper_search
from paperfeed.archive import Archive
from paperfeed.budget import Plan
from paperfeed.config import Settings
from paperfeed.feed_identity import Identity
from paperfeed.feeds import (
    FEED_FORMATS,
    OPML_FILE,
    FeedFormat,
    FeedSpec,
    absolute,
    feed_specs,
    render_feeds,
    render_opml,
)
from paperfeed.htmlbits import esc
from paperfeed.links import href
from paperfeed.model import Record, by_listing
from paperfeed.pages import (
    CardOptions,
    FeedLink,
    SiteFacts,
    _page,
    compact_page,
    group_by_day,
    newest_first,
    page_paths,
    paged_section,
    pager,
    paper_card,
    paper_page,
    site_facts,
)
from paperfeed.picks import is_for_you, picks

# What paperfeed generates inside docs/: these folders entirely, and these single files.
OWNED_DIRS = (
    links.PAPERS, links.DAYS, links.LISTINGS, links.TAGS, links.ARCHIVE, links.FEEDS, links.FOR_YOU,
    paper_search.FOLDER,
)  # fmt: skip
OWNED_FILES = ("index.md", "feed.xml", "feed.rss", "feed.json", "feeds.opml")


def _link_text(fmt: FeedFormat) -> str:
    return fmt.label if fmt.label.endswith("Feed") else f"{fmt.label} feed"


def _feed_links(spec: FeedSpec) -> list[FeedLink]:
    return [
        FeedLink(f"{spec.title} ({fmt.label})", spec.path(fmt.extension), fmt.mime, _link_text(fmt))
        for fmt in FEED_FORMATS
    ]


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
        for slug, tag in links.tag_slugs(record.paper.tags).items():  # once per slug: "AI", "ai"
            groups.setdefault(slug, (tag, []))[1].append(record)
    return {slug: group for slug, group in groups.items() if len(group[1]) >= minimum}


def _home(records: list[Record], settings: Settings, specs: Sequence[FeedSpec]) -> str:
    """The front page: when it was updated, how to subscribe, and the newest papers by day.

    The combined feed is advertised by main.html on every page, so the home page's front
    matter adds none."""
    at = "index.md"
    newest = records[: settings.home_papers]
    meta = {"title": esc(settings.site_name), "hide": ["toc"], "search": {"exclude": True}}
    body = [
        '<div class="pf-home">',
        f"<h1>{esc(settings.site_name)}</h1>",
        f"<p>{esc(settings.site_description)}</p>" if settings.site_description else "",
        _updated_line(records, at),
        _for_you_line(specs, at),
        _subscribe_box(settings, [spec for spec in specs if spec.kind in ("all", "for-you", "listing", "digest")], at),
        '<h2 id="newest">Newest papers</h2>'
        if newest
        else "<p>No papers yet: the first nightly run fills this page.</p>",
    ]
    for day, day_records in sorted(group_by_day(newest).items(), reverse=True):
        iso = day.isoformat()
        body.append(
            f'<h3 class="pf-day"><a href="{href(at, links.day_path(iso))}">'
            f'Papers of <time datetime="{iso}">{iso}</time></a></h3>'
        )
        body.extend(paper_card(record, at, heading="h4") for record in day_records)
    if newest:
        body.append(f'<p><a href="{href(at, f"{links.ARCHIVE}/index.md")}">Every day in the archive</a></p>')
    body.append("</div>")
    return _page(meta, body)


def _for_you_line(specs: Sequence[FeedSpec], at: str) -> str:
    """A pointer to the For-you page, when the site has one (a likes file ranked its papers)."""
    if not any(spec.kind == "for-you" for spec in specs):
        return ""
    link = f'<a href="{href(at, links.for_you_path())}">For you</a>'
    return f'<p class="pf-for-you-home">{link}: the newest papers ranked by what you liked.</p>'


def _subscribe_box(settings: Settings, specs: Sequence[FeedSpec], at: str) -> str:
    """Every feed of the home page in every format, each with its Atom URL in a code block
    (Material gives those a copy button, from its own bundled script), and the OPML file."""
    rows = []
    for spec in specs:
        name = "All papers" if spec.name == "all" else spec.title.removeprefix(f"{settings.site_name}: ")
        if spec.cadence:
            name += f", a {spec.cadence} digest"
        formats = " · ".join(
            f'<a href="{href(at, spec.path(fmt.extension))}" type="{fmt.mime}" '
            f'aria-label="{esc(_link_text(fmt))} of {esc(name)}">{esc(fmt.label)}</a>'
            for fmt in FEED_FORMATS
        )
        url = esc(absolute(settings, spec.path(FEED_FORMATS[0].extension)))
        rows.append(
            f'<div class="pf-feed"><p><strong>{esc(name)}</strong>: {formats}</p>'
            f'<pre class="pf-feed-url"><code>{url}</code></pre></div>'
        )
    opml = f'<a href="{href(at, OPML_FILE)}" type="text/x-opml">OPML file listing every feed</a>'
    tags = f'<a href="{href(at, f"{links.TAGS}/index.md")}">tag pages</a>'
    return (
        '<section class="pf-subscribe" aria-labelledby="subscribe"><h2 id="subscribe">Subscribe</h2>'
        "<p>Paste a feed's address into your feed reader. Each feed comes as Atom, RSS and JSON Feed "
        "with the same entries; the address below is the Atom one.</p>"
        + "".join(rows)
        + f"<p>Import them all at once with the {opml}. The most used tags have feeds of their own, on the {tags}.</p>"
        "</section>"
    )


def _updated_line(records: list[Record], at: str) -> str:
    """When the site last changed: the newest paper's first sighting, never the build time,
    so rebuilding with nothing new changes nothing."""
    if not records:
        return ""
    updated = max(record.first_seen for record in records)
    stamp = updated.strftime("%Y-%m-%dT%H:%M:%SZ")
    archive = href(at, f"{links.ARCHIVE}/index.md")
    return (
        f'<p class="pf-updated">Last updated <time datetime="{stamp}">{updated:%Y-%m-%d %H:%M} UTC</time> · '
        f'<a href="{archive}">{len(records)} papers in the archive</a></p>'
    )


def _archive_pages(days: dict[date, list[Record]], settings: Settings) -> dict[str, str]:
    """Every day with its paper count, newest first and grouped by month, `page_size` days a page."""
    ordered = sorted(days, reverse=True)
    paths = page_paths(_archive_path, len(ordered), settings.page_size)
    pages = {}
    for number, path in enumerate(paths, 1):
        chunk = ordered[(number - 1) * settings.page_size : number * settings.page_size]
        heading = "Archive" if number == 1 else f"Archive (page {number})"
        meta = {"title": heading, "search": {"exclude": True}}
        body = ['<div class="pf-archive">', f"<h1>{heading}</h1>"]
        months: dict[str, list[date]] = {}
        for day in chunk:
            months.setdefault(day.strftime("%Y-%m"), []).append(day)
        for month, month_days in months.items():
            items = "".join(
                f'<li><a href="{href(path, links.day_path(d.isoformat()))}">{d.isoformat()}</a> '
                f"({len(days[d])} {'paper' if len(days[d]) == 1 else 'papers'})</li>"
                for d in month_days
            )
            body.append(f'<h2 id="m{month}">{month}</h2><ul class="pf-days">{items}</ul>')
        if not ordered:
            body.append("<p>No papers yet.</p>")
        body.extend([pager(paths, number, path), "</div>"])
        pages[path] = _page(meta, body)
    return pages


def _archive_path(number: int) -> str:
    return f"{links.ARCHIVE}/index.md" if number == 1 else f"{links.ARCHIVE}/page-{number}.md"


TAGS_ON_INDEX = 500  # the most used tags; the index page stays small however many there are
TAG_PAGE_PAPERS = 100  # the newest papers a tag page lists (see iter_site)
TAG_FEEDS = 200  # the most used tags that also get feeds (see iter_site)
LISTING_PAGE_PAPERS = 1_000  # the newest papers a listing's pages list (see iter_site)
FOR_YOU_PAGE_PAPERS = 1_000  # the newest picks the For-you pages list


def _newest(shown: list[Record], everything: list[Record]) -> str:
    if len(shown) == len(everything):
        return ", newest first"
    return f"; the newest {len(shown)} are listed here, every one is in the archive by day"


def _sections_index(title: str, kind: str, entries: list[tuple[str, str, int]]) -> str:
    at = f"{kind}/index.md"
    meta = {"title": title, "search": {"exclude": True}}
    items = "".join(
        f'<li><a href="{href(at, links.section_path(kind, slug))}">{esc(label)}</a> ({count})</li>'
        for slug, label, count in entries
    )
    body = [
        '<div class="pf-sections">',
        f"<h1>{title}</h1>",
        f"<ul>{items}</ul>" if items else "<p>None yet.</p>",
        "</div>",
    ]
    return _page(meta, body)


def render_site(archive: Archive, settings: Settings, identity: Identity) -> dict[str, str | bytes]:
    """Every generated file of docs/, by path relative to docs/."""
    return dict(iter_site(archive, settings, identity))


def iter_site(
    archive: Archive,
    settings: Settings,
    identity: Identity,
    *,
    workers: int = 1,
    on_plan: Callable[[Plan], None] | None = None,
) -> Iterator[tuple[str, str | bytes]]:
    """render_site one file at a time, for the writer to write as they come.

    A 100,000-paper docs/ is ~1 GB of text: streamed, a render holds the archive and one
    page. Every other file comes first, then the paper and day pages, which are most of the
    work and of the site's bytes: by then what the rest adds to the built site is known, so
    the size budget can decide which papers get compact pages (budget.py; `on_plan` is told).
    `workers` > 1 renders the paper and day pages in that many forked processes."""
    records = newest_first(archive.values())
    days = group_by_day(records)
    # Only the TAGS_ON_INDEX most used tags (those the tags index lists) get a page, the
    # TAG_FEEDS most used also feeds; a tag page shows its newest TAG_PAGE_PAPERS papers and a
    # listing page its newest LISTING_PAGE_PAPERS. A page and three feeds for every tag, each
    # listing every paper of the tag, would grow with the archive times its tags per paper;
    # the archive holds every paper by day, and search finds any by title or author.
    tags = _tag_groups(records, settings.tag_min_papers)
    tags = dict(sorted(tags.items(), key=lambda item: (-len(item[1][1]), item[0]))[:TAGS_ON_INDEX])
    by_day = [sorted(day_records, key=lambda r: r.id) for day_records in days.values()]
    facts = site_facts(archive)
    cards = _card_options(settings, facts)
    with _paper_renderer(by_day, settings, set(tags), workers, facts) as render_days:
        other = 0
        for path, content in _index_files(records, days, tags, settings, identity, cards=cards):
            other += budget.file_bytes(path, content, settings.site_url)
            yield path, content
        plan = _plan(records, by_day, set(tags), settings, other, facts=facts)
        if on_plan is not None:
            on_plan(plan)
        yield from render_days(plan.compact)


def _card_options(settings: Settings, facts: SiteFacts) -> CardOptions:
    """Index cards: marked when For you, with BibTeX files of each page's papers."""

    def bibliography(chunk: list[Record]) -> str:
        return "\n".join(facts.bibtex(record, settings.site_url) for record in chunk)

    return CardOptions(marked=lambda record: is_for_you(record, settings.for_you), bibtex=bibliography)


def _for_you_page(records: list[Record], settings: Settings, cards: CardOptions, spec: FeedSpec) -> dict[str, str]:
    """The newest picks (picks.py), a night at a time in score order, each card with its score
    and the words that weighed most for it."""
    chosen = [pick.record for pick in picks(records, settings.for_you, FOR_YOU_PAGE_PAPERS)]
    paths = page_paths(links.for_you_path, len(chosen), settings.page_size)

    def note(record: Record) -> str:
        why = f" · for its words {esc(', '.join(record.why))}" if record.why else ""
        return f"score {record.score:.2f}{why}" if record.score is not None else ""

    threshold = f"{settings.for_you.threshold:g}"
    best = f" and the best {settings.for_you.per_night} of each night" if settings.for_you.per_night else ""
    intro = (
        f"Papers ranked by what you liked: those scoring above {esc(threshold)}{esc(best)}, newest night first "
        "and best first within a night. A score above 0 leans to the papers in your likes file."
    )
    options = CardOptions(marked=cards.marked, note=note, bibtex=cards.bibtex)
    return paged_section(paths, "For you", intro, chosen, settings.page_size, feeds=_feed_links(spec), cards=options)


def _index_files(
    records: list[Record],
    days: dict[date, list[Record]],
    tags: dict[str, tuple[str, list[Record]]],
    settings: Settings,
    identity: Identity,
    *,
    cards: CardOptions,
) -> Iterator[tuple[str, str | bytes]]:
    """Every generated file but the paper and day pages: listing, tag, archive and home
    pages, feeds and the paper search index."""
    specs = feed_specs(records, settings, dict(list(tags.items())[:TAG_FEEDS]))
    spec_by_page = {spec.page: spec for spec in specs}
    listed_in = by_listing(records)
    titles = {listing.name: listing.label for listing in settings.listings}
    for name in sorted(set(listed_in) | set(titles)):
        everything = listed_in.get(name, [])
        listed = everything[:LISTING_PAGE_PAPERS]
        paths = page_paths(partial(links.section_path, links.LISTINGS, name), len(listed), settings.page_size)
        spec = spec_by_page[paths[0]]
        intro = f"{len(everything)} papers from the listing {esc(titles.get(name, name))}{_newest(listed, everything)}."
        yield from paged_section(
            paths, titles.get(name, name), intro, listed, settings.page_size, feeds=_feed_links(spec), cards=cards
        ).items()
    if links.for_you_path() in spec_by_page:
        yield from _for_you_page(records, settings, cards, spec_by_page[links.for_you_path()]).items()

    for slug, (tag, everything) in tags.items():
        tagged = everything[:TAG_PAGE_PAPERS]
        paths = page_paths(partial(links.section_path, links.TAGS, slug), len(tagged), settings.page_size)
        tag_spec = spec_by_page.get(paths[0])  # the most used TAG_FEEDS tags have feeds
        intro = f"{len(everything)} papers tagged {esc(tag)}{_newest(tagged, everything)}."
        yield from paged_section(
            paths, f"Tag: {tag}", intro, tagged, settings.page_size, feeds=_feed_links(tag_spec) if tag_spec else []
        ).items()

    yield from _archive_pages(days, settings).items()
    yield (
        f"{links.LISTINGS}/index.md",
        _sections_index(
            "Listings",
            links.LISTINGS,
            [
                (name, titles.get(name, name), len(listed_in.get(name, [])))
                for name in sorted(set(listed_in) | set(titles))
            ],
        ),
    )
    popular = sorted(tags.items(), key=lambda item: (-len(item[1][1]), item[0]))[:TAGS_ON_INDEX]
    yield (
        f"{links.TAGS}/index.md",
        _sections_index("Tags", links.TAGS, sorted((slug, tag, len(tagged)) for slug, (tag, tagged) in popular)),
    )
    yield "index.md", _home(records, settings, specs)
    yield from render_feeds(specs, settings, identity).items()
    yield OPML_FILE, render_opml(specs, settings)
    yield from paper_search.search_files(records)


def _plan(
    records: list[Record],
    by_day: list[list[Record]],
    linked_tags: set[str],
    settings: Settings,
    other: int,
    *,
    facts: SiteFacts,
) -> Plan:
    """The size budget's plan (budget.py), given what every other file adds to the site."""
    day_lists = {day_records[0].day: day_records for day_records in by_day}

    def render_both(record: Record) -> tuple[int, int]:
        day_records = day_lists[record.day]
        position = next(i for i, found in enumerate(day_records) if found is record)
        before = day_records[position - 1] if position > 0 else None
        after = day_records[position + 1] if position + 1 < len(day_records) else None
        at = links.day_path(record.day.isoformat())
        full = paper_page(record, settings, (before, after), linked_tags=linked_tags, facts=facts)
        full += paper_card(record, at, heading="h2")
        compact = compact_page(record, settings) + paper_card(record, at, heading="h2", compact=True)
        return len(full.encode("utf-8")), len(compact.encode("utf-8"))

    day_pages = sum(-(-len(day_records) // settings.page_size) for day_records in by_day)
    return budget.plan_pages(records, render_both, day_pages=day_pages, other_bytes=other, settings=settings)


# The paper pages to render, for forked workers (set before the pool forks, read by index).
_PAPER_WORK: tuple[list[list[Record]], Settings, set[str], SiteFacts] | None = None
DayTask = tuple[int, frozenset[str]]  # a day's index in _PAPER_WORK, and its papers with compact pages
IN_FLIGHT = 8  # days handed to each render worker ahead of the one the parent writes


def _one_day(task: DayTask) -> list[tuple[str, str]]:
    """The pages of the papers of one day (from _PAPER_WORK), each with its same-day neighbours,
    and the day's own pages: in one process, so each abstract is made readable once."""
    assert _PAPER_WORK is not None  # noqa: S101 - set by _paper_renderer before use
    by_day, settings, linked_tags, facts = _PAPER_WORK
    index, compact = task
    ordered = by_day[index]
    neighbours = _neighbours(ordered)
    found = [
        (
            links.paper_path(record.id),
            compact_page(record, settings)
            if record.id in compact
            else paper_page(record, settings, neighbours[record.id], linked_tags=linked_tags, facts=facts),
        )
        for record in ordered
    ]
    iso = ordered[0].day.isoformat()
    paths = page_paths(lambda n: links.day_path(iso, n), len(ordered), settings.page_size)
    cards = _card_options(settings, facts)
    day = paged_section(
        paths, f"Papers of {iso}", "", ordered, settings.page_size, feeds=[], compact=compact, cards=cards
    )
    found += day.items()
    return found


def _one_day_encoded(task: DayTask) -> list[tuple[str, bytes]]:
    """_one_day's pages in UTF-8, as a worker sends them back: bytes pickle as they are, where
    text would be encoded to pickle, decoded by the parent and encoded again by the writer."""
    return [(path, page.encode("utf-8")) for path, page in _one_day(task)]


RenderDays = Callable[[frozenset[str]], Iterator[tuple[str, str | bytes]]]


@contextmanager
def _paper_renderer(
    by_day: list[list[Record]], settings: Settings, linked_tags: set[str], workers: int, facts: SiteFacts
) -> Iterator[RenderDays]:
    """A function that renders every paper page and day page, day by day, in order, given
    the ids of the papers with compact pages. With `workers` > 1 and fork available, the days
    are rendered by that many processes, forked here, before the rest of the site is rendered,
    so that they share the archive's memory and little else; the pages come back in the same
    order and encoded (the writer writes the same bytes), so the result is the same as with one."""
    global _PAPER_WORK  # noqa: PLW0603 - handed to forked workers through their memory
    _PAPER_WORK = (by_day, settings, linked_tags, facts)

    def tasks(compact: frozenset[str]) -> list[DayTask]:
        return [(index, frozenset(r.id for r in day if r.id in compact)) for index, day in enumerate(by_day)]

    def serial(compact: frozenset[str]) -> Iterator[tuple[str, str | bytes]]:
        for task in tasks(compact):
            yield from _one_day(task)

    try:
        if workers <= 1 or len(by_day) < 4 * workers or "fork" not in multiprocessing.get_all_start_methods():
            yield serial
            return
        with multiprocessing.get_context("fork").Pool(workers) as pool:

            def parallel(compact: frozenset[str]) -> Iterator[tuple[str, str | bytes]]:
                # A few days in flight per worker, not all of them: what the workers render
                # faster than the parent writes would otherwise pile up in the parent.
                waiting = iter(tasks(compact))
                running = deque(
                    pool.apply_async(_one_day_encoded, (task,)) for task in islice(waiting, IN_FLIGHT * workers)
                )
                while running:
                    pages = running.popleft().get()
                    for task in islice(waiting, 1):
                        running.append(pool.apply_async(_one_day_encoded, (task,)))
                    yield from pages

            yield parallel
    finally:
        _PAPER_WORK = None
