"""Crashes: `paperfeed run` killed with SIGKILL, for real, at random moments.

A scratch project first runs a listing A (the "before" state); the run under test then reads
a bigger listing B one month later, which changes lines of A's archive file and adds a new
one. A reference project makes the same two runs undisturbed (the "after" state). Each trial
copies the before state, starts `paperfeed run` in a subprocess (its own process group, so
the mkdocs build it starts dies with it, as on a crash or a cancelled job), kills the group
at a random moment inside the stage it aims at (timed from the line paperfeed prints before
that stage, so no test hook is needed), and then checks the promise. The delays are random on
purpose; a failure message names the trial's stage and delay.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from harness import command, environment, make_project, paperfeed, require_tool, tree_hashes
from paperfeed.archive import Archive, load_archive

EPOCH_A, EPOCH_B = "1764224220", "1766902620"  # 2025-11-27 and 2025-12-28, 06:17 UTC
CHROME = "Get trending papers in your email inbox once a day!"  # the line a saved listing starts with
WORDS = (
    "graph", "neural", "network", "diffusion", "language", "model", "vision", "transformer", "agent", "policy",
    "reward", "retrieval", "sparse", "attention", "quantum", "protein", "kernel", "bandit", "robust", "causal",
)  # fmt: skip


def listing(path: Path, first: int, count: int) -> Path:
    """A text listing of papers number `first` to `first + count - 1`, the same text each time."""
    lines = [CHROME]
    for number in range(first, first + count):
        rng = random.Random(number)  # noqa: S311 - the same made-up text every time
        lines.append(" ".join(rng.choice(WORDS).title() for _ in range(7)) + f" {number}")
        lines.append(" ".join(rng.choice(WORDS) for _ in range(40)) + ".")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def run_command(project: Path, listing_path: Path, *, build: bool) -> list[str]:
    return command("run", *([] if build else ["--no-build"]), "--listing", str(listing_path), project=project)


def run(project: Path, listing_path: Path, epoch: str, *, build: bool) -> None:
    paperfeed(
        project, "run", *([] if build else ["--no-build"]), "--listing", str(listing_path), epoch=epoch, check=True
    )


@dataclass
class Timed:
    """A run in the background, its output lines stamped with when they appeared."""

    process: subprocess.Popen[str]
    started: float = field(default_factory=time.monotonic)
    lines: list[tuple[float, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.monotonic() - self.started, line))

    def wait_for(self, prefix: str, timeout: float = 60) -> float | None:
        """Seconds from the start until a line starting with `prefix`; None if the run ended first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for stamp, line in list(self.lines):
                if line.startswith(prefix):
                    return stamp
            if self.process.poll() is not None:
                return None
            time.sleep(0.002)
        raise AssertionError(f"no line starting {prefix!r} within {timeout} s")

    def kill(self, *, group: bool = True) -> bool:
        """SIGKILL the run's whole process group (a crash, a cancelled job), or paperfeed alone
        (the OOM killer); False when it had already finished."""
        finished = self.process.poll() is not None
        if not finished:
            (os.killpg if group else os.kill)(self.process.pid, signal.SIGKILL)
        self.process.wait()
        return not finished


def start(project: Path, listing_path: Path, epoch: str, *, build: bool) -> Timed:
    process = subprocess.Popen(
        run_command(project, listing_path, build=build),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=environment(epoch),
        cwd=project,
        start_new_session=True,
    )
    return Timed(process)


def builds_writing_into(project: Path) -> list[int]:
    """Process ids of live processes whose command line names `project`'s site.building/."""
    target = str((project / "site.building").resolve()).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if target in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@dataclass(frozen=True)
class States:
    """The before and after states of one kind of trial, and how long each stage took."""

    before: Path  # a project holding the before state, copied for each trial
    archive_before: Archive
    archive_after: Archive
    after: dict[str, str]  # hashes of data/, docs/ (and site/) after an undisturbed run
    site_before: dict[str, str]
    stages: dict[str, float]  # seconds from the line that opens a stage to the next line
    listing: Path


