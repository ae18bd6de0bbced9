"""What the tests share: where things are, scratch projects, the real CLI and local servers.

A scratch project is what a fork looks like to paperfeed: a mkdocs.yml, hand-written pages in
docs/ and generator/ (a link, so the theme and hooks are the working tree's own). Its settings
and pages come from tests/fixtures/project/, never from the repository's own mkdocs.yml and
docs/, which a fork edits and fills. Every server here listens on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from http.server import BaseHTTPRequestHandler, HTTPServer, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from paperfeed.build import STAMP_FILE
from paperfeed.config import Settings, load_settings

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
CAPTURED = FIXTURES / "captured"  # trimmed real payloads: see tests/fixtures/SOURCES.md
PROJECT = FIXTURES / "project"  # the settings and hand-written pages of every scratch project
ATOM_SCHEMA = TESTS / "schemas" / "atom.rng"
SAMPLE_LISTING = ROOT / "examples" / "sample-listing.txt"

EPOCH = "1764224220"  # 2025-11-27T06:17:00Z: the clock of a run unless a test picks another
SITE_URL = "https://example.org/papers/"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_tool(available: bool, what: str) -> None:
    """Skip when a tool is missing, except in CI, where its absence fails the test."""
    if not available:
        if IN_CI:
            pytest.fail(f"{what} is missing; CI=true requires it (.ci/run installs it)")
        pytest.skip(f"{what} is missing")


# -- Scratch projects -------------------------------------------------------------------------


def make_project(project: Path, settings: str = "") -> Path:
    """A scratch project in `project`: its mkdocs.yml INHERITs the test settings (copied in as
    base.yml) and adds `settings`, YAML that overrides them (lists replace, mappings merge)."""
    project.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT / "mkdocs.yml", project / "base.yml")
    (project / "mkdocs.yml").write_text("INHERIT: base.yml\n" + settings, "utf-8")
    shutil.copytree(PROJECT / "docs", project / "docs", dirs_exist_ok=True)
    (project / "generator").symlink_to(ROOT / "generator", target_is_directory=True)
    return project


def fixture_settings(**changes: Any) -> Settings:
    """The test project's settings, as paperfeed loads them, with `changes` applied."""
    changes.setdefault("site_url", SITE_URL)
    return replace(load_settings(PROJECT / "mkdocs.yml"), **changes)


def tree_hashes(*folders: Path) -> dict[str, str]:
    """Every file under `folders` (by its path from the folder's parent, so two projects
    compare) and its SHA-256. The build's own stamp is left out: it names the project's paths."""
    return {
        str(path.relative_to(folder.parent)): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in folders
        if folder.exists()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != STAMP_FILE
    }


def tree_state(*folders: Path) -> dict[str, tuple[str, int]]:
    """Every file's hash and modification time, so that "rewrote no file" can be checked."""
    return {
        str(path): (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# -- The real CLI -----------------------------------------------------------------------------


def command(*args: str, project: Path | None = None) -> list[str]:
    """The command line of this interpreter's paperfeed, with `project`'s mkdocs.yml."""
    config = ["--config", str(project / "mkdocs.yml")] if project is not None else []
    return [sys.executable, "-m", "paperfeed", *args, *config]


def environment(epoch: str = EPOCH, site_url: str = SITE_URL) -> dict[str, str]:
    """This process's environment with the clock and the site's URL of a run."""
    return {**os.environ, "SOURCE_DATE_EPOCH": epoch, "PAPERFEED_SITE_URL": site_url}


def paperfeed(
    project: Path, *args: str, epoch: str = EPOCH, site_url: str = SITE_URL, check: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess, in `project`; with `check`, fail unless it exits 0."""
    result = subprocess.run(
        command(*args, project=project),
        capture_output=True,
        text=True,
        env=environment(epoch, site_url),
        cwd=project,
        check=False,
    )
    if check:
        assert result.returncode == 0, f"paperfeed {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def paperfeed_in_process(
    project: Path, *args: str, epoch: str = EPOCH, site_url: str = SITE_URL
) -> tuple[int, str, str]:
    """The real CLI in this process (no interpreter to start): exit code, stdout, stderr."""
    from paperfeed.cli import main  # noqa: PLC0415 - only the callers pay for the import

    out, err = io.StringIO(), io.StringIO()
    saved = {key: os.environ.get(key) for key in ("SOURCE_DATE_EPOCH", "PAPERFEED_SITE_URL")}
    os.environ.update({"SOURCE_DATE_EPOCH": epoch, "PAPERFEED_SITE_URL": site_url})
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([*args, "--config", str(project / "mkdocs.yml")])
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return code, out.getvalue(), err.getvalue()


# -- Local servers ----------------------------------------------------------------------------


@contextlib.contextmanager
def running(server: HTTPServer) -> Iterator[str]:
    """Run `server` (bound to 127.0.0.1) in a thread; yields its base URL, no trailing slash.
    Every local test server starts and stops here."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Routes:
    """Canned responses by path (the query is ignored), which a test may change between runs;
    every request's path is recorded. A 200 carries an ETag, and a request that names it gets
    304 Not Modified, as from the real sources."""

    responses: dict[str, Response] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def add(self, path: str, body: bytes, content_type: str = "text/plain; charset=utf-8", **options: Any) -> None:
        """Answer `path` with `body`; options: status, headers."""
        self.responses[path] = Response(body=body, content_type=content_type, **options)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that left early (a page closed while loading): a broken pipe, not a failure


@contextlib.contextmanager
def serve_routes(routes: Routes) -> Iterator[str]:
    """Serve `routes` on a free port; yields the base URL, no trailing slash."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            routes.requests.append(self.path)
            found = routes.responses.get(self.path.split("?")[0], Response(404, b"not here"))
            etag = '"' + hashlib.sha256(found.body).hexdigest()[:16] + '"'
            if found.status == 200 and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(found.status)
            if found.status == 200:
                self.send_header("ETag", etag)
            self.send_header("Content-Type", found.content_type)
            self.send_header("Content-Length", str(len(found.body)))
            for name, value in found.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(found.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    with running(_QuietServer(("127.0.0.1", 0), Handler)) as base:
        yield base


class _FileHandler(SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 - the base class declares it a plain dict
        **SimpleHTTPRequestHandler.extensions_map,
        ".xml": "application/xml",
        ".rss": "application/rss+xml",
        ".json": "application/json",
        ".opml": "text/x-opml",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve the files under `directory` on a free port; yields the base URL, with a trailing slash."""
    with running(_QuietServer(("127.0.0.1", 0), partial(_FileHandler, directory=str(directory)))) as base:
        yield base + "/"
