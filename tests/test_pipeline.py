"""End to end through the real CLI and the real `mkdocs build --strict`."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedcheck import validate_atom
from harness import CAPTURED, FIXTURES, SAMPLE_LISTING, make_project, paperfeed, tree_hashes, tree_state

SEED = CAPTURED / "listings" / "seed-listing.txt"  # 12 papers


@pytest.mark.slow
def test_the_seed_listing_builds_a_page_per_paper_and_a_valid_feed_reproducibly(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    first = paperfeed(project, "run", "--listing", str(SEED))
    assert first.returncode == 0, first.stderr
    assert "12 papers, 12 new" in first.stdout
    site = project / "site"
    assert len(list((site / "papers").glob("*/index.html"))) == 12
    assert len(list((project / "docs" / "papers").glob("*.md"))) == 12
    parsed = validate_atom((site / "feed.xml").read_bytes())
    assert len(parsed.entries) == 12
    assert "MeDSLIP" in (site / "index.html").read_text("utf-8")

    # Same inputs, same clock: nothing is rewritten, and the site is byte-identical.
    before = tree_state(project / "data", project / "docs")
    site_before = tree_hashes(site)
    second = paperfeed(project, "run", "--listing", str(SEED))
    assert second.returncode == 0, second.stderr
    assert "0 new, 12 already known" in second.stdout
    assert tree_state(project / "data", project / "docs") == before
    assert tree_hashes(site) == site_before

    # A second project fed the same listing at the same clock builds the same bytes.
    other = make_project(tmp_path_factory.mktemp("other"))
    again = paperfeed(other, "run", "--listing", str(SEED))
    assert again.returncode == 0, again.stderr
    folders = ("data", "docs", "site")
    assert tree_hashes(*(other / name for name in folders)) == tree_hashes(*(project / name for name in folders))


@pytest.mark.slow
def test_a_broken_listing_fails_in_one_line_and_changes_nothing(project: Path) -> None:
    assert paperfeed(project, "run", "--listing", str(SAMPLE_LISTING), "--no-build").returncode == 0
    before = tree_state(project / "data", project / "docs")
    broken = FIXTURES / "listings" / "misaligned.txt"
    result = paperfeed(project, "run", "--listing", str(broken), epoch="1764310620")
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("paperfeed: error: listing 'misaligned': ") and "misaligned.txt:5:" in line
    assert tree_state(project / "data", project / "docs") == before


def test_a_missing_listing_file_and_a_bad_clock_are_one_line_errors(project: Path) -> None:
    missing = paperfeed(project, "update", "--listing", str(project / "nope.txt"))
    assert missing.returncode == 1 and "nope.txt: no such file" in missing.stderr
    bad_clock = paperfeed(project, "update", "--listing", str(project / "x.txt"), epoch="soon")
    assert bad_clock.returncode == 1 and "SOURCE_DATE_EPOCH: 'soon'" in bad_clock.stderr
    assert not (project / "data").exists()


def test_usage_errors_exit_2(project: Path) -> None:
    assert paperfeed(project, "frobnicate").returncode == 2


def test_render_of_an_empty_archive_builds_a_valid_site(project: Path) -> None:
    assert paperfeed(project, "render").returncode == 0
    result = paperfeed(project, "build")
    assert result.returncode == 0, result.stderr
    parsed = validate_atom((project / "site" / "feed.xml").read_bytes())
    assert parsed.entries == []
    assert (project / "site" / "index.html").is_file()
