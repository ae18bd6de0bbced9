"""Rendering the archive into MkDocs pages: a page per paper, and the index pages.

Every function here is pure: records and settings in, {path: Markdown text} out. Page bodies
are single raw-HTML blocks built from escaped text, so no listing text is ever read as
Markdown; a paper page's body comes from the theme's template (templates.py), the others are
built here. Front matter is YAML as yaml.safe_dump writes it. Index pages are paginated so
that none grows with the archive.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import urlencode

import yaml

from paperfeed import bibtex, links
from paperfeed.config import Settings
from paperfeed.htmlbits import esc, excerpt, external_link, rich_excerpt, rich_text, short_authors
from paperfeed.links import href
from paperfeed.model import Record
from paperfeed.picks import is_for_you
from paperfeed.templates import COMPACT_BODY, PAPER_BODY, render_body, trusted
from paperfeed.text import readable, readable_names


@dataclass(frozen=True)
class FeedLink:
    """A feed a page advertises: its title and its path from the site root."""

    title: str
    path: str
    mime: str = "application/atom+xml"
    label: str = ""  # a short visible name, such as "RSS"; the title when empty


COMPACT_TEMPLATE = "paper-compact.html"  # a compact paper page's frame, in the theme


def newest_first(records: Iterable[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (r.first_seen, r.day, r.id), reverse=True)


# libyaml's safe dumper writes the same YAML several times faster than the pure-Python one. It
# differs only in escaping characters beyond U+FFFF ("\U0001F600"), which loads the same.
_SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_DUMP_OPTIONS: dict[str, Any] = {
    "Dumper": _SAFE_DUMPER,
    "allow_unicode": True,
    "sort_keys": True,
    "width": 10_000,
    "default_flow_style": False,
}


def front_matter(meta: Mapping[str, object]) -> str:
    # Even with libyaml, yaml.dump spends most of its time on a paper page in PyYAML's Python
    # representer and resolver (docs/benchmarks.md). Pages' front matter is a few strings,
    # booleans, lists and mappings, which _block_mapping writes as yaml.dump does, byte for
    # byte, several times faster; anything else is left to yaml.dump (a property test
    # compares the two).
    try:
        if type(meta) is not dict or not meta:  # yaml.dump writes {} in flow style
            raise _NotSimple
        dumped = "".join(_block_mapping(meta, "", set()))
    except _NotSimple:
        dumped = yaml.dump(meta, **_DUMP_OPTIONS)
    return f"---\n{dumped}---\n\n"


class _NotSimple(Exception):
    """A value _block_mapping does not write as yaml.dump would: yaml.dump writes the page."""


def _block_mapping(mapping: dict[str, object], indent: str, seen: set[int]) -> Iterator[str]:
    """Lines of `mapping` in YAML's block style at `indent`, keys sorted, as yaml.dump with
    _DUMP_OPTIONS writes them (sequences in a mapping are not indented, as libyaml does)."""
    if id(mapping) in seen:  # yaml.dump would write an anchor and an alias
        raise _NotSimple
    seen.add(id(mapping))
    for key in sorted(mapping):
        if type(key) is not str or not _SIMPLE_KEY.fullmatch(key) or _scalar(key) != key:
            raise _NotSimple
        value = mapping[key]
        if type(value) is dict:
            yield f"{indent}{key}:\n" if value else f"{indent}{key}: {{}}\n"
            yield from _block_mapping(value, indent + "  ", seen)
        elif type(value) is list:
            yield f"{indent}{key}:\n" if value else f"{indent}{key}: []\n"
            yield from _block_sequence(value, indent, seen)
        else:
            yield f"{indent}{key}: {_scalar_value(value)}\n"


def _block_sequence(items: list[object], indent: str, seen: set[int]) -> Iterator[str]:
    if id(items) in seen:
        raise _NotSimple
    seen.add(id(items))
    for item in items:
        if type(item) is dict and item:
            lines = list(_block_mapping(item, indent + "  ", seen))
            yield f"{indent}- {lines[0][len(indent) + 2 :]}"
            yield from lines[1:]
        else:
            yield f"{indent}- {_scalar_value(item)}\n"


def _scalar_value(value: object) -> str:
    if type(value) is str:
        return _scalar(value)
    if type(value) is bool:
        return "true" if value else "false"
    raise _NotSimple


_STR_TAG = "tag:yaml.org,2002:str"
# As the dumper's: would a plain scalar read back as a string? (PyYAML's stubs leave it untyped.)
_RESOLVE: Callable[[type[yaml.Node], str, tuple[bool, bool]], str] = yaml.resolver.Resolver().resolve
_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`")  # no plain scalar starts with one
_SIMPLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")  # longer keys than 128 are written as "? key"
_LONGEST_SCALAR = 4_000  # libyaml breaks lines only past column `width`


@lru_cache(maxsize=1 << 16)  # names and fixed values come back page after page
def _scalar(text: str) -> str:
    """`text` as libyaml writes a block scalar: plain when that reads back as the same
    string, else single-quoted. Raises _NotSimple for texts that could need double quotes
    or line breaks (control, break, format or astral characters; very long texts)."""
    if not text:
        return "''"
    if len(text) > _LONGEST_SCALAR or not text.isprintable() or (not text.isascii() and max(text) > "\uffff"):
        raise _NotSimple
    if _plain_allowed(text) and _RESOLVE(yaml.ScalarNode, text, (True, False)) == _STR_TAG:
        return text
    return "'" + text.replace("'", "''") + "'"


def _plain_allowed(text: str) -> bool:
    """libyaml's rules for a plain block scalar (yaml_emitter_analyze_scalar), for a
    non-empty text of printable characters."""
    first = text[0]
    if first in _INDICATORS or first == " " or text[-1] == " " or text.startswith(("---", "...")):
        return False
    if first in "?:-" and (len(text) == 1 or text[1] == " "):
        return False
    return ": " not in text and " #" not in text and not text.endswith(":")


def _page(meta: Mapping[str, object], body: list[str]) -> str:
    # One raw HTML block: no blank line inside, so Markdown passes it through untouched.
    return front_matter(meta) + "\n".join(line for line in body if line) + "\n"


def _feeds_meta(feeds: Sequence[FeedLink], at: str) -> list[dict[str, str]]:
    return [{"title": feed.title, "href": href(at, feed.path), "type": feed.mime} for feed in feeds]


class Neighbour(NamedTuple):
    """The paper before or after on the same day, as a paper page links to it."""

    title: str
    href: str  # trusted HTML


@dataclass(frozen=True)
class SiteFacts:
    """What a paper page needs from beyond its paper: the archive (for the titles of similar
    papers), every paper's citation key, and the repository that takes Like issues."""

    archive: Mapping[str, Record]
    keys: Mapping[str, str]
    repository: str = ""  # https://github.com/<owner>/<repo>, when the build knows it
    # Each paper's BibTeX entry, made once for its page and the .bib of its day and listing.
    entries: dict[str, str] = field(default_factory=dict, compare=False)

    def bibtex(self, record: Record, site_url: str) -> str:
        found = self.entries.get(record.id)
        if found is None:
            page_url = site_url + links.page_url(links.paper_path(record.id))
            found = bibtex.entry(record, self.keys.get(record.id) or bibtex.base_key(record), page_url)
            self.entries[record.id] = found
        return found


