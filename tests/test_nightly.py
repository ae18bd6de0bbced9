"""The nightly, end to end: `make nightly` in a scratch git repository, against a local server.

Each test copies the project (mkdocs.yml, docs/, the theme, the Makefile) into a temporary git
repository whose one listing is a plain-text file served from 127.0.0.1, then runs the real
`make nightly` with the installed paperfeed. It checks that data/ (and nothing else) is
committed when it changed and only then, and that a failed fetch fails the run and changes
nothing. GITHUB_ACTIONS and GITHUB_OUTPUT are set as on GitHub, so the bot identity and the
step outputs the workflow reads are checked too.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import ROOT
from fixture_server import running
from paperfeed.nightly import BOT_EMAIL, BOT_NAME, commit_data, commit_message, compare_archives
from paperfeed.site import OWNED_DIRS, OWNED_FILES

SAMPLE = (ROOT / "examples" / "sample-listing.txt").read_bytes()
EPOCH = "1764224220"  # 2025-11-27T06:17:00Z: one clock for every run of a test
EXTRA_PAPER = (
    b"Gradient Noise as a Free Lunch for Sharpness-Aware Minimisation\n"
    b"We show that the noise of minibatch gradients already does most of what sharpness-aware "
    b"minimisation does, at no extra cost, on four image benchmarks.\n"
)

GIT = shutil.which("git") or "git"
MAKE = shutil.which("make") or "make"
pytestmark = pytest.mark.skipif(not (shutil.which("make") and shutil.which("git")), reason="needs make and git")


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class Server:
    """A tiny HTTP server whose answers tests change between runs; it honours ETags."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                route = server.routes.get(self.path, Route(404, b"not found"))
                etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
                if route.status == 200 and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(route.status)
                if route.status == 200:
                    self.send_header("ETag", etag)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(route.body)))
                for key, value in route.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def serve(self, path: str, body: bytes, status: int = 200, **headers: str) -> None:
        self.routes[path] = Route(status, body, headers)


@pytest.fixture
def server() -> Iterator[Server]:
    served = Server()
    with running(served.httpd):
        yield served


