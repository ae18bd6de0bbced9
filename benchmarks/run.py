"""The benchmark: synthetic archives of growing size through the whole pipeline.

    python -m benchmarks.run                 # 1,000 and 10,000 papers (make bench)
    python -m benchmarks.run --full          # and 100,000 (make bench-full)
    python -m benchmarks.run --sizes 2000 --no-baseline --no-write   # a quick look

For each size, in a fresh temp folder (never the repo's data/ or docs/): generate the
archive, then a night with a fresh listing (load, merge, save, render pages and feeds, write
docs/), `paperfeed`'s build (`mkdocs build --strict` plus post-processing), then a night with
nothing new (which should write no file and skip the build), and the same pages built by a
plain `mkdocs build` with Material's defaults as the baseline. Each stage runs in its own
process; its wall time and peak RSS (from wait4) are recorded with what it produced. The
results go to benchmarks/results.json (merged by size, so `make bench` keeps the last
100,000-paper run) and docs/benchmarks.md (regenerated below its hand-written top).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils import yaml_load

from benchmarks import browser_search
from benchmarks.report import render_page
from paperfeed import paper_search

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.json"
PAGE = ROOT / "docs" / "benchmarks.md"
THEME = ROOT / "generator" / "paperfeed" / "theme"
SITE_URL = "https://example.org/paperfeed/"


@dataclass(frozen=True)
class Measured:
    seconds: float
    cpu_seconds: float  # user + system time: steadier than wall time on a shared machine
    peak_mib: float
    output: dict[str, Any]


def run_stage(command: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None) -> Measured:
    """Run one stage in a child process; its wall time, its peak RSS (with its own children's,
    as wait4 reports them) and the JSON object on the last line of its output."""
    started = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    text = log.read_text("utf-8", errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"benchmark stage failed ({proc.returncode}): {' '.join(command)}\n{text[-3000:]}")
    output: dict[str, Any] = {}
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            output = json.loads(line)
            break
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(round(seconds, 2), round(cpu, 2), round(usage.ru_maxrss / 1024, 1), output)


def _stage(name: str, work: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "benchmarks.stages", name, str(work), *args]


# --- the work folder --------------------------------------------------------------------


def repository_config() -> dict[str, Any]:
    """The repository's mkdocs.yml, its theme folder and hooks made absolute so that a project
    anywhere else can use them."""
    with (ROOT / "mkdocs.yml").open("rb") as handle:
        config: dict[str, Any] = yaml_load(handle)
    theme = config.setdefault("theme", {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((ROOT / theme["custom_dir"]).resolve())
    if config.get("hooks"):
        config["hooks"] = [str((ROOT / hook).resolve()) for hook in config["hooks"]]
    return config


def bench_config(work: Path) -> dict[str, Any]:
    """The repo's mkdocs.yml with its folders pointed into `work` and the synthetic listings."""
    from benchmarks.synth import LISTINGS  # noqa: PLC0415 - keeps `--help` fast

    config = repository_config()
    config["site_url"] = SITE_URL
    config["docs_dir"] = str(work / "docs")
    config["site_dir"] = str(work / "site")
    paperfeed = config.setdefault("extra", {}).setdefault("paperfeed", {})
    paperfeed["listings"] = [
        {"name": name, "title": title, "source": "arxiv-rss", "category": "cs.LG"} for name, title in LISTINGS
    ]
    paperfeed["data_dir"] = "data"
    return config


def baseline_config(config: dict[str, Any], work: Path) -> dict[str, Any]:
    """The same site as MkDocs Material builds it by default: no custom templates or hooks,
    the default search plugin, the same nav and not_in_nav."""
    keep = ("site_name", "site_description", "site_url", "nav", "not_in_nav", "markdown_extensions")
    baseline = {key: config[key] for key in keep if key in config}
    baseline.update(
        docs_dir=str(work / "baseline-docs"),
        site_dir=str(work / "baseline-site"),
        theme={"name": "material"},
        plugins=["search"],
    )
    return baseline


def copy_handwritten_docs(target: Path) -> None:
    """The repo's hand-written pages (the nav needs them); never its generated ones."""
    from paperfeed.render import OWNED_DIRS, OWNED_FILES  # noqa: PLC0415

    owned = set(OWNED_DIRS) | set(OWNED_FILES)
    target.mkdir(parents=True, exist_ok=True)
    for path in (ROOT / "docs").iterdir():
        if path.name in owned or path.name.startswith("."):
            continue
        if path.is_dir():
            shutil.copytree(path, target / path.name)
        else:
            shutil.copy2(path, target / path.name)


