"""What the nightly workflow does besides update, render and build, as commands it calls.

- `paperfeed commit-data` commits data/ (and nothing else) when it changed, as the Actions bot
  when run by GitHub Actions, with a message saying what arrived, worked out from the diff:
  "data: 12 new papers (hf-daily 10, arxiv-cs-lg 2)".
- `paperfeed check` parses every feed in site/ and measures it against its size budget (see
  sitecheck.py): over it, the publish stops.
- `paperfeed stamp` writes site/build-stamp.txt and, given the live site's URL, says whether
  the built site differs from the deployed one, so an unchanged site is not deployed again.

Under GitHub Actions ($GITHUB_OUTPUT set) results are also written as step outputs, so the
workflow holds no logic of its own: `make nightly` runs the same commands locally.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from paperfeed.archive import PAPERS_DIR
from paperfeed.config import CACHE_DIR, Settings
from paperfeed.errors import EXIT_OK, ArchiveError, OutputError
from paperfeed.fetch import RAW_DIR
from paperfeed.sitecheck import check_feeds, check_size, live_stamp, write_stamp
from paperfeed.text import readable

BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898209+github-actions[bot]@users.noreply.github.com"
LISTED_IN = 30  # new papers named in the commit body; the rest are counted

Json = dict[str, Any]


def _say(message: str) -> None:
    print(message, flush=True)


def warn(message: str, environ: Mapping[str, str] | None = None) -> None:
    """A warning for the log; under GitHub Actions also an annotation on the run's summary."""
    if (os.environ if environ is None else environ).get("GITHUB_ACTIONS") == "true":
        # A workflow command's data escapes "%" and line breaks ("at 85%" would lose its sign).
        data = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        print(f"::warning title=paperfeed::{data}", flush=True)
    else:
        print(f"paperfeed: warning: {message}", file=sys.stderr, flush=True)


# -- git ----------------------------------------------------------------------------------