def site_facts(archive: Mapping[str, Record], environ: Mapping[str, str] = os.environ) -> SiteFacts:
    """The facts for `archive`; the repository comes from GitHub Actions' environment, so a
    local build (which has none) shows no Like link."""
    server, repository = environ.get("GITHUB_SERVER_URL", ""), environ.get("GITHUB_REPOSITORY", "")
    where = f"{server.rstrip('/')}/{repository}" if server.startswith("https://") and repository else ""
    return SiteFacts(archive, bibtex.citation_keys(archive.values()), where)


def _like_href(record: Record, repository: str) -> str:
    paper = record.paper.arxiv_id or record.id
    query = urlencode(
        {"title": f"like: {paper}", "body": f"Add {paper} to the likes file (the like workflow does it)."}
    )
    return f"{repository}/issues/new?{query}"


def _for_you_context(record: Record, settings: Settings, at: str, facts: SiteFacts | None) -> dict[str, object]:
    """What a paper page shows of For you and citing: score and reasons, similar papers,
    BibTeX, the Like link."""
    facts = facts if facts is not None else SiteFacts({}, {})
    like = settings.for_you.like_link and facts.repository
    return {
        "score": f"{record.score:.2f}" if record.score is not None else "",
        "for_you": is_for_you(record, settings.for_you),
        "why": record.why,
        "similar": [
            (trusted(rich_text(facts.archive[other].paper.title)), trusted(href(at, links.paper_path(other))))
            for other in record.similar
            if other in facts.archive
        ],
        "bibtex": facts.bibtex(record, settings.site_url),
        "like_href": _like_href(record, facts.repository) if like else "",
    }