_PAPERFEED_ONLY = re.compile(r"^(?:template: .*|search:\n  exclude: true)\n", re.MULTILINE)


def make_baseline_docs(docs: Path, target: Path) -> None:
    """docs/ without paperfeed's per-page template, search exclusion of paper pages and paper
    search index: Material's search indexes the paper pages itself."""
    shutil.copytree(docs, target)
    shutil.rmtree(target / paper_search.FOLDER, ignore_errors=True)
    for path in (target / "papers").glob("*.md"):
        text = path.read_text("utf-8")
        head, sep, body = text.partition("\n---\n")
        path.write_text(_PAPERFEED_ONLY.sub("", head + "\n").rstrip("\n") + sep + body, "utf-8")


# --- measuring a built site -------------------------------------------------------------


def _walk(root: Path) -> list[tuple[str, int]]:
    from paperfeed.sitecheck import site_files  # noqa: PLC0415 - keeps `--help` fast

    return site_files(root)


def page_kind(path: str) -> str | None:
    """Which kind of page an HTML file of the site is, or None for other files."""
    if not path.endswith(".html"):
        return None
    first = path.split("/", 1)[0]
    kinds = {"papers": "paper", "days": "day", "listings": "listing", "tags": "tag", "archive": "archive"}
    if path == "index.html":
        return "home"
    if first in ("listings", "tags") and path.count("/") == 1:
        return f"{kinds[first]} index"
    return kinds.get(first, "other")


def measure_site(site: Path, papers: int) -> dict[str, Any]:
    files = _walk(site)
    total = sum(size for _, size in files)
    largest: dict[str, tuple[int, str]] = {}
    by_kind: dict[str, int] = {}
    feeds = 0
    for path, size in files:
        kind = page_kind(path)
        if kind:
            by_kind[kind] = by_kind.get(kind, 0) + size
            if size > largest.get(kind, (-1, ""))[0]:
                largest[kind] = (size, path)
        elif path.startswith("feeds/") or path.startswith("feed.") or path == "feeds.opml":
            feeds += size
    search = site / "search" / "search_index.json"  # Material's: every page loads it
    search_bytes = search.stat().st_size if search.exists() else 0
    search_gzip = len(gzip.compress(search.read_bytes(), 6)) if search.exists() else 0
    biggest = max(largest.items(), key=lambda item: item[1][0]) if largest else ("", (0, ""))
    return {
        "bytes": total,
        "bytes_per_paper": round(total / papers),
        "files": len(files),
        "search_index_bytes": search_bytes,
        "search_index_gzip_bytes": search_gzip,
        "feed_bytes": feeds,
        "bytes_by_kind": dict(sorted(by_kind.items())),
        "largest_by_kind": {kind: {"bytes": size, "path": path} for kind, (size, path) in sorted(largest.items())},
        "largest_page": {"bytes": biggest[1][0], "path": biggest[1][1]},
        "paper_search": measure_paper_search(site),
    }


