"""A simulated year of nights: what a fork's git history and nightly cost after 365 of them.

    python -m benchmarks.year                      # 365 nights (make bench-year)
    python -m benchmarks.year --nights 40 --at 10 40 --no-write   # a quick look

In a temporary git repository holding a copy of the project's settings and hand-written pages,
each night runs the nightly workflow's data steps through the real CLI, `paperfeed update`
then `paperfeed commit-data`, with the night's clock, against a local server on 127.0.0.1
that serves that day's Hugging Face daily list and arXiv cs.LG RSS listing (benchmarks/world.py,
which says what they hold). At the checkpoint nights it also runs `git gc`, renders and builds
the site (`paperfeed render`, `paperfeed build`) and measures: papers, data/ bytes (raw and
gzipped file by file, as git stores each file's versions), the packed history, the night's
update + commit time, the render and build times, and the site's bytes and files.

The results go to benchmarks/results.json under "year" and to their own section of
docs/benchmarks.md; `make bench` keeps them (and this keeps its results).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml

from benchmarks.run import ROOT, _git_head, _walk, copy_handwritten_docs, machine, repository_config, store_results
from benchmarks.world import World

FIRST_DAY = date(2027, 1, 1)
NIGHT_TIME = (5, 17)  # the nightly workflow's cron, UTC
CHECKPOINTS = (30, 90, 180, 365)
LISTINGS = [
    {"name": "hf-daily", "title": "Hugging Face Daily Papers", "source": "hf-daily", "date": "yesterday"},
    {"name": "arxiv-cs-lg", "title": "arXiv cs.LG", "source": "arxiv-rss", "category": "cs.LG"},
]
# The targets the year is held to.
HISTORY_RATIO = 1.5  # packed history at most this times the gzip size of the final data/
NIGHT_SECONDS = 15.0  # update + commit on the last night


# -- the local server -------------------------------------------------------------------------


@contextmanager
def serving(world: World) -> Iterator[tuple[str, dict[str, date]]]:
    """Serve `world` on 127.0.0.1: /api/daily_papers?date=D and /rss/cs.LG (the day in
    `today["day"]`), with ETag and Last-Modified, answering conditional requests with 304."""
    today: dict[str, date] = {}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            with lock:  # the world generates days on demand; one request at a time
                if parts.path == "/api/daily_papers":
                    day = date.fromisoformat(parse_qs(parts.query).get("date", [""])[0])
                    body, kind = world.hf_payload(day), "application/json; charset=utf-8"
                elif parts.path == "/rss/cs.LG":
                    day = today["day"]
                    body, kind = world.rss_payload(day), "application/rss+xml; charset=utf-8"
                else:
                    self.send_error(404)
                    return
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            modified = f"{day:%a, %d %b %Y} 04:00:00 GMT"
            fresh = self.headers.get("If-None-Match") == etag
            self.send_response(304 if fresh else 200)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", "0" if fresh else str(len(body)))
            self.end_headers()
            if not fresh:
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", today
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# -- the project under test -------------------------------------------------------------------


def year_config(base_url: str) -> dict[str, Any]:
    """The repository's mkdocs.yml with the two listings, read from the local server."""
    config = repository_config()
    config["site_url"] = "https://example.org/papers/"
    paperfeed = config.setdefault("extra", {}).setdefault("paperfeed", {})
    paperfeed["listings"] = LISTINGS
    paperfeed["sources"] = {"hf": base_url, "arxiv_rss": base_url}
    return config


def _git(project: Path, *args: str, env: dict[str, str] | None = None) -> str:
    command = ["git", "-C", str(project), *args]
    return subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout


def make_project(work: Path, base_url: str) -> Path:
    """A git repository as a fork starts: settings and hand-written pages, no data/ yet."""
    project = work / "project"
    copy_handwritten_docs(project / "docs")
    config = yaml.safe_dump(year_config(base_url), allow_unicode=True, sort_keys=False)
    (project / "mkdocs.yml").write_text(config, "utf-8")
    shutil.copy(ROOT / ".gitignore", project / ".gitignore")
    _git(work, "init", "--quiet", "--initial-branch=main", str(project))
    _git(project, "config", "user.name", "github-actions[bot]")
    _git(project, "config", "user.email", "41898209+github-actions[bot]@users.noreply.github.com")
    _git(project, "add", "--all")
    _git(project, "commit", "--quiet", "-m", "start", env=_env(_night_clock(0)))
    return project


