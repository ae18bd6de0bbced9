"""Fixtures shared by the tests, and the hypothesis profiles.

Everything a test needs is in the repository (tests/harness.py says where); no test reads the
repository's own mkdocs.yml values or its generated docs/, data/ and site/, which a fork changes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

from harness import IN_CI, make_project

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sitebuild import FixtureSite


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch project (tests/harness.py: make_project) in tmp_path; its archive goes to
    tmp_path/data."""
    return make_project(tmp_path)


# --- The fixture site for the browser and feed-format tests ----------------------------------
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


# --- Hypothesis profiles (tests/test_properties.py) ------------------------------------------
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
