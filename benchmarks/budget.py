"""The size budget at work: a synthetic archive built under a small budget, then checked.

    python -m benchmarks.budget                    # 20,000 papers under 120 MB (make bench-budget)
    python -m benchmarks.budget --papers 3000 --budget-mb 30 --no-write --keep

In a temp folder (never the repo's data/ or docs/): generate the archive (benchmarks.synth),
then run the nightly's own commands, `paperfeed render`, `build` and `check`, with
extra.paperfeed.site_budget_mb set. Then check what the budget promises: the built site is
within the budget, every paper of the archive has its page, the newest papers' pages are full
and only the oldest are compact; and that `paperfeed check` stops an over-budget site with a
one-line message. It also measures the size model's constants on the built site (the ones
generator/paperfeed/budget.py holds) and how far the render's estimate was from the built
size. Results go to benchmarks/results.json ("budget") and docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from statistics import mean
from typing import Any

import yaml

from benchmarks.run import ROOT, _git_head, _stage, bench_config, copy_handwritten_docs, machine, store_results
from benchmarks.run import run_stage as run_measured

_ESTIMATE = re.compile(r"site budget: about ([\d,.]+) MB")
_CARD = re.compile(r'<section class="pf-card">.*?</section>\n?', re.DOTALL)
_ENTRY = re.compile(rb"<url><loc>([^<]*)</loc>")


def _paperfeed(command: str, work: Path, log: Path, env: dict[str, str]) -> Any:
    return run_measured(
        [sys.executable, "-m", "paperfeed", command, "--config", str(work / "mkdocs.yml")], ROOT, log, env
    )


def _site_file(site: Path, md_path: str) -> Path:
    from paperfeed.links import page_url  # noqa: PLC0415 - imported after PYTHONPATH is set

    return site / page_url(md_path) / "index.html" if page_url(md_path) else site / "index.html"


def _front(text: str) -> str:
    return text.split("\n---\n", 1)[0]


def calibrate(work: Path) -> dict[str, Any]:
    """The constants of budget.py, measured on a built site as the model defines them."""
    from paperfeed import budget  # noqa: PLC0415
    from paperfeed.archive import load_archive  # noqa: PLC0415
    from paperfeed.config import load_settings  # noqa: PLC0415
    from paperfeed.sitecheck import site_bytes  # noqa: PLC0415

    settings = load_settings(work / "mkdocs.yml")
    archive = load_archive(settings.data_dir)
    docs, site = settings.docs_dir, settings.site_dir
    named = 4 * len(settings.site_name)
    frames: dict[str, list[int]] = {"paper": [], "compact": [], "index": [], "day head": []}
    generated = 0
    for path in sorted(docs.rglob("*")):
        relative = path.relative_to(docs).as_posix()
        if not path.is_file() or not _generated(relative):
            continue
        size = path.stat().st_size
        if not relative.endswith(".md"):
            generated += size
            continue
        built = _site_file(site, relative).stat().st_size
        generated += built
        text = path.read_text("utf-8")
        if relative.startswith("papers/"):
            record = archive[relative[len("papers/") : -len(".md")]]
            address = len(settings.site_url) + len(record.id)
            title = len(record.paper.title)
            if "template: paper-compact.html" in _front(text):
                frames["compact"].append(built - size - named // 2 - address)
            else:
                authors = budget.CITATION_AUTHOR * len(record.paper.authors)
                frames["paper"].append(built - size - named - title - authors - address)
        else:
            frames["index"].append(built - size)
            if relative.startswith("days/"):
                frames["day head"].append(len(_CARD.sub("", text).encode("utf-8")))
    sitemap = 0
    addresses = 0
    entries = 0
    for part in [site / "sitemap.xml", *sorted((site / "sitemaps").glob("*.xml"))]:
        if part.is_file():
            data = part.read_bytes()
            sitemap += len(data)
            found = _ENTRY.findall(data)
            entries += len(found)
            addresses += sum(len(loc) for loc in found)
    gz = site / "sitemap.xml.gz"
    sitemap += gz.stat().st_size if gz.is_file() else 0
    total = site_bytes(site)
    return {
        "site_bytes": total,
        "FIXED": total - generated - sitemap,
        "INDEX_FRAME": round(mean(frames["index"])) if frames["index"] else None,
        "PAPER_FRAME": round(mean(frames["paper"])) if frames["paper"] else None,
        "COMPACT_FRAME": round(mean(frames["compact"])) if frames["compact"] else None,
        "DAY_HEAD": round(mean(frames["day head"])) if frames["day head"] else None,
        "SITEMAP_ENTRY": round((sitemap - addresses) / entries) if entries else None,
        "spread": {kind: [min(found), max(found)] for kind, found in frames.items() if found},
    }


def _generated(relative: str) -> bool:
    from paperfeed.render import OWNED_DIRS, OWNED_FILES  # noqa: PLC0415

    return relative in OWNED_FILES or any(relative.startswith(folder + "/") for folder in OWNED_DIRS)


def check_pages(work: Path) -> dict[str, Any]:
    """Every paper has its page; the compact ones are the oldest, the newest are full."""
    from paperfeed.archive import load_archive  # noqa: PLC0415
    from paperfeed.config import load_settings  # noqa: PLC0415
    from paperfeed.pages import newest_first  # noqa: PLC0415

    settings = load_settings(work / "mkdocs.yml")
    records = newest_first(load_archive(settings.data_dir).values())
    kinds = []
    missing = []
    for record in records:
        page = settings.site_dir / "papers" / record.id / "index.html"
        if not page.is_file():
            missing.append(record.id)
            continue
        kinds.append("compact" if 'class="pf-paper pf-compact"' in page.read_text("utf-8") else "full")
    full = kinds.count("full")
    compact_sizes = [
        (settings.site_dir / "papers" / r.id / "index.html").stat().st_size
        for r in records[full:]
        if r.id not in missing
    ]
    full_sizes = [(settings.site_dir / "papers" / r.id / "index.html").stat().st_size for r in records[:full]]
    return {
        "papers": len(records),
        "missing_pages": len(missing),
        "full": full,
        "compact": kinds.count("compact"),
        "newest_full_oldest_compact": kinds == ["full"] * full + ["compact"] * (len(kinds) - full),
        "full_page_bytes": round(mean(full_sizes)) if full_sizes else 0,
        "compact_page_bytes": round(mean(compact_sizes)) if compact_sizes else 0,
    }


def bench_budget(papers: int, budget_mb: float, *, seed: int, keep: bool) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix=f"paperfeed-budget-{papers}-"))
    logs = work / "logs"
    logs.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    }

    def say(text: str) -> None:
        print(f"[{papers:,} papers, {budget_mb:g} MB] {text}", flush=True)

    try:
        config = bench_config(work)
        config["extra"]["paperfeed"]["site_budget_mb"] = budget_mb
        (work / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
        copy_handwritten_docs(work / "docs")
        run_measured(_stage("generate", work, str(papers), str(seed)), ROOT, logs / "generate.log", env)
        render = _paperfeed("render", work, logs / "render.log", env)
        rendered = (logs / "render.log").read_text("utf-8")
        estimate = float(_ESTIMATE.search(rendered).group(1).replace(",", "")) * 1e6
        say(f"render: {render.seconds} s; " + " ".join(line for line in rendered.splitlines() if "budget" in line))
        build = _paperfeed("build", work, logs / "build.log", env)
        say(f"build: {build.seconds} s")
        check = _paperfeed("check", work, logs / "check.log", env)
        say((logs / "check.log").read_text("utf-8").strip().replace("\n", " | "))
        pages = check_pages(work)
        constants = calibrate(work)
        size = constants["site_bytes"]
        say(f"site: {size / 1e6:.1f} MB; {pages['full']:,} full pages, {pages['compact']:,} compact")
        say(f"measured constants: {json.dumps({k: v for k, v in constants.items() if k != 'site_bytes'})}")
        over = over_budget(work, env, size)
        say(f"over budget: exit {over['exit']}: {over['message']}")
        return {
            "papers": pages["papers"],
            "budget_mb": budget_mb,
            "seed": seed,
            "site_bytes": size,
            "within_budget": size <= budget_mb * 1e6,
            "estimate_bytes": round(estimate),
            "estimate_error": round((estimate - size) / size, 4),
            **pages,
            "render_seconds": render.seconds,
            "build_seconds": build.seconds,
            "check_seconds": check.seconds,
            "over_budget": over,
            "constants": constants,
        }
    finally:
        if keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def over_budget(work: Path, env: dict[str, str], size: int) -> dict[str, Any]:
    """`paperfeed check` on the same site with a budget it does not fit: it must fail, in one line."""
    config = yaml.safe_load((work / "mkdocs.yml").read_text("utf-8"))
    config["extra"]["paperfeed"]["site_budget_mb"] = max(1, int(size / 1e6) - 5)
    smaller = work / "smaller.yml"
    smaller.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    command = [sys.executable, "-m", "paperfeed", "check", "--config", str(smaller)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    errors = [line for line in result.stderr.splitlines() if line.startswith("paperfeed: error:")]
    return {
        "budget_mb": config["extra"]["paperfeed"]["site_budget_mb"],
        "exit": result.returncode,
        "message": (errors[0] if errors else result.stderr.strip()).replace(f"{work}{os.sep}", ""),
        "one_line": len(errors) == 1,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.budget", description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=20_000)
    parser.add_argument("--budget-mb", type=float, default=120)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (its path is printed)")
    parser.add_argument("--no-write", action="store_true", help="print the results; leave results.json and the page")
    args = parser.parse_args(argv)
    result = bench_budget(args.papers, args.budget_mb, seed=args.seed, keep=args.keep)
    result.update(when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), commit=_git_head(), machine=machine())
    ok = (
        result["within_budget"]
        and result["missing_pages"] == 0
        and result["newest_full_oldest_compact"]
        and result["full"] > 0
        and result["over_budget"]["exit"] != 0
        and result["over_budget"]["one_line"]
    )
    print(json.dumps(result, indent=2))
    if not args.no_write:
        store_results(lambda stored: stored.update(budget=result))
    if not ok:
        print("the budget did not keep its promises (see above)", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
