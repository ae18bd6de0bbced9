"""The stages, in order: read listings -> merge -> render -> write -> build.

Everything is read and computed before anything is written: a listing that cannot be
fetched or parsed stops the run with the archive and docs/ untouched. Then the archive is
saved (atomically), the generated pages are written (only those that changed) and the site
is built.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from paperfeed.archive import Archive, load_archive, save_archive
from paperfeed.build import build_site
from paperfeed.config import ListingConfig, Settings
from paperfeed.identity import Identity, load_identity, mint, save_identity
from paperfeed.ingest import Fetcher, read_listing
from paperfeed.merge import merge_listing
from paperfeed.model import Listing
from paperfeed.site import OWNED_DIRS, OWNED_FILES, render_site
from paperfeed.writer import WriteReport, write_tree

Say = Callable[[str], None]


@dataclass(frozen=True)
class UpdateReport:
    archive: Archive
    added: tuple[str, ...]
    updated: tuple[str, ...]
    seen_again: int
    files_saved: tuple[str, ...]
    per_listing: tuple[tuple[str, int, int], ...]  # (listing, papers read, new)


def read_listings(
    listings: Sequence[ListingConfig], settings: Settings, now: datetime, fetch: Fetcher | None
) -> list[Listing]:
    """Read every listing before anything is written; the first failure stops the run."""
    return [read_listing(listing, settings, now, fetch) for listing in listings]


def update_archive(
    listings: Sequence[ListingConfig], settings: Settings, now: datetime, fetch: Fetcher | None, say: Say
) -> UpdateReport:
    """Fetch and parse every listing, merge them, and save the archive if it changed."""
    parsed = read_listings(listings, settings, now, fetch)
    archive = load_archive(settings.data_dir)
    added: list[str] = []
    updated: list[str] = []
    changed: list[str] = []
    seen_again = 0
    per_listing = []
    for listing in parsed:
        result = merge_listing(archive, listing.name, listing.papers, now)
        archive = result.archive
        added += result.added
        updated += [i for i in result.updated if i not in added and i not in updated]
        changed += result.changed_ids
        seen_again += result.seen_again
        per_listing.append((listing.name, len(listing.papers), len(result.added)))
        say(f"listing {listing.name}: {len(listing.papers)} papers, {len(result.added)} new, {result.seen_again} already known")
    saved = tuple(save_archive(settings.data_dir, archive, changed_ids=changed))
    if load_identity(settings.data_dir) is None:
        save_identity(settings.data_dir, mint(settings.site_url, now))
    return UpdateReport(archive, tuple(added), tuple(updated), seen_again, saved, tuple(per_listing))


def render_docs(settings: Settings, say: Say, archive: Archive | None = None) -> WriteReport:
    """Render the archive into docs/ and write what changed."""
    if archive is None:
        archive = load_archive(settings.data_dir)
    identity = load_identity(settings.data_dir) or _unsaved_identity(settings)
    files = render_site(archive, settings, identity)
    report = write_tree(settings.docs_dir, files, OWNED_DIRS, OWNED_FILES)
    say(
        f"pages and feeds: {len(files)} files, {len(report.written)} written, "
        f"{report.unchanged} unchanged, {len(report.removed)} stale removed"
    )
    return report


def _unsaved_identity(settings: Settings) -> Identity:
    # Rendering an archive that was never updated (an empty site): a fixed identity that
    # is not stored, so the first real update still mints the site's own.
    return mint(settings.site_url, datetime.fromisoformat("2026-01-01T00:00:00+00:00"))


def build(settings: Settings, say: Say) -> None:
    build_site(settings.config_path, settings.site_dir)
    say(f"site built: {settings.site_dir}")
