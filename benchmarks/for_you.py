"""The For-you benchmarks: ranking quality on labelled real abstracts, and a night's model work
on a large synthetic archive.

    python -m benchmarks.for_you                    # both, at 100,000 papers (part of make bench)
    python -m benchmarks.for_you --papers 20000     # a quicker look at scale
    python -m benchmarks.for_you --no-write         # print the results; leave the files alone

Scale, in a fresh temp folder: an archive of PAPERS papers plus a night's NEW papers, with a
likes file of LIKES older papers. Each night runs in its own process, which loads the archive
as the pipeline does and then does the model work; its wall time, CPU time and peak RSS (wait4)
are recorded. The nights: a cold one (empty feature cache), warm ones (the cache holds every
paper but the new ones, as after earlier nights; run twice, as the machine may be shared) and
a quiet one (no new paper). The results go to benchmarks/results-for-you.json and to their own
section of docs/benchmarks.md, which the other benchmarks leave alone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.report import with_section
from benchmarks.run import Measured, machine, run_stage

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results-for-you.json"
PAGE = ROOT / "docs" / "benchmarks.md"
SECTION = "for-you"
COMMAND = "python -m benchmarks.for_you"
TARGET_SECONDS = 60
TARGET_MIB = 1.5 * 1024**3 / 1024**2  # 1.5 GB in MiB
TARGET_PRECISION = 0.7
WIDTH = 95  # as the hand-written part of the page is wrapped


def _night(work: Path, cache: Path, log: Path, env: dict[str, str], *extra: str) -> Measured:
    command = [sys.executable, "-m", "benchmarks.for_you_night", "night", str(work), str(cache), *extra]
    return run_stage(command, ROOT, log, env)


def _as_dict(measured: Measured) -> dict[str, Any]:
    return {
        "process_seconds": measured.seconds,
        "process_cpu_seconds": measured.cpu_seconds,
        "peak_mib": measured.peak_mib,
        **measured.output,
    }


def bench_scale(papers: int, new: int, likes: int, warm_runs: int, say: Any) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="paperfeed-for-you-"))
    logs = work / "logs"
    logs.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    step = [sys.executable, "-m", "benchmarks.for_you_night"]
    try:
        made = run_stage([*step, "generate", str(work), str(papers), str(new), str(likes)], ROOT, logs / "gen.log", env)
        say(f"generated {made.output['papers']:,} papers in {made.seconds} s")
        filled = work / "filled-cache"
        run_stage([*step, "fill-cache", str(work), str(filled)], ROOT, logs / "fill.log", env)
        cold = _night(work, work / "cold-cache", logs / "cold.log", env)
        say(f"cold night: model work {cold.output['model_seconds']} s, peak {cold.peak_mib} MiB")
        warm = []
        for number in range(warm_runs):
            cache = work / f"warm-cache-{number}"
            shutil.copytree(filled, cache)
            warm.append(_night(work, cache, logs / f"warm-{number}.log", env))
            say(f"warm night: model work {warm[-1].output['model_seconds']} s, peak {warm[-1].peak_mib} MiB")
        quiet = _night(work, work / "quiet-cache", logs / "quiet.log", env, "--quiet")
        quiet_output = {**_as_dict(quiet), "cache_created": (work / "quiet-cache").exists()}
        say(f"quiet night: model work {quiet.output['model_seconds']} s")
        return {
            "papers": made.output["papers"] - new,
            "new": new,
            "likes": likes,
            "cold": _as_dict(cold),
            "warm": [_as_dict(run) for run in warm],
            "quiet": quiet_output,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --- the section of docs/benchmarks.md ----------------------------------------------------


def _wrap(text: str) -> str:
    return textwrap.fill(text, WIDTH, break_long_words=False, break_on_hyphens=False)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return [*lines, *("| " + " | ".join(row) + " |" for row in rows), ""]


def _quality_lines(quality: dict[str, Any]) -> list[str]:
    rows = [
        [
            topic,
            str(found["papers"]),
            f"**{found['precision']:.2f}**",
            f"{found['worst_draw']:.1f} – {found['best_draw']:.1f}",
            f"{found['random']:.2f}",
            f"{quality['similar'][topic]['on_topic']:.2f}",
            f"{quality['similar'][topic]['random']:.2f}",
        ]
        for topic, found in quality["per_topic"].items()
    ]
    rows.append(
        [
            "**mean**",
            "",
            f"**{quality['precision']:.2f}**",
            "",
            f"{quality['random']:.2f}",
            f"{quality['similar_on_topic']:.2f}",
            f"{quality['similar_random']:.2f}",
        ]
    )
    header = [
        "liked topic", "papers", "precision@10", "draws from – to", "random",
        "similar papers on topic", "random",
    ]  # fmt: skip
    met = "met" if quality["precision"] >= TARGET_PRECISION else "**not met**"
    about = (
        f"{quality['papers']} real abstracts (`benchmarks/data/`; its README says where they come from and "
        f"how they were labelled): {quality['papers'] - quality['other']} on {quality['topics']} hand-labelled "
        f"topics and {quality['other']} on none of them. For each topic with at least "
        f"{quality['liked'] + quality['top']} papers, and {quality['draws']} seeded draws of {quality['liked']} of "
        f"its papers: a likes file names the {quality['liked']} by title, every other paper arrives as new, and "
        f"precision@{quality['top']} is the share of the {quality['top']} best-scored papers on the liked topic. "
        "Random is the topic's share of the papers ranked. Similar papers: the share of each paper's 5 similar "
        f"papers on its own topic. Target precision@10 ≥ {TARGET_PRECISION}: {met}."
    )
    return ["### Ranking quality", "", _wrap(about), "", *_table(header, rows)]


def _night_row(label: str, night: dict[str, Any]) -> list[str]:
    steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in night.get("steps", {}).items()) or "none"
    return [
        label,
        f"{night['model_seconds']:.1f} s ({night['model_cpu_seconds']:.1f} s CPU)",
        steps,
        f"{night['computed']:,} / {night['from_cache']:,}",
        f"{night['peak_mib']:,.0f} MiB",
        f"{night['load_archive']['peak_mib']:,.0f} MiB",
    ]


def _scale_lines(scale: dict[str, Any]) -> list[str]:
    warm = scale["warm"]
    slowest = max(night["model_seconds"] for night in warm)
    highest = max(night["peak_mib"] for night in warm)
    quiet = scale["quiet"]
    checks = [
        (f"a night's model work under {TARGET_SECONDS} s", slowest < TARGET_SECONDS, f"{slowest:.1f} s (slowest run)"),
        ("... in under 1.5 GB (peak RSS, archive included)", highest < TARGET_MIB, f"{highest:,.0f} MiB"),
        (
            "a night with no new paper does no model work",
            quiet["computed"] + quiet["from_cache"] == 0 and not quiet["steps"] and not quiet["cache_created"],
            f"{quiet['model_seconds'] * 1000:.1f} ms; no feature read or computed, cache untouched",
        ),
    ]
    rows = [_night_row("cold: empty feature cache", scale["cold"])]
    rows += [_night_row(f"warm, run {number}", night) for number, night in enumerate(warm, 1)]
    rows.append(_night_row("quiet: no new paper", quiet))
    header = [
        "night", "model work", "its steps", "feature rows computed / from cache", "peak RSS",
        "peak RSS after loading the archive",
    ]  # fmt: skip
    about = (
        f"A synthetic archive of {scale['papers']:,} papers (`benchmarks/synth.py`), a night that adds "
        f"{scale['new']}, and a likes file of {scale['likes']} older papers. Each night is its own process: it "
        "loads the archive as the pipeline does, then reads the likes and does all the model work (feature rows "
        "of the new papers, TF-IDF over the archive, the classifier's fit, scores and their terms, similar "
        "papers). Model work is timed from reading the likes to the result; peak RSS is the whole process' "
        "(from `wait4`), the loaded archive included. Warm nights find the earlier papers' feature rows in the "
        "cache, as every night but the first does."
    )
    return [
        f"### A night's model work at {scale['papers']:,} papers",
        "",
        _wrap(about),
        "",
        *_table(["target", "met", "measured"], [[n, "yes" if ok else "**no**", v] for n, ok, v in checks]),
        *_table(header, rows),
    ]


def render_section(results: dict[str, Any]) -> str:
    lines = [
        "## For you",
        "",
        f"Measured by `{COMMAND}` (part of `make bench`; `make bench-for-you` runs it alone).",
        "",
    ]
    if "quality" in results:
        lines += _quality_lines(results["quality"])
    if "scale" in results:
        lines += _scale_lines(results["scale"])
    m = results.get("machine", {})
    run = (
        f"Run {results.get('when', '')} at commit {results.get('commit', '')} on {m.get('cpu', '')}, "
        f"{m.get('cores', '')} cores, {m.get('ram_gib', '')} GiB; load {results.get('load_before', 0):.2f} before, "
        f"{results.get('load_after', 0):.2f} after (the machine may be shared: compare CPU times). "
        "Raw numbers: `benchmarks/results-for-you.json`."
    )
    lines.append(_wrap(run))
    return "\n".join(lines)


def _git_head() -> str:
    command = ["git", "describe", "--always", "--dirty"]  # "-dirty": measured with uncommitted changes
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    return out.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=100_000, help="archive size before the night")
    parser.add_argument("--new", type=int, default=200, help="papers the night adds")
    parser.add_argument("--likes", type=int, default=50, help="liked papers")
    parser.add_argument("--warm-runs", type=int, default=2, help="warm nights to run (the machine may be shared)")
    parser.add_argument("--draws", type=int, default=20, help="draws of the liked papers per topic")
    parser.add_argument("--skip-scale", action="store_true", help="only the ranking quality")
    parser.add_argument("--skip-quality", action="store_true", help="only the scale nights")
    parser.add_argument("--no-write", action="store_true", help="print the results; leave the files alone")
    args = parser.parse_args(argv)

    from benchmarks.ranking_quality import measure  # noqa: PLC0415 - keeps --help fast

    say = lambda text: print(f"[for you] {text}", flush=True)  # noqa: E731
    stored: dict[str, Any] = json.loads(RESULTS.read_text("utf-8")) if RESULTS.exists() else {}
    results: dict[str, Any] = {"load_before": os.getloadavg()[0]}
    if not args.skip_quality:
        started = time.perf_counter()
        results["quality"] = measure(args.draws)
        quality = results["quality"]
        seconds = time.perf_counter() - started
        say(f"precision@10 {quality['precision']} (random {quality['random']}) in {seconds:.0f} s")
    if not args.skip_scale:
        results["scale"] = bench_scale(args.papers, args.new, args.likes, args.warm_runs, say)
    results.update(
        load_after=os.getloadavg()[0],
        when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        commit=_git_head(),
        machine=machine(),
    )
    if args.no_write:
        print(json.dumps(results, indent=2))
        return 0
    merged = {**{k: v for k, v in stored.items() if k in ("quality", "scale")}, **results}
    RESULTS.write_text(json.dumps(merged, indent=2) + "\n", "utf-8")
    page = PAGE.read_text("utf-8") if PAGE.exists() else "# Benchmarks\n"
    PAGE.write_text(with_section(page, SECTION, COMMAND, render_section(merged)), "utf-8")
    say(f"wrote {RESULTS.relative_to(ROOT)} and its section of {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
