"""One benchmark stage, run in its own process so its peak memory is its own.

    python -m benchmarks.stages generate WORK PAPERS [SEED]
    python -m benchmarks.stages nightly WORK
    python -m benchmarks.stages build WORK [--force]

Each prints one JSON object on its last line of stdout: wall seconds per step, and the
process' peak RSS after each step (ru_maxrss only grows, so it shows where memory goes). The
orchestrator (benchmarks.run) measures the process as a whole with wait4.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class Clock:
    """Times named steps and notes the peak RSS after each."""

    def __init__(self) -> None:
        self.steps: dict[str, dict[str, float]] = {}

    def step(self, name: str, func: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = func()
        self.add(name, time.perf_counter() - started)
        return result

    def add(self, name: str, seconds: float) -> None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        found = self.steps.setdefault(name, {"seconds": 0.0, "peak_mib": 0.0})
        found["seconds"] = round(found["seconds"] + seconds, 3)
        found["peak_mib"] = round(max(found["peak_mib"], peak), 1)


def _settings(work: Path) -> Any:
    from paperfeed.config import load_settings  # noqa: PLC0415 - imported in the child only

    return load_settings(work / "mkdocs.yml")


def generate(work: Path, papers: int, seed: int) -> dict[str, Any]:
    from benchmarks.synth import synthesize  # noqa: PLC0415
    from paperfeed.archive import record_to_json, save_archive  # noqa: PLC0415
    from paperfeed.feed_identity import mint, save_identity  # noqa: PLC0415
    from paperfeed.model import Record  # noqa: PLC0415

    clock = Clock()
    synthetic = clock.step("synthesize", lambda: synthesize(papers, seed))
    data = work / "data"
    clock.step("save archive", lambda: save_archive(data, synthetic.archive))
    first = min(record.first_seen for record in synthetic.archive.values())
    save_identity(data, mint("https://example.org/paperfeed/", first))
    fresh = {
        name: [record_to_json(Record("x", paper, synthetic.now, synthetic.now)) for paper in found]
        for name, found in synthetic.fresh.items()
    }
    (work / "fresh.json").write_text(json.dumps({"now": synthetic.now.isoformat(), "listings": fresh}), "utf-8")
    return {"steps": clock.steps, "papers": len(synthetic.archive), "fresh_day": synthetic.fresh_day.isoformat()}


def nightly(work: Path) -> dict[str, Any]:
    """What `paperfeed run --no-build` does on a night with a fresh listing, step by step."""
    from datetime import datetime  # noqa: PLC0415

    import paperfeed.render  # noqa: PLC0415
    from paperfeed.archive import load_archive, record_from_json, save_archive  # noqa: PLC0415
    from paperfeed.feed_identity import load_identity  # noqa: PLC0415
    from paperfeed.merge import merge_listing  # noqa: PLC0415
    from paperfeed.pipeline import PARALLEL_FROM, RENDER_WORKERS  # noqa: PLC0415
    from paperfeed.render import OWNED_DIRS, OWNED_FILES, iter_site  # noqa: PLC0415
    from paperfeed.writer import write_tree  # noqa: PLC0415

    clock = Clock()
    settings = _settings(work)
    fresh = json.loads((work / "fresh.json").read_text("utf-8"))
    now = datetime.fromisoformat(fresh["now"])
    archive = clock.step("load archive", lambda: load_archive(settings.data_dir))
    changed: list[str] = []
    added = 0
    for name, rows in fresh["listings"].items():
        papers = [record_from_json(row).paper for row in rows]
        result = clock.step("merge", lambda a=archive, n=name, p=papers: merge_listing(a, n, p, now))
        archive = result.archive
        changed += result.changed_ids
        added += len(result.added)
    saved = clock.step("save archive", lambda: save_archive(settings.data_dir, archive, changed_ids=changed))
    identity = load_identity(settings.data_dir)
    assert identity is not None  # noqa: S101 - written by the generate stage

    # Feeds are rendered inside render_site; time them apart by wrapping the one call.
    real_render_feeds = paperfeed.render.render_feeds
    feed_seconds = [0.0]

    def timed_feeds(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return real_render_feeds(*args, **kwargs)
        finally:
            feed_seconds[0] += time.perf_counter() - started

    paperfeed.render.render_feeds = timed_feeds  # type: ignore[assignment]
    # As pipeline.render_docs does it: streamed from the renderer into the writer, paper pages
    # by several processes for a large archive; so rendering and writing are timed together.
    workers = RENDER_WORKERS if len(archive) >= PARALLEL_FROM else 1
    count = [0]

    def counted() -> Iterator[tuple[str, str | bytes]]:
        for item in iter_site(archive, settings, identity, workers=workers):
            count[0] += 1
            yield item

    started = time.perf_counter()
    report = write_tree(settings.docs_dir, counted(), OWNED_DIRS, OWNED_FILES)
    total = time.perf_counter() - started
    clock.add("render and write docs (less feeds)", total - feed_seconds[0])
    clock.add("render feeds", feed_seconds[0])
    return {
        "steps": clock.steps,
        "papers": len(archive),
        "added": added,
        "archive_files_saved": len(saved),
        "docs_files": count[0],
        "render_workers": workers,
        "docs_written": len(report.written),
        "docs_removed": len(report.removed),
    }


def build(work: Path, force: bool) -> dict[str, Any]:
    from paperfeed import build as build_module  # noqa: PLC0415

    clock = Clock()
    settings = _settings(work)
    kwargs: dict[str, Any] = {"force": True} if force and _accepts(build_module.build_site, "force") else {}
    outcome = clock.step("build", lambda: build_module.build_site(settings.config_path, settings.site_dir, **kwargs))
    detail = outcome.as_dict() if hasattr(outcome, "as_dict") else {}
    return {"steps": clock.steps, "build": detail}


def _accepts(func: Callable[..., Any], name: str) -> bool:
    import inspect  # noqa: PLC0415

    return name in inspect.signature(func).parameters


def main(argv: list[str]) -> int:
    stage, work = argv[0], Path(argv[1])
    if stage == "generate":
        result = generate(work, int(argv[2]), int(argv[3]) if len(argv) > 3 else 6)
    elif stage == "nightly":
        result = nightly(work)
    elif stage == "build":
        result = build(work, "--force" in argv)
    else:
        print(f"unknown stage {stage!r}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
