"""One step of the For-you scale benchmark, in its own process so its peak memory is its own.

    python -m benchmarks.for_you_night generate WORK PAPERS NEW LIKES [SEED]
    python -m benchmarks.for_you_night fill-cache WORK CACHE
    python -m benchmarks.for_you_night night WORK CACHE [--quiet]

`generate` writes a synthetic archive of PAPERS + NEW papers to WORK/data (the NEW newest are
the night's new papers, listed in WORK/new-ids.txt) and a likes file of LIKES older papers.
`fill-cache` computes the feature rows of every paper but the new ones, as the nights before
would have. `night` loads the archive as the pipeline does, then times the model work of a
night (with --quiet: a night with no new paper). Each prints one JSON object on its last line.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any


def _peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def generate(work: Path, papers: int, new: int, likes: int, seed: int) -> dict[str, Any]:
    from benchmarks.synth import synthesize  # noqa: PLC0415 - imported in the child only
    from paperfeed.archive import save_archive  # noqa: PLC0415

    archive = synthesize(papers + new, seed).archive
    save_archive(work / "data", archive)
    by_age = sorted(archive.values(), key=lambda record: (record.first_seen, record.id))
    fresh = [record.id for record in by_age[-new:]] if new else []
    (work / "new-ids.txt").write_text("".join(f"{record_id}\n" for record_id in fresh), "utf-8")
    liked = random.Random(seed).sample(by_age[: len(by_age) - new], likes)
    lines = [f"arXiv:{record.paper.arxiv_id}\n" for record in sorted(liked, key=lambda r: r.id)]
    (work / "likes.txt").write_text("# liked papers\n" + "".join(lines), "utf-8")
    return {"papers": len(archive), "new": len(fresh), "likes": len(lines)}


def fill_cache(work: Path, cache: Path) -> dict[str, Any]:
    from paperfeed.archive import load_archive  # noqa: PLC0415
    from paperfeed.features import count_rows  # noqa: PLC0415

    new = set((work / "new-ids.txt").read_text("utf-8").split())
    records = sorted((r for r in load_archive(work / "data").values() if r.id not in new), key=lambda r: r.id)
    started = time.perf_counter()
    _, stats = count_rows([r.id for r in records], [r.paper for r in records], cache, print)
    return {"seconds": round(time.perf_counter() - started, 2), "computed": stats.computed}


def night(work: Path, cache: Path, quiet: bool) -> dict[str, Any]:
    from paperfeed.archive import load_archive  # noqa: PLC0415
    from paperfeed.for_you import model_work  # noqa: PLC0415
    from paperfeed.likes import load_likes  # noqa: PLC0415

    started = time.perf_counter()
    archive = load_archive(work / "data")
    loaded = {"seconds": round(time.perf_counter() - started, 2), "peak_mib": _peak_mib()}
    new_ids = [] if quiet else (work / "new-ids.txt").read_text("utf-8").split()
    wall, cpu = time.perf_counter(), time.process_time()
    likes = load_likes(work / "likes.txt")
    result = model_work(list(archive.values()), new_ids, likes, cache, print)
    return {
        "papers": len(archive),
        "new": len(new_ids),
        "load_archive": loaded,
        "model_seconds": round(time.perf_counter() - wall, 3),
        "model_cpu_seconds": round(time.process_time() - cpu, 3),
        "steps": dict(result.seconds),
        "computed": result.counts_computed,
        "from_cache": result.counts_from_cache,
        "liked": result.liked,
        "scored": sum(found.score is not None for found in result.papers.values()),
        "with_similar": sum(bool(found.similar) for found in result.papers.values()),
        "peak_mib": _peak_mib(),
    }


def main(argv: list[str]) -> int:
    step, work = argv[0], Path(argv[1])
    if step == "generate":
        seed = int(argv[5]) if len(argv) > 5 else 6
        output = generate(work, int(argv[2]), int(argv[3]), int(argv[4]), seed)
    elif step == "fill-cache":
        output = fill_cache(work, Path(argv[2]))
    elif step == "night":
        output = night(work, Path(argv[2]), quiet="--quiet" in argv[3:])
    else:
        raise SystemExit(f"unknown step {step!r}")
    print(json.dumps(output))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
