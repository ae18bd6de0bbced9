"""Following authors by name: case, accents, TeX accents, initials and "Surname, Given"."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import CAPTURED, make_project, paperfeed
from paperfeed.archive import load_archive
from paperfeed.authors import follows_any, parse_name


def _follows(followed: str, *authors: str) -> bool:
    name = parse_name(followed)
    assert name is not None
    return follows_any([name], authors)


@pytest.mark.parametrize(
    "written",
    [
        "Bernhard Schölkopf",
        "Bernhard Scholkopf",
        "BERNHARD SCHÖLKOPF",
        'Bernhard Sch\\"olkopf',
        "B. Schölkopf",
        "B Scholkopf",
        "Schölkopf, Bernhard",
        "Bernhard J. Schölkopf",
    ],
)
def test_one_person_written_many_ways(written: str) -> None:
    assert _follows("Bernhard Schölkopf", "Ada Lovelace", written)
    assert _follows("B. Scholkopf", written)


@pytest.mark.parametrize(
    ("followed", "author"),
    [
        ("Bernhard Schölkopf", "Bernd Schölkopf"),  # another given name
        ("Bernhard Schölkopf", "Bernhard Schöll"),  # another surname
        ("B. Schölkopf", "K. Schölkopf"),  # another initial
        ("Yann LeCun", "Yann LeCunn"),
    ],
)
def test_other_people_do_not_match(followed: str, author: str) -> None:
    assert not _follows(followed, author)


def test_a_surname_alone_matches_everyone_of_that_name_and_names_can_collide() -> None:
    assert _follows("Schölkopf", "Bernhard Schölkopf")
    assert _follows("Schölkopf", "Anna Schölkopf")


def test_hyphenated_given_names_and_their_initials_agree() -> None:
    assert _follows("Jean-Baptiste Mouret", "J.-B. Mouret")
    assert _follows("J. Mouret", "Jean-Baptiste Mouret")
    assert not _follows("Jean-Baptiste Mouret", "J.-P. Mouret")


def test_a_name_without_letters_is_nobody() -> None:
    assert parse_name("  ., ") is None
    assert not follows_any([], ["Ada Lovelace"])


def test_a_listing_keeps_only_papers_by_followed_authors(tmp_path: Path) -> None:
    """Through the real CLI: a listing with `authors:` keeps the papers of those authors, by
    whatever spelling the listing uses; the others are not archived."""
    daily = CAPTURED / "hf" / "daily_papers_api_2026-06-12.json"
    project = make_project(
        tmp_path / "project",
        "extra:\n  paperfeed:\n    listings:\n"
        f"      - {{name: followed, source: text, url: '{daily}', authors: ['R. M. Alvarez', 'dongyang liu']}}\n",
    )
    paperfeed(project, "update", check=True)
    archive = load_archive(project / "data")
    assert sorted(archive) == ["2606.00467", "2606.12575"]