def _git(repo: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    command = ["git", "-C", str(repo), *args]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    except FileNotFoundError:
        raise ArchiveError("git is not installed; commit-data needs it") from None
    if result.returncode != 0:
        detail = " ".join(result.stderr.split()) or f"exit code {result.returncode}"
        raise ArchiveError(f"git {' '.join(args[:2])} in {repo} failed: {detail}")
    return result.stdout


def _repo_and_path(data_dir: Path) -> tuple[Path, str]:
    """The repository holding data_dir and data_dir's path inside it (POSIX, e.g. 'data')."""
    anchor = data_dir if data_dir.is_dir() else data_dir.parent
    try:
        top = Path(_git(anchor, "rev-parse", "--show-toplevel").strip())
    except ArchiveError:
        raise ArchiveError(f"{data_dir}: not inside a git repository; commit-data commits data/ to git") from None
    try:
        relative = data_dir.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        raise ArchiveError(f"{data_dir}: outside the repository {top}") from None
    if relative in ("", "."):
        raise ArchiveError(f"{data_dir}: is the repository root; the archive must be a folder inside it")
    return top, relative


def _has_head(repo: Path) -> bool:
    result = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", "HEAD"],  # noqa: S607
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def _records(lines: str, where: str) -> dict[str, Json]:
    records: dict[str, Json] = {}
    for number, line in enumerate(lines.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise ArchiveError(f"{where}:{number}: not a JSON record; restore the file from git") from None
        if isinstance(record, dict) and isinstance(record.get("id"), str):
            records[record["id"]] = record
    return records


def committed_records(repo: Path, names: Sequence[str]) -> dict[str, Json]:
    """The records of the archive files `names` (paths in the repository) as of HEAD; a file
    HEAD does not have, or a repository without commits, holds none."""
    if not names or not _has_head(repo):
        return {}
    known = set(_git(repo, "ls-tree", "-r", "--name-only", "HEAD", "--", *names).split())
    records: dict[str, Json] = {}
    for name in names:
        if name in known:
            records.update(_records(_git(repo, "show", f"HEAD:{name}"), f"HEAD:{name}"))
    return records


def working_records(repo: Path, names: Sequence[str]) -> dict[str, Json]:
    """The records of the archive files `names` (paths in the repository) as they are now."""
    records: dict[str, Json] = {}
    for name in names:
        path = repo / name
        if path.is_file():
            records.update(_records(path.read_text("utf-8"), str(path)))
    return records


def papers_in(data_dir: Path) -> int:
    """The records in the archive now: one a line."""
    return sum(path.read_bytes().count(b"\n") for path in (data_dir / PAPERS_DIR).glob("*.jsonl"))


# -- what changed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DataChange:
    new: tuple[Json, ...]  # records not in the last commit, in id order
    updated: int  # records that changed: a listing they joined, a field they gained
    other_files: tuple[str, ...]  # changed entries of data/ besides papers/, e.g. identity.json
    total: int  # papers in the archive now
    raw_removed: bool = False  # data/raw/, where older versions kept raw responses, left git

    def per_listing(self) -> list[tuple[str, int]]:
        """New papers per listing, most first; a paper shown by two listings counts in both."""
        counts = Counter(name for record in self.new for name in record.get("listings") or ["unlisted"])
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def compare_archives(
    old: Mapping[str, Json], new: Mapping[str, Json], other_files: tuple[str, ...] = (), total: int | None = None
) -> DataChange:
    """What changed from `old` to `new` (the whole archive, or the files that changed of it;
    then `total` gives the papers in the whole archive)."""
    added = tuple(new[key] for key in sorted(new.keys() - old.keys()))
    updated = sum(old[key] != new[key] for key in new.keys() & old.keys())
    return DataChange(added, updated, other_files, len(new) if total is None else total)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def commit_message(change: DataChange) -> str:
    """'data: 12 new papers (hf-daily 10, arxiv-cs-lg 2)', then a body naming the papers."""
    if change.new:
        listings = ", ".join(f"{name} {count}" for name, count in change.per_listing())
        subject = f"data: {_plural(len(change.new), 'new paper')} ({listings})"
        if change.updated:
            subject += f", {change.updated} updated"
    elif change.updated:
        subject = f"data: no new papers, {change.updated} updated"
    elif change.raw_removed and change.other_files == (RAW_DIR,):
        subject = f"data: stop committing raw responses (kept in {CACHE_DIR}/ now)"
    else:
        subject = f"data: no new papers ({', '.join(change.other_files) or 'bookkeeping'})"
    body = [f"- {record['id']}: {readable(str(record.get('title', '')))}" for record in change.new[:LISTED_IN]]
    if len(change.new) > LISTED_IN:
        body.append(f"- ... and {len(change.new) - LISTED_IN} more")
    body.append("")
    if change.raw_removed:
        body.append(
            f"Raw responses moved from data/{RAW_DIR}/ to {CACHE_DIR}/, which git ignores: the nightly "
            "keeps them in the Actions cache and uploads each night's as an artifact."
        )
    body.append(f"Archive: {_plural(change.total, 'paper')}; {change.updated} updated.")
    return subject + "\n\n" + "\n".join(body) + "\n"


@dataclass(frozen=True)
class CommitResult:
    committed: bool
    sha: str  # HEAD after the step (the new commit, or the unchanged HEAD; "" in an empty repo)
    message: str


def _identity(environ: Mapping[str, str], repo: Path) -> list[str]:
    """`-c user.name=... -c user.email=...` for git: the Actions bot under GitHub Actions, or
    when git has no identity configured here; otherwise the user's own identity."""
    if environ.get("GITHUB_ACTIONS") != "true":
        configured = subprocess.run(
            ["git", "-C", str(repo), "config", "user.email"],  # noqa: S607
            capture_output=True,
            check=False,
        )
        if configured.returncode == 0 and configured.stdout.strip():
            return []
    return ["-c", f"user.name={BOT_NAME}", "-c", f"user.email={BOT_EMAIL}"]


def commit_data(data_dir: Path, environ: Mapping[str, str] | None = None) -> CommitResult:
    """Commit data_dir when `git status` shows changes in it; never anything outside it."""
    env = dict(os.environ if environ is None else environ)
    repo, data_path = _repo_and_path(data_dir)
    status = _git(repo, "status", "--porcelain", "--untracked-files=all", "--", data_path)
    head = _git(repo, "rev-parse", "HEAD").strip() if _has_head(repo) else ""
    if not status.strip():
        return CommitResult(False, head, "")
    prefix = data_path + "/"
    paths = [line[3:].split(" -> ")[-1].strip().strip('"') for line in status.splitlines()]
    others = sorted({p[len(prefix) :].split("/")[0] for p in paths if p.startswith(prefix)} - {PAPERS_DIR})
    # A record never moves between month files, so the files that changed hold every change:
    # reading only those keeps this step fast however large the archive grows.
    shards = sorted(p for p in paths if p.startswith(f"{prefix}{PAPERS_DIR}/") and p.endswith(".jsonl"))
    old, new = committed_records(repo, shards), working_records(repo, shards)
    change = compare_archives(old, new, tuple(others), total=papers_in(data_dir))
    if RAW_DIR in others and not (data_dir / RAW_DIR).exists():
        change = replace(change, raw_removed=True)
    message = commit_message(change)
    _git(repo, "add", "--all", "--", data_path, env=env)
    # `git commit -- <path>` commits only that path, whatever else is staged.
    _git(repo, *_identity(env, repo), "commit", "--quiet", "--message", message, "--", data_path, env=env)
    sha = _git(repo, "rev-parse", "HEAD").strip()
    touched = _git(repo, "diff-tree", "--no-commit-id", "--name-only", "-r", "--root", sha).split()
    outside = [name for name in touched if not name.startswith(data_path + "/")]
    if outside:  # cannot happen with a pathspec commit; checked because the promise matters
        raise ArchiveError(
            f"commit {sha[:12]} touched {outside[:3]} outside {data_path}/; undo it with git reset HEAD~1"
        )
    return CommitResult(True, sha, message)


def commit_file(path: Path, message: str, environ: Mapping[str, str] | None = None) -> str:
    """Commit one file (and nothing else) with `message`; the new commit's sha."""
    env = dict(os.environ if environ is None else environ)
    repo = Path(_git(path.parent, "rev-parse", "--show-toplevel").strip())
    relative = path.resolve().relative_to(repo.resolve()).as_posix()
    _git(repo, "add", "--", relative, env=env)
    _git(repo, *_identity(env, repo), "commit", "--quiet", "--message", message, "--", relative, env=env)
    return _git(repo, "rev-parse", "HEAD").strip()


# -- GitHub Actions step outputs --------------------------------------------------------------


def github_output(values: Mapping[str, str], environ: Mapping[str, str] | None = None) -> None:
    """Append key=value lines to $GITHUB_OUTPUT when running under GitHub Actions."""
    target = (os.environ if environ is None else environ).get("GITHUB_OUTPUT")
    if not target:
        return
    for key, value in values.items():
        if "\n" in value or "\n" in key:
            raise ValueError(f"step output {key!r} must be one line")
    with Path(target).open("a", encoding="utf-8") as handle:
        handle.writelines(f"{key}={value}\n" for key, value in values.items())


# -- commands -------------------------------------------------------------------------------

SettingsFrom = Callable[[argparse.Namespace], Settings]


def _commands(settings_from: SettingsFrom) -> dict[str, Callable[[argparse.Namespace], int]]:
    def cmd_commit_data(args: argparse.Namespace) -> int:
        settings = settings_from(args)
        result = commit_data(settings.data_dir)
        if result.committed:
            _say(f"committed {result.sha[:12]}: {result.message.splitlines()[0]}")
        else:
            _say(f"{settings.data_dir}: unchanged; nothing to commit")
        github_output({"committed": str(result.committed).lower(), "sha": result.sha})
        return EXIT_OK

    def cmd_check(args: argparse.Namespace) -> int:
        settings = settings_from(args)
        report = check_feeds(settings.site_dir, settings.site_url)
        for problem in report.problems:
            print(f"paperfeed: check: {problem}", file=sys.stderr)
        if report.problems:
            raise OutputError(
                f"{settings.site_dir}: {len(report.problems)} problem(s) in the feeds, listed above; "
                "the site was not published"
            )
        entries = sum(feed.entries for feed in report.feeds)
        _say(f"feeds: {len(report.feeds)} checked ({report.atom_feeds} Atom), {entries} entries, no problems")
        size = check_size(settings.site_dir, settings.site_budget_mb)
        _say(size.summary)
        if size.warning:
            warn(size.warning)
        return EXIT_OK

    def cmd_stamp(args: argparse.Namespace) -> int:
        settings = settings_from(args)
        stamp = write_stamp(settings.site_dir)
        _say(f"build stamp: {stamp}")
        deploy = True
        force = args.force or os.environ.get("PAPERFEED_FORCE_DEPLOY", "").lower() == "true"
        if args.live:
            deployed, note = live_stamp(args.live)
            _say(note)
            deploy = deployed != stamp
            if force and not deploy:
                _say("the site is unchanged, but --force: deploy anyway")
                deploy = True
            else:
                _say("the site changed: deploy" if deploy else "the site is unchanged since the last deploy: skip it")
        github_output({"stamp": stamp, "deploy": str(deploy).lower()})
        return EXIT_OK

    return {"commit-data": cmd_commit_data, "check": cmd_check, "stamp": cmd_stamp}


Add = Callable[..., argparse.ArgumentParser]


def register(add: Add, common: argparse.ArgumentParser, settings_from: SettingsFrom) -> None:
    """Add commit-data, check and stamp to the CLI; `add(name, func, help, parents)`."""
    commands = _commands(settings_from)
    add(
        "commit-data",
        commands["commit-data"],
        "commit data/ to git if it changed (nothing else), with a message saying what arrived",
        [common],
    )
    add("check", commands["check"], "check every feed in site/: well-formed, required elements, unique ids", [common])
    stamp = add(
        "stamp",
        commands["stamp"],
        "write site/build-stamp.txt; with --live, say whether the site differs from the deployed one",
        [common],
    )
    stamp.add_argument("--live", metavar="URL", help="the deployed site's base URL, to compare stamps with")
    stamp.add_argument(
        "--force",
        action="store_true",
        help="report a deploy as needed even when unchanged (also: PAPERFEED_FORCE_DEPLOY=true)",
    )