def paper_page(
    record: Record,
    settings: Settings,
    neighbours: tuple[Record | None, Record | None],
    *,
    linked_tags: Container[str] | None = None,
    facts: SiteFacts | None = None,
) -> str:
    """A paper's page: front matter for its frame (theme/paper.html) and its body from the
    theme's paper-body.html. `linked_tags` holds the slugs of the tags that have a page
    (None: all)."""
    paper = record.paper
    at = links.paper_path(record.id)
    title = readable(paper.title)
    authors = readable_names(paper.authors)
    citation: dict[str, object] = {"title": title, "authors": list(authors)}
    day = paper.published or record.day
    citation["date"] = day.strftime("%Y/%m/%d")
    if paper.arxiv_id:
        citation["arxiv_id"] = paper.arxiv_id
        citation["pdf_url"] = f"https://arxiv.org/pdf/{paper.arxiv_id}"
    meta: dict[str, object] = {
        "title": esc(title),
        "description": esc(excerpt(paper.abstract, 200)),
        "template": "paper.html",
        "citation": citation,
        "hide": ["navigation", "toc"],
    }
    labels = {listing.name: listing.label for listing in settings.listings}
    previous, following = neighbours
    context = {
        **_paper_basics(record, at, authors),
        "listings": [
            (labels.get(name, name), trusted(href(at, links.section_path(links.LISTINGS, name))))
            for name in record.listings
        ],
        "summary": readable(paper.summary) if paper.summary else "",
        "abstract": trusted(rich_text(paper.abstract)) if paper.abstract else "",
        "venue": readable(paper.journal_ref),
        "comment": readable(paper.comment),
        **_for_you_context(record, settings, at, facts),
        "tags": [(tag, _tag_href(slug, at, linked_tags)) for slug, tag in links.tag_slugs(paper.tags).items()],
        "previous": _neighbour(previous, at),
        "following": _neighbour(following, at),
    }
    return front_matter(meta) + render_body(settings.config_path, PAPER_BODY, context)


def _paper_basics(record: Record, at: str, authors: tuple[str, ...]) -> dict[str, object]:
    """What both kinds of paper page show: title, authors, day and outside links."""
    day = record.day.isoformat()
    return {
        "record": record,
        "paper": record.paper,
        "title": trusted(rich_text(record.paper.title)),
        "authors": authors,
        "day": day,
        "day_href": trusted(href(at, links.day_path(day))),
        "published": record.paper.published.isoformat() if record.paper.published else "",
        "links": links.paper_links(record),
    }


def _tag_href(slug: str, at: str, linked_tags: Container[str] | None) -> str:
    """The tag page's href, or "" for a tag without a page of its own."""
    if linked_tags is None or slug in linked_tags:
        return trusted(href(at, links.section_path(links.TAGS, slug)))
    return ""


def _neighbour(record: Record | None, at: str) -> Neighbour | None:
    if record is None:
        return None
    return Neighbour(readable(record.paper.title), trusted(href(at, links.paper_path(record.id))))


def compact_page(record: Record, settings: Settings) -> str:
    """A paper's compact page (see budget.py): title, authors, day and outside links, from the
    theme's paper-compact-body.html, in the small frame of paper-compact.html."""
    at = links.paper_path(record.id)
    meta: dict[str, object] = {
        "title": esc(readable(record.paper.title)),
        "template": COMPACT_TEMPLATE,
        "search": {"exclude": True},
    }
    basics = _paper_basics(record, at, readable_names(record.paper.authors))
    return front_matter(meta) + render_body(settings.config_path, COMPACT_BODY, basics)


def paper_card(
    record: Record, at: str, *, heading: str = "h3", compact: bool = False, marked: bool = False, note: str = ""
) -> str:
    """One paper in an index page: title link, short authors, the abstract's start (with its
    math typeset; not for a paper with a compact page), and its outside links. `marked` adds
    the For-you mark; `note` (HTML) a line under the title."""
    paper = record.paper
    title = f'<a href="{href(at, links.paper_path(record.id))}">{rich_text(paper.title)}</a>'
    if marked:
        title += ' <span class="pf-for-you-mark" title="scores past your For-you threshold">For you</span>'
    outside = " · ".join(external_link(url, label) for label, url in links.paper_links(record))
    lines = [
        f'<section class="pf-card"><{heading}>{title}</{heading}>',
        f'<p class="pf-for-you">{note}</p>' if note else "",
        f'<p class="pf-authors">{esc(short_authors(readable_names(paper.authors)))}</p>' if paper.authors else "",
        f'<p class="pf-excerpt">{rich_excerpt(paper.abstract)}</p>' if paper.abstract and not compact else "",
        f'<p class="pf-card-links">{outside}</p>' if outside else "",
        "</section>",
    ]
    return "".join(line for line in lines if line)