def states(work: Path, size_a: int, size_b: int, *, build: bool) -> States:
    listings = work / "listings"
    listings.mkdir(parents=True)
    a = listing(listings / "a.txt", 0, size_a)
    b = listing(listings / "b.txt", size_a // 2, size_b)  # overlaps A: known papers get last-seen updates
    before = work / "before"
    make_project(before)
    run(before, a, EPOCH_A, build=build)
    reference = work / "reference"
    shutil.copytree(before, reference, symlinks=True)
    timed = start(reference, b, EPOCH_B, build=build)
    assert timed.process.wait() == 0
    stamps = dict.fromkeys(("listing ", "archive:", "pages:", "site built", "done"), 0.0)
    for stamp, line in timed.lines:
        for prefix in stamps:
            if line.startswith(prefix):
                stamps[prefix] = stamp
    stages = {"save": stamps["archive:"] - stamps["listing "], "write": stamps["pages:"] - stamps["archive:"]}
    if build:
        stages["build"] = stamps["site built"] - stamps["pages:"]
    folders = ("data", "docs", "site") if build else ("data", "docs")
    return States(
        before=before,
        archive_before=load_archive(before / "data"),
        archive_after=load_archive(reference / "data"),
        after=tree_hashes(*(reference / name for name in folders)),
        site_before=tree_hashes(before / "site"),
        stages=stages,
        listing=b,
    )


# Where a trial aims: the line paperfeed prints just before that stage starts.
OPENS = {"save": "listing ", "write": "archive:", "build": "pages:"}


def trial(work: Path, known: States, stage: str, part: tuple[float, float], *, build: bool, group: bool = True) -> str:
    """Copy the before state, start the run, kill it at a random moment in `part` (fractions)
    of `stage`, check the archive and site, rerun, and check that the rerun repaired all."""
    project = work / f"trial-{stage}-{time.monotonic_ns()}"
    shutil.copytree(known.before, project, symlinks=True)
    timed = start(project, known.listing, EPOCH_B, build=build)
    opened = timed.wait_for(OPENS[stage])
    delay = random.uniform(*part) * known.stages[stage]  # noqa: S311 - a random moment, not a secret
    if opened is not None:
        time.sleep(max(0.0, opened + delay - (time.monotonic() - timed.started)))
    if not group:  # paperfeed alone, once its mkdocs child is past the log lines it prints first
        deadline = time.monotonic() + 30
        while not builds_writing_into(project) and timed.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.25)
    killed = timed.kill(group=group)
    when = f"{delay:.3f} s into the stage" if group else "alone, 0.25 s after its mkdocs started"
    what = f"{stage} trial, killed {when}" if killed else f"{stage} trial, run ended first"

    if not group and killed:  # the build must have died with paperfeed, not write on as an orphan
        time.sleep(0.05)
        assert builds_writing_into(project) == [], f"{what}: mkdocs still runs after paperfeed died"
    archive = load_archive(project / "data")  # finishes or discards the interrupted save
    state = "old" if archive == known.archive_before else "new" if archive == known.archive_after else None
    assert state is not None, f"{what}: the archive is neither the old nor the new one"
    if build:
        site = tree_hashes(project / "site")
        whole = site in (known.site_before, {k: v for k, v in known.after.items() if k.startswith("site")})
        between = not site and (project / "site.old").is_dir()  # killed between the two renames
        assert whole or between, f"{what}: site/ is neither the old build nor the new one"

    run(project, known.listing, EPOCH_B, build=build)
    folders = ("data", "docs", "site") if build else ("data", "docs")
    assert tree_hashes(*(project / name for name in folders)) == known.after, (
        f"{what}: the rerun did not repair {folders}"
    )
    leftovers = [p.name for p in project.iterdir() if p.name in ("site.building", "site.old")]
    assert leftovers == [], f"{what}: {leftovers} left behind"
    shutil.rmtree(project)
    return f"{what}: archive {state}"


