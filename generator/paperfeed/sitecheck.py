"""The built site, checked and fingerprinted before it is published.

`check_feeds` parses every feed under site/ (Atom, RSS, JSON Feed, OPML) and reports every
problem at once: a file that is not well-formed, an Atom feed or entry without an element
RFC 4287 requires, an entry id used twice, a link that is not absolute or does not point
into the site. `site_stamp` is a content hash of site/ that ignores what changes on every
build without changing the site (the sitemap's <lastmod> dates and its gzip copy), so the
nightly workflow deploys only when a reader would see something new. `check_size` measures
site/ against its size budget (budget.py), so a site too large for its host is never published.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from lxml import etree

from paperfeed.budget import MB, WARN_AT, budget_text
from paperfeed.errors import OutputError, SourceError
from paperfeed.fetch import FetchOptions, HttpFetcher, user_agent

STAMP_FILE = "build-stamp.txt"
# Rewritten on every build although the site did not change: mkdocs dates every sitemap URL
# with the build day, and sitemap.xml.gz is the same file compressed.
_IGNORED = frozenset({STAMP_FILE, "sitemap.xml.gz"})
_LASTMOD = re.compile(rb"\s*<lastmod>[^<]*</lastmod>")
_STAMP = re.compile(r"sha256:[0-9a-f]{64}")

ATOM = "{http://www.w3.org/2005/Atom}"
_FEED_SUFFIXES = (".xml", ".rss", ".atom", ".json", ".opml")
_JSON_FEED = "https://jsonfeed.org/version/1"


@dataclass(frozen=True)
class FeedReport:
    path: str  # relative to site/
    kind: str  # atom, rss, json, opml
    entries: int


@dataclass(frozen=True)
class CheckReport:
    feeds: tuple[FeedReport, ...]
    problems: tuple[str, ...]

    @property
    def atom_feeds(self) -> int:
        return sum(1 for feed in self.feeds if feed.kind == "atom")


def _parser() -> etree.XMLParser:
    # Our own files, but parsed as if they were not: no entities, no network, no huge trees.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _is_datetime(text: str | None) -> bool:
    """RFC 3339, as Atom requires (a 'T', seconds, and a zone)."""
    if not text or not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", text.strip()):
        return False
    try:
        datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


class _Checker:
    """Collects problems for one site; `where` prefixes every message with the file."""

    def __init__(self, site_url: str) -> None:
        self.site_url = site_url
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def link(self, where: str, href: str | None, *, inside: bool) -> None:
        if not href or not re.match(r"https?://\S+$", href):
            self.fail(where, f"link {href!r} is not an absolute http(s) URL")
        elif inside and self.site_url and not href.startswith(self.site_url):
            self.fail(where, f"link {href} is outside the site {self.site_url} (is PAPERFEED_SITE_URL right?)")

    def unique(self, where: str, ids: list[str], what: str) -> None:
        seen: set[str] = set()
        for value in ids:
            if value in seen:
                self.fail(where, f"{what} {value!r} is used twice; ids must be unique")
            seen.add(value)

    # -- Atom (RFC 4287) ---------------------------------------------------------------

    def _one(self, where: str, parent: Any, name: str) -> Any | None:
        found = parent.findall(ATOM + name)
        if len(found) != 1:
            self.fail(where, f"needs exactly one atom:{name}, found {len(found)}")
            return None
        return found[0]

    def atom(self, where: str, feed: Any) -> int:
        for name in ("id", "title"):
            element = self._one(where, feed, name)
            if element is not None and not (element.text or "").strip():
                self.fail(where, f"atom:{name} is empty")
        updated = self._one(where, feed, "updated")
        if updated is not None and not _is_datetime(updated.text):
            self.fail(where, f"atom:updated {updated.text!r} is not an RFC 3339 date-time")
        rels = {link.get("rel", "alternate"): link.get("href") for link in feed.findall(ATOM + "link")}
        if "self" not in rels:
            self.fail(where, "has no link rel=self (readers use it to find the feed again)")
        for rel, href in rels.items():
            self.link(where, href, inside=rel in ("self", "alternate"))
        feed_author = feed.find(ATOM + "author") is not None
        entries = feed.findall(ATOM + "entry")
        ids: list[str] = []
        for number, entry in enumerate(entries, 1):
            at = f"{where}: entry {number}"
            entry_id = self._one(at, entry, "id")
            if entry_id is not None:
                text = (entry_id.text or "").strip()
                if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:\S+$", text):
                    self.fail(at, f"atom:id {text!r} is not an IRI")
                ids.append(text)
            self._one(at, entry, "title")
            entry_updated = self._one(at, entry, "updated")
            if entry_updated is not None and not _is_datetime(entry_updated.text):
                self.fail(at, f"atom:updated {entry_updated.text!r} is not an RFC 3339 date-time")
            links = entry.findall(ATOM + "link")
            alternates = [link for link in links if link.get("rel", "alternate") == "alternate"]
            if entry.find(ATOM + "content") is None and not alternates:
                self.fail(at, "needs atom:content or a link rel=alternate")
            for link in alternates:
                self.link(at, link.get("href"), inside=True)
            if not feed_author and entry.find(ATOM + "author") is None:
                self.fail(at, "has no atom:author and neither has the feed")
        self.unique(where, ids, "entry id")
        return len(entries)

    # -- RSS 2.0, JSON Feed, OPML -----------------------------------------------------------

    def rss(self, where: str, root: Any) -> int:
        channel = root.find("channel")
        if channel is None:
            self.fail(where, "RSS without a <channel>")
            return 0
        for name in ("title", "link", "description"):
            if not (channel.findtext(name) or "").strip():
                self.fail(where, f"the channel needs a non-empty <{name}>")
        items = channel.findall("item")
        for number, item in enumerate(items, 1):
            if not (item.findtext("title") or item.findtext("description") or "").strip():
                self.fail(f"{where}: item {number}", "needs a <title> or a <description>")
            if item.findtext("link") is not None:
                self.link(f"{where}: item {number}", item.findtext("link"), inside=True)
        self.unique(where, [item.findtext("guid") or "" for item in items if item.find("guid") is not None], "guid")
        return len(items)

    def json_feed(self, where: str, feed: dict[str, Any]) -> int:
        if not isinstance(feed.get("title"), str) or not feed["title"].strip():
            self.fail(where, "a JSON Feed needs a title")
        if "feed_url" in feed:
            self.link(where, feed.get("feed_url"), inside=True)
        items = feed.get("items")
        if not isinstance(items, list):
            self.fail(where, "a JSON Feed needs an items list")
            return 0
        ids = []
        for number, item in enumerate(items, 1):
            item_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(item_id, str) or not item_id:
                self.fail(f"{where}: item {number}", "needs a non-empty string id")
                continue
            ids.append(item_id)
            if not (item.get("content_html") or item.get("content_text")):
                self.fail(f"{where}: item {number}", "needs content_html or content_text")
        self.unique(where, ids, "item id")
        return len(items)

    def opml(self, where: str, root: Any) -> int:
        if root.find("body") is None:
            self.fail(where, "OPML without a <body>")
            return 0
        outlines = [o for o in root.iter("outline") if o.get("xmlUrl") is not None]
        for outline in outlines:
            self.link(where, outline.get("xmlUrl"), inside=True)
        return len(outlines)


def _candidates(site_dir: Path) -> Iterator[Path]:
    for path in sorted(site_dir.rglob("*")):
        if path.is_file() and path.suffix in _FEED_SUFFIXES and path.name != STAMP_FILE:
            yield path


def check_feeds(site_dir: Path, site_url: str = "") -> CheckReport:
    """Check every feed under `site_dir`; links must start with `site_url` when it is given."""
    if not (site_dir / "index.html").is_file():
        raise OutputError(f"{site_dir}: no built site here (no index.html); run paperfeed build first")
    checker = _Checker(site_url)
    feeds: list[FeedReport] = []
    for path in _candidates(site_dir):
        where = path.relative_to(site_dir).as_posix()
        data = path.read_bytes()
        if path.suffix == ".json":
            try:
                document = json.loads(data)
            except ValueError as err:
                checker.fail(where, f"not valid JSON: {err}")
                continue
            if isinstance(document, dict) and str(document.get("version", "")).startswith(_JSON_FEED):
                feeds.append(FeedReport(where, "json", checker.json_feed(where, document)))
            continue
        try:
            root = etree.fromstring(data, _parser())  # our own output, yet parsed without entities
        except etree.XMLSyntaxError as err:
            checker.fail(where, f"not well-formed XML: {err}")
            continue
        tag = root.tag if isinstance(root.tag, str) else ""
        if tag == ATOM + "feed":
            feeds.append(FeedReport(where, "atom", checker.atom(where, root)))
        elif tag == "rss":
            feeds.append(FeedReport(where, "rss", checker.rss(where, root)))
        elif tag == "opml":
            feeds.append(FeedReport(where, "opml", checker.opml(where, root)))
    if not any(feed.kind == "atom" for feed in feeds):
        checker.fail(str(site_dir), "no Atom feed found; the site should have feed.xml")
    return CheckReport(tuple(feeds), tuple(checker.problems))


# -- the size budget ------------------------------------------------------------------------


@dataclass(frozen=True)
class SizeReport:
    bytes: int
    budget: int
    summary: str  # one line for the log
    warning: str | None  # from budget.WARN_AT of the budget on: what happens next


def site_files(site_dir: Path) -> list[tuple[str, int]]:
    """(path relative to site_dir, bytes) of every file under site_dir."""
    found: list[tuple[str, int]] = []
    stack = [site_dir]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                else:
                    found.append(
                        (Path(entry.path).relative_to(site_dir).as_posix(), entry.stat(follow_symlinks=False).st_size)
                    )
    return found


def site_bytes(site_dir: Path) -> int:
    """The bytes of every file under site_dir, as the host counts a published site."""
    return sum(size for _, size in site_files(site_dir))


def check_size(site_dir: Path, budget_mb: float) -> SizeReport:
    """The built site against its budget (extra.paperfeed.site_budget_mb): raise OutputError
    when it is over, so it is not published and the live site stays as it is."""
    if not site_dir.is_dir():
        raise OutputError(f"{site_dir}: no built site; run paperfeed build first")
    size, budget = site_bytes(site_dir), round(budget_mb * MB)
    limit = budget_text(budget)
    if size > budget:
        raise OutputError(
            f"{site_dir}: {size / MB:,.1f} MB, over its {limit} budget even with the oldest papers' pages "
            "compact, so it was not published and the live site stays as it is; raise "
            "extra.paperfeed.site_budget_mb (GitHub Pages allows 1000) or follow fewer listings"
        )
    share = size / budget
    summary = f"site: {size / MB:,.1f} MB of its {limit} budget ({share:.0%})"
    warning = None
    if share >= WARN_AT:
        warning = (
            f"{site_dir} is at {share:.0%} of its {limit} budget (extra.paperfeed.site_budget_mb); as the archive "
            "grows, paperfeed render gives more of the oldest papers compact pages (title, authors, day, links) "
            "to keep it under, and past it the publish stops"
        )
    return SizeReport(size, budget, summary, warning)


# -- the build stamp ------------------------------------------------------------------------


def _stamped_files(site_dir: Path) -> Iterator[tuple[str, bytes]]:
    for root, dirs, files in os.walk(site_dir):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            relative = path.relative_to(site_dir).as_posix()
            if relative in _IGNORED:
                continue
            data = path.read_bytes()
            if relative == "sitemap.xml" or relative.startswith("sitemaps/"):  # mkdocs_hooks.split_sitemap's parts
                data = _LASTMOD.sub(b"", data)
            yield relative, data


def site_stamp(site_dir: Path) -> str:
    """sha256 over every file's path and bytes, volatile files left out or normalised."""
    if not site_dir.is_dir():
        raise OutputError(f"{site_dir}: no built site; run paperfeed build first")
    digest = hashlib.sha256()
    count = 0
    for relative, data in _stamped_files(site_dir):
        for part in (relative.encode("utf-8"), hashlib.sha256(data).digest()):
            digest.update(len(part).to_bytes(8, "big") + part)
        count += 1
    if count == 0:
        raise OutputError(f"{site_dir}: the built site is empty; run paperfeed build")
    return f"sha256:{digest.hexdigest()}"