def measure_paper_search(site: Path) -> dict[str, Any]:
    """The paper search index (paper_search.py): its files, and the most a search downloads.

    A search fetches the manifest, one terms file per word (at most 8 words), and the docs
    files holding its results (at most `results` of them). The worst case for a query of
    up to three words is the manifest, the three largest terms files and `results` of the
    largest docs files; each common word's real cost is also measured: its terms file and the
    docs files of the newest `results` papers with it (a one-word search shows those first)."""
    folder = site / paper_search.FOLDER
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        return {}
    manifest = json.loads(manifest_path.read_text("utf-8"))
    terms = sorted(((path.stat().st_size, path) for path in (folder / "terms").glob("*.json")), reverse=True)
    docs = sorted(((path.stat().st_size, path) for path in (folder / "docs").glob("*.json")), reverse=True)
    manifest_bytes = manifest_path.stat().st_size
    worst = manifest_bytes + sum(size for size, _ in terms[:3]) + sum(size for size, _ in docs[: manifest["results"]])
    common = []
    for size, path in terms[:8]:  # the words of the largest terms files are the most common ones
        by_word = {w: gaps for w, gaps in json.loads(path.read_text("utf-8")).get("t", {}).items() if w.isalpha()}
        if not by_word:  # only arXiv ids: not what a reader types
            continue
        word, gaps = max(by_word.items(), key=lambda item: len(item[1]))
        ordinals = list(itertools.accumulate(gaps))[-manifest["results"] :]
        blocks = {ordinal // manifest["block"] for ordinal in ordinals}
        fetched = manifest_bytes + size + sum((folder / "docs" / f"{block}.json").stat().st_size for block in blocks)
        common.append({"word": word, "papers": len(gaps), "bytes": fetched})
    return {
        "files": 1 + len(terms) + len(docs),
        "bytes": manifest_bytes + sum(size for size, _ in terms) + sum(size for size, _ in docs),
        "manifest_bytes": manifest_bytes,
        "largest_terms_file": {"bytes": terms[0][0], "path": terms[0][1].name} if terms else {},
        "largest_docs_file": docs[0][0] if docs else 0,
        "worst_search_bytes": worst,
        "common_words": common,
    }


def search_queries(site: Path) -> list[str]:
    """A paper page to search from, then queries a reader might type: the most common title
    word, two common words, the oldest paper's last author's surname and its arXiv id."""
    folder = site / paper_search.FOLDER
    try:
        paper_id, _, _, authors = json.loads((folder / "docs" / "0.json").read_text("utf-8"))[0]
    except (OSError, IndexError, ValueError):
        return []
    common = sorted(measure_paper_search(site)["common_words"], key=lambda word: -word["papers"])
    surname = (paper_search.words(authors) or ["x"])[-1]
    if len(common) < 2:
        return []
    return [f"papers/{paper_id}/", common[0]["word"], f"{common[0]['word']} {common[1]['word']}", surname, paper_id]


def _searches(found: list[dict[str, Any]]) -> str:
    return "; ".join(f"{s['query']!r} {s['seconds_to_results']} s, {s['bytes'] / 1e3:,.0f} KB" for s in found)


# --- one size ---------------------------------------------------------------------------


def bench_size(papers: int, *, baseline: bool, keep: bool, seed: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix=f"paperfeed-bench-{papers}-"))
    logs = work / "logs"
    logs.mkdir()
    say = lambda text: print(f"[{papers:>7,} papers] {text}", flush=True)  # noqa: E731
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    }
    try:
        config = bench_config(work)
        (work / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
        copy_handwritten_docs(work / "docs")
        result: dict[str, Any] = {"papers": papers, "seed": seed, "load_before": os.getloadavg()[0]}

        generated = run_stage(_stage("generate", work, str(papers), str(seed)), ROOT, logs / "generate.log", env)
        say(f"generated in {generated.seconds} s")
        night = run_stage(_stage("nightly", work), ROOT, logs / "nightly.log", env)
        files = night.output.get("docs_files")
        cost = f"{night.seconds} s ({night.cpu_seconds} s CPU), {night.peak_mib} MiB"
        say(f"nightly paperfeed stages: {cost}, {files} files")
        built = run_stage(_stage("build", work, "--force"), ROOT, logs / "build.log", env)
        say(f"build: {built.seconds} s ({built.cpu_seconds} s CPU), {built.peak_mib} MiB")
        site = measure_site(work / "site", night.output["papers"])
        search_mb = site["search_index_bytes"] / 1e6
        say(f"site: {site['bytes'] / 1e6:.1f} MB, {site['files']} files, search {search_mb:.2f} MB")
        quiet = run_stage(_stage("nightly", work), ROOT, logs / "quiet-nightly.log", env)
        rebuilt = run_stage(_stage("build", work), ROOT, logs / "quiet-build.log", env)
        say(f"quiet night: {quiet.output.get('docs_written')} files written, build {rebuilt.seconds} s")
        result.update(
            papers=night.output["papers"],
            generate={
                "seconds": generated.seconds,
                "cpu_seconds": generated.cpu_seconds,
                "peak_mib": generated.peak_mib,
            },
            nightly={
                "seconds": night.seconds,
                "cpu_seconds": night.cpu_seconds,
                "peak_mib": night.peak_mib,
                **night.output,
            },
            build={
                "seconds": built.seconds,
                "cpu_seconds": built.cpu_seconds,
                "peak_mib": built.peak_mib,
                **built.output,
            },
            site=site,
            quiet_night={
                "nightly_seconds": quiet.seconds,
                "docs_written": quiet.output.get("docs_written"),
                "archive_files_saved": quiet.output.get("archive_files_saved"),
                "build_seconds": rebuilt.seconds,
                "build": rebuilt.output.get("build", {}),
            },
        )
        queries = search_queries(work / "site")
        if queries and browser_search.available():
            result["browser_search"] = browser_search.measure(work / "site", queries[1:], page=queries[0])
            say("search in Chromium: " + _searches(result["browser_search"]))
        if baseline:
            make_baseline_docs(work / "docs", work / "baseline-docs")
            (work / "baseline.yml").write_text(yaml.safe_dump(baseline_config(config, work), sort_keys=False), "utf-8")
            command = [sys.executable, "-m", "mkdocs", "build", "--config-file", str(work / "baseline.yml")]
            base = run_stage(command, work, logs / "baseline.log", env)
            base_site = measure_site(work / "baseline-site", night.output["papers"])
            say(f"baseline: {base.seconds} s, {base.peak_mib} MiB, {base_site['bytes'] / 1e6:.1f} MB")
            result["baseline"] = {
                "build_seconds": base.seconds,
                "build_cpu_seconds": base.cpu_seconds,
                "peak_mib": base.peak_mib,
                "site": base_site,
            }
            if "browser_search" in result:
                searched = browser_search.measure(work / "baseline-site", queries[1:], page=queries[0])
                result["baseline"]["browser_search"] = searched
                say("baseline search in Chromium: " + _searches(searched))
            shutil.rmtree(work / "baseline-site", ignore_errors=True)
            shutil.rmtree(work / "baseline-docs", ignore_errors=True)
        result["load_after"] = os.getloadavg()[0]
        return result
    finally:
        if keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


# --- machine, results and the page ------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kib = int(
            next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1]
        )
    except (OSError, StopIteration, ValueError):
        mem_kib = 0

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "-"

    return {
        "cpu": cpu or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "mkdocs": version("mkdocs"),
        "material": version("mkdocs-material"),
        "platform": platform.platform(),
    }


