"""The nightly, end to end: `make nightly` in a scratch git repository, against a local server.

Each test makes a scratch project (tests/harness.py) with the repository's Makefile in a
temporary git repository whose one listing is a plain-text file served from 127.0.0.1, then
runs the real `make nightly` with the installed paperfeed. It checks that data/ (and nothing else) is
committed when it changed and only then, and that a failed fetch fails the run and changes
nothing. GITHUB_ACTIONS and GITHUB_OUTPUT are set as on GitHub, so the bot identity and the
step outputs the workflow reads are checked too.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness import EPOCH, ROOT, SAMPLE_LISTING, Routes, make_project, require_tool, serve_routes
from paperfeed.nightly import BOT_EMAIL, BOT_NAME, commit_data, commit_message, compare_archives

SAMPLE = SAMPLE_LISTING.read_bytes()
EXTRA_PAPER = (
    b"Gradient Noise as a Free Lunch for Sharpness-Aware Minimisation\n"
    b"We show that the noise of minibatch gradients already does most of what sharpness-aware "
    b"minimisation does, at no extra cost, on four image benchmarks.\n"
)

GIT = shutil.which("git") or "git"
MAKE = shutil.which("make") or "make"


@pytest.fixture
def tools() -> None:
    """git and make, which the nightly runs: a skip without them, a failure under CI=true."""
    require_tool(shutil.which("git") is not None, "git")
    require_tool(shutil.which("make") is not None, "make")


@dataclass
class Server:
    """The local server of a test and its base URL; its answers change between runs."""

    routes: Routes
    url: str

    def serve(self, path: str, body: bytes, status: int = 200, **headers: str) -> None:
        self.routes.add(path, body, status=status, headers=headers)


@pytest.fixture
def server() -> Iterator[Server]:
    routes = Routes()
    with serve_routes(routes) as url:
        yield Server(routes, url)


def git(repo: Path, *args: str) -> str:
    return subprocess.run([GIT, "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tools: None, tmp_path: Path, server: Server) -> Path:
    """A scratch project (tests/harness.py) as a git repository with one commit and no data/
    yet, its one listing a text file on the local server, and the repository's Makefile."""
    project = make_project(
        tmp_path / "project",
        f"site_url: {server.url}/site/\n"
        "extra:\n"
        "  paperfeed:\n"
        "    listings:\n"
        "      - name: local-text\n"
        "        title: A local listing\n"
        "        source: text\n"
        f"        url: {server.url}/listing.txt\n",
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


@pytest.mark.slow
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


@pytest.mark.slow
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


def test_commit_data_on_a_fresh_repository_without_commits(tools: None, tmp_path: Path) -> None:
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


@pytest.mark.slow
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


@pytest.mark.slow
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