def write_stamp(site_dir: Path) -> str:
    """Write site/build-stamp.txt (served with the site) and return the stamp."""
    stamp = site_stamp(site_dir)
    try:
        (site_dir / STAMP_FILE).write_text(stamp + "\n", "utf-8")
    except OSError as err:
        raise OutputError(f"{site_dir / STAMP_FILE}: cannot write: {err.strerror}") from None
    return stamp


def read_stamp(text: str) -> str | None:
    found = _STAMP.search(text)
    return found.group(0) if found else None


def stamp_url(base_url: str) -> str:
    return base_url.rstrip("/") + "/" + STAMP_FILE


Fetch = Callable[[str], bytes]


def _default_fetch(url: str) -> bytes:
    # The project's one HTTP client, without retries that would only delay a first deploy.
    options = FetchOptions(connect_timeout=10, read_timeout=20, total_timeout=30, retries=1, backoff=2, max_bytes=4096)
    return HttpFetcher(user_agent=user_agent(), options=options).fetch(url).body


def live_stamp(base_url: str, fetch: Fetch | None = None) -> tuple[str | None, str]:
    """The stamp of the deployed site, or None, with a line saying what was found."""
    url = stamp_url(base_url)
    try:
        body = (fetch or _default_fetch)(url)
    except SourceError as err:
        return None, f"no stamp on the live site ({err})"
    stamp = read_stamp(body.decode("utf-8", "replace"))
    if stamp is None:
        return None, f"{url}: not a build stamp"
    return stamp, f"{url}: {stamp}"
