"""Golden files: one paper page, one day page and the Atom feed from a fixed archive.

`make golden` (python tests/golden.py) rewrites tests/golden/ from the current code; review
the diff before committing it. tests/test_golden.py fails when the output drifts.
"""

from __future__ import annotations

from pathlib import Path

from harness import fixture_settings
from paperfeed.feed_identity import Identity
from paperfeed.merge import merge_listing
from paperfeed.render import render_site
from records import RICH, T0, T1, paper

GOLDEN = Path(__file__).resolve().parent / "golden"
PICKED = {"papers/2411.01234.md": "paper.md", "days/2026-11-20.md": "day.md", "feed.xml": "feed.xml"}


def render_golden() -> dict[str, bytes]:
    settings = fixture_settings(site_url="https://example.org/papers/", listings=())
    archive = merge_listing(
        {}, "daily", [RICH, paper("A Neighbour on the Same Day", arxiv_id="2411.00002")], T0
    ).archive
    archive = merge_listing(archive, "search", [paper("A Later Paper")], T1).archive
    files = render_site(archive, settings, Identity("example.org", "2026-11-01"))
    return {name: _bytes(files[path]) for path, name in PICKED.items()}


def _bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


if __name__ == "__main__":
    GOLDEN.mkdir(exist_ok=True)
    for name, data in render_golden().items():
        (GOLDEN / name).write_bytes(data)
        print(f"wrote tests/golden/{name}")
