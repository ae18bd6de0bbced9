"""Merging listings: pure, idempotent, never shrinking, one record per paper."""

from __future__ import annotations

from datetime import date

from paperfeed.merge import merge_listing
from records import T0, T1, paper


def test_new_papers_are_added_with_first_and_last_seen_now() -> None:
    result = merge_listing({}, "daily", [paper("One", arxiv_id="2411.00001"), paper("Two")], T0)
    assert len(result.added) == 2
    record = result.archive["2411.00001"]
    assert (record.first_seen, record.last_seen, record.listings) == (T0, T0, ("daily",))
    assert result.added[1].startswith("two-")


def test_merging_the_same_listing_twice_changes_nothing() -> None:
    papers = [paper("One", arxiv_id="2411.00001"), paper("Two")]
    once = merge_listing({}, "daily", papers, T0)
    twice = merge_listing(once.archive, "daily", papers, T0)
    assert twice.archive == once.archive
    assert (twice.added, twice.updated, twice.seen_again) == ((), (), 2)


def test_merge_does_not_modify_its_input() -> None:
    first = merge_listing({}, "daily", [paper("One")], T0)
    snapshot = dict(first.archive)
    merge_listing(first.archive, "other", [paper("One"), paper("Two")], T1)
    assert first.archive == snapshot


def test_a_paper_seen_again_with_nothing_new_leaves_its_record_alone() -> None:
    first = merge_listing({}, "daily", [paper("One", arxiv_id="2411.00001")], T0)
    again = merge_listing(first.archive, "daily", [paper("One", arxiv_id="2411.00001v2")], T1)
    assert again.archive == first.archive
    assert (again.added, again.updated, again.changed_ids, again.seen_again) == ((), (), (), 1)


def test_a_paper_seen_again_with_news_keeps_first_seen_and_moves_last_seen() -> None:
    first = merge_listing({}, "daily", [paper("One", arxiv_id="2411.00001")], T0)
    again = merge_listing(first.archive, "search", [paper("One", arxiv_id="2411.00001", summary="Now known.")], T1)
    record = again.archive["2411.00001"]
    assert (record.first_seen, record.last_seen, record.listings) == (T0, T1, ("daily", "search"))
    assert record.paper.summary == "Now known."
    assert again.updated == ("2411.00001",) and again.added == ()


def test_the_archive_never_shrinks() -> None:
    first = merge_listing({}, "daily", [paper("One"), paper("Two")], T0)
    later = merge_listing(first.archive, "daily", [], T1)
    assert later.archive == first.archive


def test_one_paper_through_two_listings_is_one_record() -> None:
    first = merge_listing({}, "hf", [paper("One", arxiv_id="2411.00001")], T0)
    second = merge_listing(first.archive, "arxiv", [paper("ONE!", arxiv_id="arXiv:2411.00001v3")], T1)
    assert list(second.archive) == ["2411.00001"]
    assert second.archive["2411.00001"].listings == ("hf", "arxiv")
    assert second.updated == ("2411.00001",)


def test_a_title_only_paper_is_joined_to_its_arxiv_id_and_keeps_its_page_id() -> None:
    first = merge_listing({}, "seed", [paper("Graph Nets: A Survey")], T0)
    [page_id] = first.added
    later = merge_listing(first.archive, "hf", [paper("graph nets — a survey", arxiv_id="2411.00002")], T1)
    assert list(later.archive) == [page_id]
    record = later.archive[page_id]
    assert record.paper.arxiv_id == "2411.00002"
    assert record.first_seen == T0
    # A later arXiv-only look-up still finds it.
    again = merge_listing(later.archive, "arxiv", [paper("Other Title", arxiv_id="2411.00002")], T1)
    assert list(again.archive) == [page_id]


def test_same_title_with_different_arxiv_ids_is_two_papers() -> None:
    first = merge_listing({}, "a", [paper("Introduction", arxiv_id="2411.00001")], T0)
    second = merge_listing(first.archive, "a", [paper("Introduction", arxiv_id="2411.00009")], T0)
    assert sorted(second.archive) == ["2411.00001", "2411.00009"]


def test_known_fields_are_kept_and_gaps_filled() -> None:
    first = merge_listing({}, "a", [paper("One", arxiv_id="2411.00001", abstract="First words.")], T0)
    richer = paper(
        "One (v2 title)",
        arxiv_id="2411.00001",
        abstract="Other words.",
        authors=("Ada",),
        tags=("x",),
        published=date(2026, 1, 2),
        links=(("code", "https://example.org/c"),),
    )
    merged = merge_listing(first.archive, "b", [richer], T1).archive["2411.00001"].paper
    assert (merged.title, merged.abstract) == ("One", "First words.")
    assert (merged.authors, merged.tags, merged.published) == (("Ada",), ("x",), date(2026, 1, 2))
    assert merged.links == (("code", "https://example.org/c"),)


def test_duplicates_within_one_listing_are_one_paper() -> None:
    result = merge_listing({}, "a", [paper("One"), paper("one"), paper("One", arxiv_id="2411.1")], T0)
    assert len(result.archive) == 1 and len(result.added) == 1


def test_upvotes_are_never_stored() -> None:
    result = merge_listing({}, "a", [paper("One", upvotes=42)], T0)
    assert next(iter(result.archive.values())).paper.upvotes is None
