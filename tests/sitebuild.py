"""The fixture site: tests/fixtures/site built by the real commands and served on 127.0.0.1.

The archive fixture (12 papers on two days, one with real math, authors, an arXiv id, code
and project links and tags) is rendered by `paperfeed render` and built by `paperfeed build`,
i.e. the real `mkdocs build --strict`, in a scratch project (tests/harness.py). Only what a
test needs is overridden: a page size of 10 (so the listing has a second page) and a second,
empty listing (so an empty feed is built and checked).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harness import EPOCH, FIXTURES, make_project, paperfeed, serve_directory

ARCHIVE_FIXTURE = FIXTURES / "site"

# The fixture archive's facts that tests check against.
MATH_PAPER = "2411.04321"  # long math, six authors, every kind of link, tags
OTHER_PAPER = "2411.05555"  # same day as MATH_PAPER
NEWEST_SEEN = "2026-11-26T06:10:00Z"
EMPTY_LISTING = "quiet"
SITE_NAME = "Fixture Papers"  # tests/fixtures/project/mkdocs.yml

SETTINGS = f"""\
extra:
  paperfeed:
    page_size: 10
    listings:
      - name: hf-daily
        title: Hugging Face Daily Papers
        source: hf-daily
        date: yesterday
      - name: {EMPTY_LISTING}
        title: A Quiet Listing
        source: arxiv-rss
        category: cs.XX
"""


@dataclass(frozen=True)
class FixtureSite:
    project: Path  # the scratch project: mkdocs.yml, docs/, data/, site/
    base_url: str  # where it is served, with a trailing slash

    @property
    def site_dir(self) -> Path:
        return self.project / "site"

    @property
    def docs_dir(self) -> Path:
        return self.project / "docs"

    @property
    def config(self) -> Path:
        return self.project / "mkdocs.yml"

    def url(self, path: str = "") -> str:
        return self.base_url + path

    def file_for(self, url: str) -> Path:
        """The file in site/ that the server answers `url` with."""
        assert url.startswith(self.base_url), url
        relative = url[len(self.base_url) :].split("#", 1)[0].split("?", 1)[0]
        target = self.site_dir / relative
        return target / "index.html" if relative in ("", ".") or relative.endswith("/") else target

    def paperfeed(self, *args: str, epoch: str = EPOCH) -> str:
        """Run the real CLI in the fixture project; return its output, fail with its errors."""
        return paperfeed(self.project, *args, epoch=epoch, site_url=self.base_url, check=True).stdout


# Debian's Chromium, driven by Playwright; never a downloaded browser. Without the background
# networking flags Chromium reaches for Google's hosts, which this machine's network refuses.
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def make_fixture_project(project: Path) -> Path:
    """A scratch project around the fixture archive, with the fixture site's settings."""
    make_project(project, SETTINGS)
    shutil.copytree(ARCHIVE_FIXTURE, project / "data")
    return project


@contextmanager
def fixture_site(project: Path) -> Iterator[FixtureSite]:
    """Start the server first (the site's URL names its port), then render and build."""
    make_fixture_project(project)
    with serve_directory(project / "site") as base_url:
        site = FixtureSite(project, base_url)
        site.paperfeed("render")
        site.paperfeed("build")
        yield site
