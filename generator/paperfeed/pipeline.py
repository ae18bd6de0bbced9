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

from paperfeed import budget
from paperfeed.archive import Archive, load_archive, save_archive
from paperfeed.budget import Plan
from paperfeed.build import build_site
from paperfeed.config import ListingConfig, Settings
from paperfeed.fetch import RAW_DIR, save_raw
from paperfeed.identity import Identity, load_identity, mint, save_identity
from paperfeed.ingest import Fetcher, Ingested, ingest_listing
from paperfeed.merge import merge_listing
from paperfeed.site import OWNED_DIRS, OWNED_FILES, iter_site
from paperfeed.writer import WriteReport, write_tree

Say = Callable[[str], None]
# Paper pages are rendered by this many processes once the archive has PARALLEL_FROM papers.
RENDER_WORKERS = min(4, os.cpu_count() or 1)
PARALLEL_FROM = 5_000


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
    """Keep each fetched body under data/raw/ for replaying parser bugs, named by the run's
    clock (so runs stay reproducible) and only when it differs from the newest one kept."""
    for item in ingested:
        if item.fetched is None or item.fetched.not_modified:
            continue
        folder = settings.data_dir / RAW_DIR / item.listing.name
        newest = max(folder.glob("*.gz"), default=None) if folder.is_dir() else None
        if newest is not None and gzip.decompress(newest.read_bytes()) == item.fetched.body:
            continue
        save_raw(settings.data_dir, item.listing.name, replace(item.fetched, fetched_at=now), settings.keep_raw)


def update_archive(
    listings: Sequence[ListingConfig], settings: Settings, now: datetime, fetch: Fetcher | None, say: Say
) -> UpdateReport:
    """Fetch and parse every listing, merge them, and save the archive if it changed."""
    ingested = read_listings(listings, settings, now, fetch)
    parsed = [item.listing for item in ingested]
    archive = load_archive(settings.data_dir)
    # Ordered sets of ids: a paper new in one listing and seen again in the next counts as new.
    added: dict[str, None] = {}
    updated: dict[str, None] = {}
    changed: dict[str, None] = {}
    seen_again = 0
    for listing in parsed:
        result = merge_listing(archive, listing.name, listing.papers, now)
        archive = result.archive
        added.update(dict.fromkeys(result.added))
        updated.update(dict.fromkeys(i for i in result.updated if i not in added))
        changed.update(dict.fromkeys(result.changed_ids))
        seen_again += result.seen_again
        skipped = f", {listing.skipped} skipped (withdrawn, replacements, unreadable)" if listing.skipped else ""
        say(
            f"listing {listing.name}: {len(listing.papers)} papers, {len(result.added)} new, "
            f"{result.seen_again} already known{skipped}"
        )
    saved = tuple(save_archive(settings.data_dir, archive, changed_ids=changed))
    keep_raw_responses(ingested, settings, now)
    if load_identity(settings.data_dir) is None:
        save_identity(settings.data_dir, mint(settings.site_url, now))
    return UpdateReport(archive, tuple(added), tuple(updated), seen_again, saved)


def render_docs(settings: Settings, say: Say, archive: Archive | None = None, warn: Say | None = None) -> WriteReport:
    """Render the archive into docs/ and write what changed; say how full the size budget is
    (and `warn`, from 80% of it on, what happens next)."""
    if archive is None:
        archive = load_archive(settings.data_dir)
    identity = load_identity(settings.data_dir) or _unsaved_identity(settings)
    # Paper pages are rendered by RENDER_WORKERS processes when the archive is large; the
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
