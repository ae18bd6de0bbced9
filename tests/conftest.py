"""Shared test helpers: where things are, and the rule for material outside the project.

`../shared` (beside the project root) holds real captured listings, payloads and the Atom
schema. A fork has none, so tests that need it skip cleanly, except in CI (CI=true), where a
missing file is a failure rather than a silent skip.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

from paperfeed.site import OWNED_DIRS, OWNED_FILES

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sitebuild import FixtureSite

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() == "true"
# GitHub's runners set CI=true but have no ../shared beside a fork's checkout; the GitHub CI
# workflow sets this so those tests skip there. The project's own CI (.ci/run) never does.
SHARED_OPTIONAL = os.environ.get("PAPERFEED_SHARED_OPTIONAL") == "1"


def shared_file(relative: str) -> Path:
    """A file under ../shared, or a skip (a failure when CI=true) when it is absent."""
    path = SHARED / relative
    if not path.exists():
        message = f"{path} is absent (../shared is not beside the project)"
        if IN_CI and not SHARED_OPTIONAL:
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
    """A scratch project: mkdocs.yml, the hand-written docs pages and a link to generator/
    (mkdocs.yml names the theme and hooks there); its archive goes to tmp_path/data."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    generated = shutil.ignore_patterns(*OWNED_DIRS, *OWNED_FILES)
    shutil.copytree(ROOT / "docs", tmp_path / "docs", ignore=generated)
    (tmp_path / "generator").symlink_to(ROOT / "generator", target_is_directory=True)
    return tmp_path


# --- The fixture site for the browser and feed-format tests (issue #5) -----------------------
# tests/fixtures/site rendered and built once per session by the real `paperfeed render` and
# `paperfeed build`, served on 127.0.0.1 (see tests/sitebuild.py).


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FixtureSite]:
    from sitebuild import fixture_site  # noqa: PLC0415 - only the sessions that use it pay for it

    with fixture_site(tmp_path_factory.mktemp("fixture-site") / "project") as site:
        yield site


@pytest.fixture(scope="session")
def screenshots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $SCREENSHOTS (the Makefile sets build/screenshots), else a temp dir."""
    folder = Path(os.environ["SCREENSHOTS"]) if os.environ.get("SCREENSHOTS") else tmp_path_factory.mktemp("screens")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- Hypothesis profiles (issue #7: tests/test_properties.py) ---------------------------------
# CI=true runs 500 examples a property; locally 60 keep `make test` quick. HYPOTHESIS_PROFILE
# picks one by name. No deadline: a shared 2-core machine makes single examples slow at times.
# CI runs the same 500 examples a property every time (derandomized), so a result there can be
# reproduced; local runs draw new examples each time, which is where new failures turn up.
settings.register_profile(
    "ci",
    max_examples=500,
    deadline=None,
    print_blob=True,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if IN_CI else "dev"))