def _git_head() -> str:
    try:
        command = ["git", "rev-parse", "--short", "HEAD"]
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    except OSError:
        return ""
    return out.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="also 100,000 papers (several minutes)")
    parser.add_argument("--sizes", type=int, nargs="+", help="archive sizes to run instead of 1,000 and 10,000")
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain-Material baseline builds")
    parser.add_argument(
        "--baseline-full", action="store_true", help="also build the baseline above 10,000 papers (slow, GBs of RAM)"
    )
    parser.add_argument("--no-write", action="store_true", help="print the results; leave results.json and the page")
    parser.add_argument("--keep", action="store_true", help="keep the temp folders (their paths are printed)")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args(argv)
    sizes = args.sizes or ([1_000, 10_000, 100_000] if args.full else [1_000, 10_000])

    runs = {}
    for size in sizes:
        baseline = not args.no_baseline and (size <= 10_000 or args.baseline_full)
        runs[str(size)] = bench_size(size, baseline=baseline, keep=args.keep, seed=args.seed)
        runs[str(size)]["when"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        runs[str(size)]["commit"] = _git_head()
        runs[str(size)]["machine"] = machine()
    if args.no_write:
        print(json.dumps(runs, indent=2))
        return 0

    def add_runs(stored: dict[str, Any]) -> None:
        for size, run in runs.items():
            # A run without the baseline keeps the last one measured for its size (built from
            # the same generated pages; its date says when).
            old = stored.get("runs", {}).get(size, {})
            if "baseline" not in run and "baseline" in old:
                run["baseline"] = {"when": old.get("when", ""), **old["baseline"]}
        stored.setdefault("runs", {}).update(runs)
        stored["runs"] = dict(sorted(stored["runs"].items(), key=lambda item: int(item[0])))

    store_results(add_runs)
    return 0


def store_results(update: Callable[[dict[str, Any]], None]) -> None:
    """Apply `update` to the stored results (benchmarks/results.json) and rewrite them and the
    page written from them (docs/benchmarks.md); each benchmark keeps the others' results."""
    stored = json.loads(RESULTS.read_text("utf-8")) if RESULTS.exists() else {}
    update(stored)
    RESULTS.write_text(json.dumps(stored, indent=2, sort_keys=False) + "\n", "utf-8")
    PAGE.write_text(render_page(stored, PAGE.read_text("utf-8") if PAGE.exists() else ""), "utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)} and {PAGE.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
