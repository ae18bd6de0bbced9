"""What a run adds to papers beyond what their listings say: code links, and the model's
score, reasons and similar papers. Both are set when a paper arrives and then kept, so pages
and feeds never churn; neither can fail a night.

Code links are looked for before merging, so that a listing with `require_code: true` can keep
only the papers that have one; papers that arrived on earlier nights without code are asked
about again at a few ages (code_links.CODE_ASK_AGES). The model's work needs the whole archive
and runs after merging, for the night's new papers only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from paperfeed.archive import Archive
from paperfeed.code_links import CodeFinder, due_for_asking, has_code, repo_in_text, texts_of, with_code
from paperfeed.config import ListingConfig, Settings
from paperfeed.likes import LikeSet, load_likes
from paperfeed.model import Listing

Say = Callable[[str], None]


def find_code(
    listings: Sequence[Listing], configs: dict[str, ListingConfig], archive: Archive, finder: CodeFinder | None
) -> list[Listing]:
    """The listings with code links added to their papers that are new to the archive (their
    text read; Hugging Face asked when `finder` may), and with the papers of `require_code`
    listings that have none left out."""
    known = {record.paper.arxiv_id for record in archive.values() if record.paper.arxiv_id}
    found: list[Listing] = []
    for listing in listings:
        papers = []
        for given in listing.papers:
            paper = given
            if not has_code(given) and given.arxiv_id not in known:
                url = finder.code_for(given) if finder is not None else repo_in_text(*texts_of(given))
                paper = with_code(given, url) if url else given
            if configs[listing.name].require_code and not has_code(paper):
                continue
            papers.append(paper)
        found.append(replace(listing, papers=tuple(papers)))
    return found


def ask_again(archive: Archive, now: datetime, finder: CodeFinder) -> tuple[Archive, list[str]]:
    """Papers of earlier nights still without code, asked about again at their age's turn."""
    updated = dict(archive)
    changed = []
    for record in due_for_asking(archive.values(), now):
        url = finder.code_for(record.paper)
        if url:
            updated[record.id] = replace(record, paper=with_code(record.paper, url))
            changed.append(record.id)
    return updated, changed


def likes_of(settings: Settings) -> LikeSet | None:
    """The owner's likes, or None when no likes file is configured or it is not there yet."""
    path = settings.for_you.likes
    if path is None or not path.exists():
        return None
    dislikes = settings.for_you.dislikes
    return load_likes(path, dislikes if dislikes is not None and dislikes.exists() else None)


def score_new(
    archive: Archive, new_ids: Sequence[str], settings: Settings, cache_dir: Path | None, say: Say
) -> Archive:
    """The archive with the night's new papers given their score, reasons and similar papers."""
    if not new_ids:
        return archive
    # Imported here: scikit-learn and numpy take a second to import, which the commands and
    # nights without new papers need not pay.
    from paperfeed.for_you import model_work  # noqa: PLC0415

    result = model_work(list(archive.values()), new_ids, likes_of(settings), cache_dir, say)
    updated = dict(archive)
    for record_id, found in result.papers.items():
        updated[record_id] = replace(archive[record_id], score=found.score, why=found.why, similar=found.similar)
    return updated
