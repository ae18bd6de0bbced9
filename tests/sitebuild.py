"""The fixture site: tests/fixtures/site built by the real commands and served on 127.0.0.1.

The archive fixture (12 papers on two days, one with real math, authors, an arXiv id, code
and project links and tags) is rendered by `paperfeed render` and built by `paperfeed build`,
i.e. the real `mkdocs build --strict`, in a scratch project whose mkdocs.yml INHERITs the
repository's. Only what a test needs is overridden: a page size of 10 (so the listing has a
second page) and a second, empty listing (so an empty feed is built and checked). The scratch
project links to the repository's generator/ folder, so the theme and any hooks are the
working tree's own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from fixture_server import running
from paperfeed.site import OWNED_DIRS, OWNED_FILES

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "site"

# The fixture archive's facts that tests check against.
MATH_PAPER = "2411.04321"  # long math, six authors, every kind of link, tags
OTHER_PAPER = "2411.05555"  # same day as MATH_PAPER
NEWEST_SEEN = "2026-11-26T06:10:00Z"
EMPTY_LISTING = "quiet"

CONFIG = """\
INHERIT: {parent}
extra:
  paperfeed:
    page_size: 10
    listings:
      - name: hf-daily
        title: Hugging Face Daily Papers
        source: hf-daily
        date: yesterday
      - name: {empty}
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


def make_project(project: Path) -> None:
    """A scratch project around the archive fixture, using the repository's theme and pages."""
    project.mkdir(parents=True, exist_ok=True)
    (project / "mkdocs.yml").write_text(CONFIG.format(parent=ROOT / "mkdocs.yml", empty=EMPTY_LISTING), "utf-8")
    (project / "generator").symlink_to(ROOT / "generator", target_is_directory=True)
    generated = shutil.ignore_patterns(*OWNED_DIRS, *OWNED_FILES)
    shutil.copytree(ROOT / "docs", project / "docs", ignore=generated)
    shutil.copytree(ARCHIVE_FIXTURE, project / "data")


def paperfeed(project: Path, base_url: str, *args: str, epoch: int = 1764224220) -> str:
    """Run the real CLI in the scratch project; return its output, fail with its errors."""
    env = {**os.environ, "PAPERFEED_SITE_URL": base_url, "SOURCE_DATE_EPOCH": str(epoch)}
    command = [sys.executable, "-m", "paperfeed", *args, "--config", str(project / "mkdocs.yml")]
    if args[0] != "build":
        command += ["--data", str(project / "data")]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=project, check=False)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 - the base class declares it a plain dict
        **SimpleHTTPRequestHandler.extensions_map,
        ".xml": "application/xml",
        ".rss": "application/rss+xml",
        ".json": "application/json",
        ".opml": "text/x-opml",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a page left while it still loaded: a broken pipe, not a failure


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


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 on a free port, from a thread; yield the base URL."""
    with running(_QuietServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(directory)))) as base:
        yield base + "/"


@contextmanager
def fixture_site(project: Path) -> Iterator[FixtureSite]:
    """Start the server first (the site's URL names its port), then render and build."""
    make_project(project)
    with serve(project / "site") as base_url:
        paperfeed(project, base_url, "render")
        paperfeed(project, base_url, "build")
        yield FixtureSite(project, base_url)