def git(repo: Path, *args: str) -> str:
    return subprocess.run([GIT, "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path: Path, server: Server) -> Path:
    """A scratch project as a git repository with one commit and no data/ yet: the hand-written
    pages, the repository's mkdocs.yml (INHERITed, with one listing on the local server), its
    Makefile, and its generator/ (linked, so the theme and hooks are the working tree's)."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs", project / "docs", ignore=shutil.ignore_patterns(*OWNED_DIRS, *OWNED_FILES))
    (project / "generator").symlink_to(ROOT / "generator", target_is_directory=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "base.yml")
    (project / "mkdocs.yml").write_text(
        "INHERIT: base.yml\n"
        f"site_url: {server.url}/site/\n"
        "extra:\n"
        "  paperfeed:\n"
        "    listings:\n"
        "      - name: local-text\n"
        "        title: A local listing\n"
        "        source: text\n"
        f"        url: {server.url}/listing.txt\n",
        "utf-8",
    )
    shutil.copy(ROOT / "Makefile", project / "Makefile")
    shutil.copy(ROOT / ".gitignore", project / ".gitignore")
    git(project, "init", "--quiet", "--initial-branch=main")
    git(project, "add", "--all")
    git(project, "-c", "user.name=Someone", "-c", "user.email=someone@example.org", "commit", "--quiet", "-m", "start")
    return project


def make_nightly(repo: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """Run `make nightly` as the workflow would; returns the result and the step outputs."""
    outputs = tmp_path / "github-output.txt"
    outputs.write_text("", "utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GITHUB_", "PAPERFEED_", "GIT_"))}
    env.update(
        SOURCE_DATE_EPOCH=EPOCH,
        GITHUB_ACTIONS="true",
        GITHUB_OUTPUT=str(outputs),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        MAKEFLAGS="",
    )
    paperfeed = Path(sys.executable).parent / "paperfeed"
    result = subprocess.run(
        [MAKE, "--no-print-directory", "nightly", f"PF={paperfeed}", "RUNTIME="],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    values = dict(line.split("=", 1) for line in outputs.read_text("utf-8").splitlines() if "=" in line)
    return result, values


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def commits(repo: Path) -> list[str]:
    return git(repo, "rev-list", "HEAD").split()


def test_nightly_commits_only_data_and_only_when_it_changed(repo: Path, server: Server, tmp_path: Path) -> None:
    server.serve("/listing.txt", SAMPLE)
    # Work in progress outside data/, staged and unstaged: the nightly must leave it alone.
    (repo / "docs" / "about.md").write_text("edited by hand\n", "utf-8")
    (repo / "notes.txt").write_text("staged, not for the data commit\n", "utf-8")
    git(repo, "add", "notes.txt")

    first, outputs = make_nightly(repo, tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert len(commits(repo)) == 2
    touched = git(repo, "diff-tree", "--no-commit-id", "--name-only", "-r", "HEAD").split()
    assert touched and all(name.startswith("data/") for name in touched), touched
    assert "data/identity.json" in touched
    assert any(name.startswith("data/papers/") for name in touched)
    subject = git(repo, "log", "-1", "--format=%s").strip()
    assert subject == "data: 6 new papers (local-text 6)"
    assert git(repo, "log", "-1", "--format=%an <%ae>").strip() == f"{BOT_NAME} <{BOT_EMAIL}>"
    assert outputs["committed"] == "true"
    assert outputs["sha"] == git(repo, "rev-parse", "HEAD").strip()
    status = git(repo, "status", "--porcelain")
    assert " M docs/about.md" in status and "A  notes.txt" in status
    # ...and the site was rendered, built, checked and stamped.
    assert (repo / "site" / "index.html").is_file()
    assert (repo / "site" / "build-stamp.txt").read_text("utf-8").startswith("sha256:")
    assert "feeds:" in first.stdout and "no problems" in first.stdout
    stamp = (repo / "site" / "build-stamp.txt").read_text("utf-8")

    second, outputs = make_nightly(repo, tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    assert len(commits(repo)) == 2, "the same listing at the same time must commit nothing"
    assert outputs["committed"] == "false"
    assert "unchanged; nothing to commit" in second.stdout
    assert (repo / "site" / "build-stamp.txt").read_text("utf-8") == stamp, "an unchanged site has the same stamp"

    server.serve("/listing.txt", SAMPLE + EXTRA_PAPER)
    third, outputs = make_nightly(repo, tmp_path)
    assert third.returncode == 0, third.stdout + third.stderr
    assert len(commits(repo)) == 3
    assert git(repo, "log", "-1", "--format=%s").strip() == "data: 1 new paper (local-text 1)"
    assert "Gradient Noise as a Free Lunch" in git(repo, "log", "-1", "--format=%b")
    assert (repo / "site" / "build-stamp.txt").read_text("utf-8") != stamp


@pytest.mark.parametrize(
    ("status", "headers"),
    [(404, {}), (503, {"Retry-After": "0"})],  # 503 is retried; Retry-After: 0 keeps it quick
    ids=["not-found", "unavailable"],
)
def test_a_failed_fetch_fails_the_night_and_changes_nothing(
    repo: Path, server: Server, tmp_path: Path, status: int, headers: dict[str, str]
) -> None:
    server.serve("/listing.txt", SAMPLE)
    first, _ = make_nightly(repo, tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    before, head = snapshot(repo / "data"), commits(repo)

    server.serve("/listing.txt", b"server trouble", status, **headers)
    failed, outputs = make_nightly(repo, tmp_path)
    assert failed.returncode != 0
    assert "local-text" in failed.stderr, failed.stderr  # the log names the listing
    assert commits(repo) == head
    assert snapshot(repo / "data") == before
    assert outputs == {}  # the commit step never ran
    assert git(repo, "status", "--porcelain", "--", "data") == ""


def test_commit_data_on_a_fresh_repository_without_commits(tmp_path: Path) -> None:
    repo = tmp_path / "fresh"
    (repo / "data").mkdir(parents=True)
    (repo / "README.md").write_text("not data\n", "utf-8")
    (repo / "data" / "identity.json").write_text('{"authority": "paperfeed.invalid", "date": "2026-01-01"}\n', "utf-8")
    git(repo.parent, "init", "--quiet", str(repo))
    env = {"GITHUB_ACTIONS": "true", "PATH": os.environ.get("PATH", "")}
    result = commit_data(repo / "data", env)
    assert result.committed and result.sha
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["data/identity.json"]
    assert result.message.startswith("data: no new papers (identity.json)")
    assert commit_data(repo / "data", env).committed is False


def test_commit_message_names_what_arrived() -> None:
    old = {"a": {"id": "a", "title": "Old", "last_seen": "1", "listings": ["hf-daily"]}}
    new = {
        "a": {"id": "a", "title": "Old", "last_seen": "1", "listings": ["hf-daily"]},
        **{f"n{i}": {"id": f"n{i}", "title": f"New {i}", "listings": ["hf-daily"]} for i in range(10)},
        "x1": {"id": "x1", "title": "Cross\n listed", "listings": ["arxiv-cs-lg"]},
        "x2": {"id": "x2", "title": "Both", "listings": ["arxiv-cs-lg", "hf-daily"]},
    }
    change = compare_archives(old, new)
    message = commit_message(change)
    subject, _, body = message.partition("\n\n")
    assert subject == "data: 12 new papers (hf-daily 11, arxiv-cs-lg 2)"
    assert "- x1: Cross listed" in body
    assert "Archive: 13 papers; 0 updated." in body
    updated = compare_archives(old, {"a": {**old["a"], "title": "Old, corrected"}})
    assert commit_message(updated).startswith("data: no new papers, 1 updated\n")
    one = compare_archives({}, {"b": {"id": "b", "title": "B", "listings": ["arxiv-cs-lg"]}})
    assert commit_message(one).startswith("data: 1 new paper (arxiv-cs-lg 1)\n")


def test_raw_responses_stay_out_of_git_and_an_old_data_raw_leaves_it(
    repo: Path, server: Server, tmp_path: Path
) -> None:
    # A fork made before raw responses moved out of data/ has them committed there.
    legacy = repo / "data" / "raw" / "local-text"
    legacy.mkdir(parents=True)
    (legacy / "20250101T051700Z.txt.gz").write_bytes(gzip.compress(b"an old night", mtime=0))
    (repo / "data" / "raw" / "http-cache.json").write_text("{}\n", "utf-8")
    git(repo, "add", "data")
    git(repo, "-c", "user.name=Someone", "-c", "user.email=someone@example.org", "commit", "--quiet", "-m", "old")
    server.serve("/listing.txt", SAMPLE)

    first, _ = make_nightly(repo, tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert git(repo, "ls-files", "--", "data/raw") == ""
    assert not (repo / "data" / "raw").exists()
    assert "Raw responses moved from data/raw/ to .paperfeed-cache/" in git(repo, "log", "-1", "--format=%b")
    cache = repo / ".paperfeed-cache"
    assert gzip.decompress((cache / "raw" / "local-text" / "20250101T051700Z.txt.gz").read_bytes()) == b"an old night"
    (tonight,) = (cache / "latest" / "local-text").iterdir()
    assert gzip.decompress(tonight.read_bytes()) == SAMPLE
    assert git(repo, "status", "--porcelain", "--ignored", "--", ".paperfeed-cache") == "!! .paperfeed-cache/\n"

    # A night that brings nothing new commits nothing, though the conditional request ran.
    second, outputs = make_nightly(repo, tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    assert outputs["committed"] == "false"
    assert not (cache / "latest").exists()


def _paperfeed(repo: Path, *args: str, epoch: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GITHUB_", "PAPERFEED_", "GIT_"))}
    env.update(SOURCE_DATE_EPOCH=epoch, GITHUB_ACTIONS="true")
    command = [sys.executable, "-m", "paperfeed", *args]
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=60, check=False)


def test_nights_that_only_see_known_papers_again_commit_nothing(repo: Path, server: Server) -> None:
    """A listing that shows the same papers night after night (a search, a trending page)
    brings nothing new after the first night: no file changes, so no commit."""
    server.serve("/listing.txt", SAMPLE)
    for night in range(3):
        epoch = str(int(EPOCH) + night * 86_400)
        assert _paperfeed(repo, "update", epoch=epoch).returncode == 0
        if night == 0:
            before = snapshot(repo / "data")
        committed = _paperfeed(repo, "commit-data", epoch=epoch)
        assert committed.returncode == 0, committed.stderr
        assert committed.stdout.startswith("committed" if night == 0 else "data: unchanged"), committed.stdout
    assert snapshot(repo / "data") == before
    assert len(commits(repo)) == 2