def _night_clock(night: int) -> datetime:
    """The clock of night `night` (1 = the first), when the nightly runs."""
    return datetime.combine(FIRST_DAY + timedelta(days=night - 1), datetime.min.time(), UTC).replace(
        hour=NIGHT_TIME[0], minute=NIGHT_TIME[1]
    )


def _env(now: datetime) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PAPERFEED_", "GIT_"))}
    stamp = now.strftime("%Y-%m-%dT%H:%M:%S+0000")
    env.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
    return env


def paperfeed(project: Path, now: datetime, *args: str) -> tuple[float, float, str]:
    """Run one paperfeed command as the workflow does; its wall and CPU seconds (its own and
    its children's, git included) and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "paperfeed", *args],
        cwd=project,
        env=_env(now),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if result.returncode != 0:
        raise SystemExit(f"paperfeed {' '.join(args)} failed on {now:%Y-%m-%d}:\n{result.stdout}{result.stderr}")
    return seconds, cpu, result.stdout


# -- measuring ------------------------------------------------------------------------------


def data_sizes(data: Path) -> tuple[int, int, int]:
    """Papers, bytes of data/, and bytes of each file of data/ gzipped on its own (level 6,
    zlib's default, which git uses for its objects)."""
    papers = size = packed = 0
    for path in sorted(data.rglob("*")):
        if path.is_file():
            content = path.read_bytes()
            size += len(content)
            packed += len(gzip.compress(content, 6, mtime=0))
            if path.suffix == ".jsonl":
                papers += content.count(b"\n")
    return papers, size, packed


def history_bytes(project: Path) -> tuple[int, float]:
    """`git gc`, then the bytes of the packed objects (every commit since the start); and the
    seconds gc took."""
    started = time.perf_counter()
    _git(project, "gc", "--quiet")
    seconds = time.perf_counter() - started
    objects = project / ".git" / "objects"
    packs = sum(p.stat().st_size for p in (objects / "pack").glob("*.pack"))
    loose = sum(p.stat().st_size for p in objects.glob("[0-9a-f][0-9a-f]/*"))
    return packs + loose, seconds


@dataclass
class Night:
    number: int
    day: date
    papers: int
    new: int
    update_seconds: float
    commit_seconds: float
    cpu_seconds: float  # of both, with their child processes
    committed: bool

    @property
    def seconds(self) -> float:
        return self.update_seconds + self.commit_seconds


_ARCHIVE_LINE = re.compile(r"^archive: (?P<papers>\d+) papers, (?P<new>\d+) new", re.MULTILINE)


def run_night(project: Path, number: int) -> Night:
    now = _night_clock(number)
    update_seconds, update_cpu, update_out = paperfeed(project, now, "update", "--now", now.isoformat())
    commit_seconds, commit_cpu, commit_out = paperfeed(project, now, "commit-data")
    found = _ARCHIVE_LINE.search(update_out)
    if not found:
        raise SystemExit(f"night {number}: no archive line in the update's output:\n{update_out}")
    return Night(
        number,
        now.date(),
        int(found["papers"]),
        int(found["new"]),
        round(update_seconds, 2),
        round(commit_seconds, 2),
        round(update_cpu + commit_cpu, 2),
        commit_out.startswith("committed "),
    )


def checkpoint(project: Path, night: Night) -> dict[str, Any]:
    papers, data_bytes, data_gzip = data_sizes(project / "data")
    history, gc_seconds = history_bytes(project)
    render_seconds, _, _ = paperfeed(project, _night_clock(night.number), "render")
    build_seconds, _, _ = paperfeed(project, _night_clock(night.number), "build")
    files = _walk(project / "site")
    return {
        "night": night.number,
        "day": night.day.isoformat(),
        "papers": papers,
        "data_bytes": data_bytes,
        "data_gzip_bytes": data_gzip,
        "history_bytes": history,
        "history_ratio": round(history / data_gzip, 3),
        "commits": int(_git(project, "rev-list", "--count", "HEAD")),
        "gc_seconds": round(gc_seconds, 2),
        "night_seconds": round(night.seconds, 2),
        "update_seconds": night.update_seconds,
        "commit_seconds": night.commit_seconds,
        "night_cpu_seconds": night.cpu_seconds,
        "render_seconds": round(render_seconds, 2),
        "build_seconds": round(build_seconds, 2),
        "site_bytes": sum(size for _, size in files),
        "site_files": len(files),
    }


# -- the year ---------------------------------------------------------------------------------


class Progress:
    """A night counter on a terminal (one line, redrawn); nothing per night otherwise."""

    def __init__(self, nights: int) -> None:
        self.nights = nights
        self.live = sys.stdout.isatty()

    def night(self, night: Night) -> None:
        if self.live:
            print(
                f"\rnight {night.number:>3}/{self.nights} {night.day}: {night.papers:>6,} papers, "
                f"+{night.new:<4} {night.seconds:5.1f} s",
                end="",
                flush=True,
            )

    def say(self, text: str) -> None:
        print(("\r\033[K" if self.live else "") + text, flush=True)


def run_year(nights: int, checkpoints: tuple[int, ...], seed: int, keep: bool) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="paperfeed-year-"))
    progress = Progress(nights)
    world = World(seed, FIRST_DAY)
    log: list[Night] = []
    points: list[dict[str, Any]] = []
    load_before = os.getloadavg()[0]
    try:
        with serving(world) as (base_url, today):
            project = make_project(work, base_url)
            for number in range(1, nights + 1):
                today["day"] = _night_clock(number).date()
                night = run_night(project, number)
                log.append(night)
                progress.night(night)
                if number in checkpoints:
                    point = checkpoint(project, night)
                    points.append(point)
                    progress.say(
                        f"night {number}: {point['papers']:,} papers, history {point['history_ratio']:.2f}× "
                        f"data/ gzipped, night {point['night_seconds']:.1f} s, "
                        f"build {point['render_seconds'] + point['build_seconds']:.0f} s"
                    )
        result = summarise(log, points, seed)
        result["load_before"], result["load_after"] = load_before, os.getloadavg()[0]
        return result
    finally:
        if keep:
            progress.say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def summarise(log: list[Night], points: list[dict[str, Any]], seed: int) -> dict[str, Any]:
    times = [night.seconds for night in log]
    quiet = [night for night in log if night.new == 0]
    slowest = max(log, key=lambda night: night.seconds)
    last = points[-1] if points else {}
    return {
        "seed": seed,
        "nights": len(log),
        "first_day": FIRST_DAY.isoformat(),
        "listings": [listing["name"] for listing in LISTINGS],
        "checkpoints": points,
        "all_nights": {
            "median_seconds": round(statistics.median(times), 2),
            "median_cpu_seconds": round(statistics.median(night.cpu_seconds for night in log), 2),
            "p90_seconds": round(statistics.quantiles(times, n=10)[-1], 2) if len(times) > 1 else times[0],
            "slowest": {
                "night": slowest.number,
                "seconds": round(slowest.seconds, 2),
                "cpu_seconds": slowest.cpu_seconds,
            },
            "commits": sum(night.committed for night in log),
            "nights_without_new_papers": len(quiet),
            "of_which_committed": sum(night.committed for night in quiet),
            "new_papers_median": statistics.median(night.new for night in log),
        },
        "targets": {
            "history_ratio": {"limit": HISTORY_RATIO, "measured": last.get("history_ratio")},
            "last_night_seconds": {"limit": NIGHT_SECONDS, "measured": last.get("night_seconds")},
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.year", description=__doc__.split("\n\n")[0])
    parser.add_argument("--nights", type=int, default=365)
    parser.add_argument("--at", type=int, nargs="+", help="checkpoint nights (default: 30 90 180 365)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-write", action="store_true", help="print the results; leave results.json and the page")
    parser.add_argument("--keep", action="store_true", help="keep the temporary repository (its path is printed)")
    args = parser.parse_args(argv)
    checkpoints = tuple(sorted(set(args.at or [n for n in CHECKPOINTS if n <= args.nights] or [args.nights])))

    result = run_year(args.nights, checkpoints, args.seed, args.keep)
    result.update(when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), commit=_git_head(), machine=machine())
    if args.no_write:
        print(json.dumps(result, indent=2))
        return 0
    store_results(lambda stored: stored.update(year=result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
