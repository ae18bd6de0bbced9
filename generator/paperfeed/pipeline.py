"""The stages, in order: read listings -> merge -> render -> write -> build.

Everything is read and computed before anything is written: a listing that cannot be
fetched or parsed stops the run with the archive and docs/ untouched. Then the archive is
saved (atomically), the generated pages are written (only those that changed) and the site
is built.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from paperfeed import backfill, budget
from paperfeed.archive import Archive, load_archive, save_archive
from paperfeed.budget import Plan
from paperfeed.build import build_site
from paperfeed.code_links import CodeFinder
from paperfeed.config import ListingConfig, Settings
from paperfeed.enrich import ask_again, find_code, score_new
from paperfeed.feed_identity import Identity, load_identity, mint, save_identity
from paperfeed.fetch import RAW_DIR, FetchOptions, HttpFetcher, adopt_legacy_raw, keep_latest, save_raw
from paperfeed.ingest import Fetcher, Ingested, ingest_listing
from paperfeed.merge import Tally, merge_listing
from paperfeed.pacing import Pacer, intervals
from paperfeed.render import OWNED_DIRS, OWNED_FILES, iter_site
from paperfeed.sources.hf_api import HUGGING_FACE
from paperfeed.writer import WriteReport, write_tree

Say = Callable[[str], None]
# Paper pages are rendered by this many processes once the archive has PARALLEL_FROM papers.
RENDER_WORKERS = min(4, os.cpu_count() or 1)
PARALLEL_FROM = 5_000
LOOKUP_OPTIONS = FetchOptions(connect_timeout=5, read_timeout=5, total_timeout=10, retries=0)


@dataclass(frozen=True)
class UpdateReport:
    archive: Archive
    added: tuple[str, ...]
    updated: tuple[str, ...]
    seen_again: int
    files_saved: tuple[str, ...]


def read_listings(
    listings: Sequence[ListingConfig], settings: Settings, now: datetime, fetch: Fetcher | None
) -> list[Ingested]:
    """Read every listing before anything is written; the first failure stops the run."""
    return [ingest_listing(listing, settings, now, fetch) for listing in listings]


def keep_raw_responses(ingested: Sequence[Ingested], settings: Settings, now: datetime) -> None:
    """Keep each fetched body in the cache folder for replaying parser bugs, named by the run's
    clock (so runs stay reproducible) and only when it differs from the newest one kept; the
    ones kept anew are also copied to latest/ (the nightly's artifact)."""
    cache = settings.cache_dir
    adopt_legacy_raw(settings.data_dir, cache)
    fresh: list[Path] = []
    for item in ingested:
        if item.fetched is None or item.fetched.not_modified:
            continue
        folder = cache / RAW_DIR / item.listing.name
        newest = max(folder.glob("*.gz"), default=None) if folder.is_dir() else None
        if newest is not None and gzip.decompress(newest.read_bytes()) == item.fetched.body:
            continue
        kept = save_raw(cache, item.listing.name, replace(item.fetched, fetched_at=now), settings.keep_raw)
        if kept is not None:
            fresh.append(kept)
    keep_latest(cache, fresh)


def update_archive(
    listings: Sequence[ListingConfig],
    settings: Settings,
    now: datetime,
    fetch: Fetcher | None,
    say: Say,
    *,
    backfill_days: int | None = None,
) -> UpdateReport:
    """Fetch and parse every listing, merge them, and save the archive if it changed.

    Listings that backfill (see backfill.py; `backfill_days` is the command line's request,
    None to let each listing decide) read their past days instead of tonight's listing, after
    the other listings have been read and before they are merged."""
    lookup: Fetcher | None = None
    if fetch is not None:
        pacer = Pacer(intervals())
        # Code lookups are best effort: they wait less and retry less than listings do.
        lookup = pacer.paced(fetch.with_options(LOOKUP_OPTIONS) if isinstance(fetch, HttpFetcher) else fetch)
        fetch = pacer.paced(fetch)
    archive = load_archive(settings.data_dir)
    journal = backfill.load_journal(settings.data_dir)
    plans, notes = backfill.plan(listings, archive, journal, now, backfill_days)
    for note in notes:
        say(note)
    backfilling = {item.listing.name for item in plans}
    ingested = read_listings([item for item in listings if item.name not in backfilling], settings, now, fetch)
    finder = _code_finder(settings, lookup)
    configs = {item.name: item for item in listings}
    with_code = find_code([item.listing for item in ingested], configs, archive, finder)
    ingested = [replace(item, listing=listing) for item, listing in zip(ingested, with_code, strict=True)]
    tally = Tally()
    saved: dict[str, None] = {}
    if plans:
        archive, written = backfill.run(
            plans, settings=settings, now=now, fetch=fetch, archive=archive, journal=journal, tally=tally, say=say,
            enrich=lambda merged, added: score_new(merged, added, settings, settings.cache_dir, say),
        )  # fmt: skip
        saved.update(dict.fromkeys(written))
    scored = set(tally.added)  # a backfill scores each day's papers before saving the day
    changed: dict[str, None] = {}
    for position, item in enumerate(ingested):
        listing = item.listing
        result = merge_listing(archive, listing.name, listing.papers, now, offset=position, stride=len(ingested))
        archive = result.archive
        tally.add(result)
        changed.update(dict.fromkeys(result.changed_ids))
        skipped = f", {listing.skipped} skipped (withdrawn, replacements, unreadable)" if listing.skipped else ""
        say(
            f"listing {listing.name}: {len(listing.papers)} papers, {len(result.added)} new, "
            f"{result.seen_again} already known{skipped}"
        )
    if finder is not None:
        archive, asked = ask_again(archive, now, finder)
        changed.update(dict.fromkeys(asked))
        say(finder.summary())
    tonight = [record_id for record_id in tally.added if record_id not in scored]
    archive = score_new(archive, tonight, settings, settings.cache_dir, say)
    changed.update(dict.fromkeys(tonight))
    saved.update(dict.fromkeys(save_archive(settings.data_dir, archive, changed_ids=changed)))
    keep_raw_responses(ingested, settings, now)
    if load_identity(settings.data_dir) is None:
        save_identity(settings.data_dir, mint(settings.site_url, now))
    return UpdateReport(archive, tuple(tally.added), tuple(tally.updated), tally.seen_again, tuple(sorted(saved)))


def _code_finder(settings: Settings, fetch: Fetcher | None) -> CodeFinder | None:
    """Who looks for code links: Hugging Face's paper API through the run's paced fetcher."""
    if fetch is None or not settings.find_code:
        return None
    return CodeFinder(fetch=fetch, hf_base=settings.sources.base(HUGGING_FACE), pause=0)


def render_docs(settings: Settings, say: Say, archive: Archive | None = None, warn: Say | None = None) -> WriteReport:
    """Render the archive into docs/ and write what changed; say how full the size budget is
    (and `warn`, from 80% of it on, what happens next)."""
    if archive is None:
        archive = load_archive(settings.data_dir)
    identity = load_identity(settings.data_dir) or _unsaved_identity(settings)
    # Streamed: rendered one file at a time and written as it comes (a large docs/ would not fit
    # in memory whole), paper pages by RENDER_WORKERS processes when the archive is large; the
    # result is the same file for file.
    workers = RENDER_WORKERS if len(archive) >= PARALLEL_FROM else 1
    counts = {"pages": 0, "files": 0}
    plans: list[Plan] = []

    def counted() -> Iterator[tuple[str, str | bytes]]:
        for path, content in iter_site(archive, settings, identity, workers=workers, on_plan=plans.append):
            counts["files"] += 1
            counts["pages"] += path.endswith(".md")
            yield path, content

    report = write_tree(settings.docs_dir, counted(), OWNED_DIRS, OWNED_FILES)
    pages = counts["pages"]
    say(
        f"pages: {pages}; feeds: {counts['files'] - pages} files; {len(report.written)} files written, "
        f"{report.unchanged} unchanged, {len(report.removed)} stale removed; "
        f"combined feed: {min(len(archive), settings.feed_entries)} entries"
    )
    for plan in plans:
        say(budget.summary(plan))
        if (warning := budget.warning(plan)) is not None:
            (warn or say)(warning)
    return report


def _unsaved_identity(settings: Settings) -> Identity:
    # Rendering an archive that was never updated (an empty site): a fixed identity that
    # is not stored, so the first real update still mints the site's own.
    return mint(settings.site_url, datetime.fromisoformat("2026-01-01T00:00:00+00:00"))


def build(settings: Settings, say: Say, *, force: bool = False) -> None:
    report = build_site(settings.config_path, settings.site_dir, force=force)
    if report.skipped:
        say(f"site not rebuilt: {report.reason} (paperfeed build --force builds anyway)")
    else:
        say(f"site built: {settings.site_dir} ({report.mkdocs_seconds:.1f} s)")