def pager(paths: list[str], current: int, at: str) -> str:
    """Links to every page of a paginated index; each number is labelled "Page N" for screen
    readers, and the current page is marked with aria-current."""
    if len(paths) < 2:
        return ""
    items = []
    if current > 1:
        items.append(f'<a rel="prev" href="{href(at, paths[current - 2])}">Previous page</a>')
    for number, path in enumerate(paths, 1):
        current_mark = ' aria-current="page"' if number == current else ""
        items.append(f'<a href="{href(at, path)}" aria-label="Page {number}"{current_mark}>{number}</a>')
    if current < len(paths):
        items.append(f'<a rel="next" href="{href(at, paths[current])}">Next page</a>')
    return '<nav class="pf-pager" aria-label="Pages">' + " ".join(items) + "</nav>"


def _chunks(records: list[Record], size: int) -> list[list[Record]]:
    return [records[start : start + size] for start in range(0, len(records), size)] or [[]]


def paged_section(
    paths: list[str],
    title: str,
    intro: str,
    records: list[Record],
    size: int,
    *,
    feeds: Sequence[FeedLink],
    compact: Container[str] = (),
    cards: CardOptions | None = None,
) -> dict[str, str]:
    """An index split over `paths` (one per chunk of `size` records), newest first. Papers
    whose ids are in `compact` have compact pages, and cards to match. With `cards.bibtex`,
    each page also gets a .bib file of the papers it shows, beside it and linked from it."""
    options = cards or CardOptions()
    pages = {}
    for number, (path, chunk) in enumerate(zip(paths, _chunks(records, size), strict=True), 1):
        heading = title if number == 1 else f"{title} (page {number})"
        meta = {"title": esc(heading), "feeds": _feeds_meta(feeds, path), "search": {"exclude": True}}
        feed_links = " · ".join(
            f'<a href="{href(path, f.path)}" type="{f.mime}">{esc(f.label or f.title)}</a>' for f in feeds
        )
        body = [
            '<div class="pf-index">',
            f"<h1>{esc(heading)}</h1>",
            f"<p>{intro}</p>" if intro else "",
            f'<p class="pf-subscribe-inline">Subscribe: {feed_links}</p>' if feeds else "",
            _bib_link(path) if options.bibtex is not None else "",
            *(
                paper_card(
                    record,
                    path,
                    heading="h2",
                    compact=record.id in compact,
                    marked=options.marked(record),
                    note=options.note(record),
                )
                for record in chunk
            ),
            pager(paths, number, path),
            "</div>",
        ]
        pages[path] = _page(meta, body)
        if options.bibtex is not None:
            pages[bib_path(path)] = options.bibtex(chunk)
    return pages


@dataclass(frozen=True)
class CardOptions:
    """How an index shows its papers: the For-you mark and a note per card, and the BibTeX of
    each page's papers (a function of the papers, in order)."""

    marked: Callable[[Record], bool] = lambda record: False
    note: Callable[[Record], str] = lambda record: ""
    bibtex: Callable[[list[Record]], str] | None = None


def bib_path(page: str) -> str:
    """The .bib file beside an index page: days/2026-11-27.bib, listings/x/page-2.bib."""
    return page.removesuffix(".md") + ".bib"


def _bib_link(path: str) -> str:
    target = bib_path(path)
    link = f'<a href="{href(path, target)}" download="{esc(target.rsplit("/", 1)[-1])}">BibTeX of these papers</a>'
    return f'<p class="pf-bib-link">{link}</p>'


def page_paths(make_path: Callable[[int], str], count: int, size: int) -> list[str]:
    total = max(1, -(-count // size))
    return [make_path(number) for number in range(1, total + 1)]


def group_by_day(records: Iterable[Record]) -> dict[date, list[Record]]:
    days: dict[date, list[Record]] = {}
    for record in records:
        days.setdefault(record.day, []).append(record)
    return days
