"""End to end through the real CLI and the real `mkdocs build --strict`."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, shared_file
from feedcheck import validate_atom

EPOCH = "1764224220"  # 2025-11-27T06:17:00Z


def paperfeed(project: Path, *args: str, epoch: str = EPOCH) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "PAPERFEED_SITE_URL": "https://example.org/papers/"}
    command = [sys.executable, "-m", "paperfeed", *args, "--config", str(project / "mkdocs.yml")]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=project, check=False)


def tree_state(*folders: Path) -> dict[str, tuple[str, int]]:
    """Every file's hash and modification time, so 'rewrote no file' can be checked."""
    state = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                state[str(path)] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    return state


def hashes(*folders: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder.parent)): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
def test_seed_listing_builds_239_pages_and_a_valid_feed_reproducibly(project: Path, tmp_path_factory) -> None:
    seed = shared_file("listings/seed-listing.txt")
    first = paperfeed(project, "run", "--listing", str(seed))
    assert first.returncode == 0, first.stderr
    assert "239 papers, 239 new" in first.stdout
    site = project / "site"
    assert len(list((site / "papers").glob("*/index.html"))) == 239
    assert len(list((project / "docs" / "papers").glob("*.md"))) == 239
    parsed = validate_atom((site / "feed.xml").read_bytes())
    assert len(parsed.entries) == 100

    # Same inputs, same clock: nothing is rewritten, and the site is byte-identical.
    before = tree_state(project / "data", project / "docs")
    site_before = hashes(site)
    second = paperfeed(project, "run", "--listing", str(seed))
    assert second.returncode == 0, second.stderr
    assert "0 new, 239 already known" in second.stdout
    assert tree_state(project / "data", project / "docs") == before
    assert hashes(site) == site_before

    # A second project fed the same listing at the same clock produces the same bytes.
    other = tmp_path_factory.mktemp("other")
    for name in ("mkdocs.yml",):
        (other / name).write_bytes((project / name).read_bytes())
    shutil.copytree(project / "generator", other / "generator", symlinks=True)
    (other / "docs").mkdir()
    for page in (project / "docs").glob("*.md"):
        if page.name != "index.md":
            (other / "docs" / page.name).write_bytes(page.read_bytes())
    assert paperfeed(other, "run", "--listing", str(seed)).returncode == 0
    assert hashes(other / "data", other / "docs") == hashes(project / "data", project / "docs")


def test_a_broken_listing_fails_in_one_line_and_changes_nothing(project: Path) -> None:
    sample = Path(__file__).resolve().parents[1] / "examples" / "sample-listing.txt"
    assert paperfeed(project, "run", "--listing", str(sample), "--no-build").returncode == 0
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
    validate_atom((project / "site" / "feed.xml").read_bytes())
