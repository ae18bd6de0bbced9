"""Shared test helpers: where things are, and the rule for material outside the project.

`../shared` (beside the project root) holds real captured listings, payloads and the Atom
schema. A fork has none, so tests that need it skip cleanly, except in CI (CI=true), where a
missing file is a failure rather than a silent skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() == "true"


def shared_file(relative: str) -> Path:
    """A file under ../shared, or a skip (a failure when CI=true) when it is absent."""
    path = SHARED / relative
    if not path.exists():
        message = f"{path} is absent (../shared is not beside the project)"
        if IN_CI:
            pytest.fail(message + "; CI=true requires it")
        pytest.skip(message)
    return path


def require_tool(available: bool, what: str) -> None:
    """Skip when a tool is missing, except in CI, where its absence fails the test."""
    if not available:
        if IN_CI:
            pytest.fail(f"{what} is missing; CI=true requires it (.ci/run installs it)")
        pytest.skip(f"{what} is missing")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch project: mkdocs.yml and the hand-written docs pages, with no listings
    configured and its archive in tmp_path/data."""
    import shutil

    from paperfeed.site import OWNED_DIRS, OWNED_FILES

    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    generated = shutil.ignore_patterns(*OWNED_DIRS, *OWNED_FILES)
    shutil.copytree(ROOT / "docs", tmp_path / "docs", ignore=generated)
    theme = tmp_path / "generator" / "paperfeed"
    theme.parent.mkdir(parents=True)
    shutil.copytree(ROOT / "generator" / "paperfeed" / "theme", theme / "theme")
    return tmp_path