@pytest.mark.slow
def test_a_run_killed_while_saving_or_writing_loses_nothing_and_the_next_run_repairs_docs(tmp_path: Path) -> None:
    """Killed at random moments while saving the archive and while writing docs/, a run
    leaves the archive wholly old or wholly new, and the next run exits 0 and leaves data/
    and docs/ byte-identical to those of an undisturbed run."""
    known = states(tmp_path, 300, 900, build=False)
    # The save takes a few tens of milliseconds: a little past its end too, in case the clock
    # of the output lines runs late. The write stage renders first, then writes: its second half.
    parts = {"save": (0.0, 1.3), "write": (0.5, 1.0)}
    results = [trial(tmp_path, known, stage, parts[stage], build=False) for stage in ("save", "save", "write", "write")]
    assert len(results) == 4, results
    print(*results, sep="\n")


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="an orphaned build is stopped on Linux only (PR_SET_PDEATHSIG)")
def test_a_run_killed_during_the_build_leaves_a_whole_site_and_the_next_run_rebuilds_it(tmp_path: Path) -> None:
    """Killed at random moments during `mkdocs build` (with its process group, or paperfeed
    alone, whose orphaned build must not write on under the next run), a run leaves site/ as
    the old build (or, between the build's two renames, the old build beside it), and the next
    run exits 0 with data/, docs/ and site/ byte-identical to those of an undisturbed run."""
    known = states(tmp_path, 40, 80, build=True)
    results = [trial(tmp_path, known, "build", (0.05, 0.95), build=True) for _ in range(2)]
    results.append(trial(tmp_path, known, "build", (0.0, 0.0), build=True, group=False))
    assert len(results) == 3, results
    print(*results, sep="\n")


# -- A full disk ------------------------------------------------------------------------------


@contextlib.contextmanager
def tiny_disk(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted on `folder`. Without the right to mount one, a skip (a failure
    under CI=true: the CI's container is privileged for this)."""
    folder.mkdir(parents=True)
    mount, umount = shutil.which("mount"), shutil.which("umount")
    require_tool(mount is not None and umount is not None, "mount(8) and umount(8)")
    require_tool(hasattr(os, "geteuid") and os.geteuid() == 0, "root, to mount a tmpfs")
    assert mount is not None and umount is not None
    mounted = subprocess.run(
        [mount, "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    require_tool(mounted.returncode == 0, f"the right to mount a tmpfs ({mounted.stderr.strip()})")
    try:
        yield folder
    finally:
        subprocess.run([umount, "-l", str(folder)], capture_output=True, check=False)


def cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return paperfeed(project, *args, epoch=EPOCH_A)


@pytest.mark.slow
def test_a_full_disk_is_a_one_line_error_and_leaves_the_archive_whole(tmp_path: Path) -> None:
    """With data/ on a nearly full disk, a save fails with one line saying so and the archive
    stays as it was, with no temp file left; with docs/ on a full disk, the archive is saved
    whole, writing the pages fails with one line, and the next run with room repairs docs/."""
    project = tmp_path / "project"
    make_project(project)
    small, big = listing(tmp_path / "small.txt", 0, 5), listing(tmp_path / "big.txt", 0, 400)
    with tiny_disk(tmp_path / "data-disk", "96k") as disk:
        data = disk / "data"
        assert cli(project, "update", "--data", str(data), "--listing", str(small)).returncode == 0
        before = load_archive(data)
        failed = cli(project, "update", "--data", str(data), "--listing", str(big))
        assert failed.returncode == 1, failed.stderr
        [line] = failed.stderr.strip().splitlines()
        assert "cannot save the archive: No space left on device; nothing was changed" in line, line
        assert load_archive(data) == before
        assert [p.name for p in data.rglob("*") if p.name.endswith(".tmp") or "journal" in p.name] == []

    with tiny_disk(tmp_path / "docs-disk", "256k") as disk:
        (project / "mkdocs.yml").write_text(f"INHERIT: base.yml\ndocs_dir: {disk}\n", "utf-8")
        failed = cli(project, "run", "--no-build", "--listing", str(big))
        assert failed.returncode == 1, failed.stderr
        [line] = failed.stderr.strip().splitlines()
        assert "cannot write generated files: No space left on device" in line, line
        assert len(load_archive(project / "data")) == 400  # saved whole before the pages failed
    (project / "mkdocs.yml").write_text("INHERIT: base.yml\n", "utf-8")
    again = cli(project, "run", "--no-build", "--listing", str(big))
    assert again.returncode == 0, again.stderr
    assert len(list((project / "docs" / "papers").glob("*.md"))) == 400
