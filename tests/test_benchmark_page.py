"""docs/benchmarks.md holds sections written by separate benchmarks: each rewrites its own and
keeps the others'; and the labelled abstracts the ranking benchmark reads are well formed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # benchmarks/ sits beside tests/

from benchmarks.report import MARKER, render_page, sections, with_section  # noqa: E402


def test_a_section_is_added_then_replaced_in_place() -> None:
    page = "# Benchmarks\n\nIntro.\n"
    first = with_section(page, "for-you", "python -m benchmarks.for_you", "## For you\n\nprecision 0.7")
    assert first.startswith(page)
    assert sections(first) == [
        "<!-- section for-you: written by `python -m benchmarks.for_you`; edit that, not this -->\n\n"
        "## For you\n\nprecision 0.7\n\n<!-- end of section for-you -->\n"
    ]
    other = with_section(first, "other", "python -m benchmarks.other", "## Other\n\n1 s")
    again = with_section(other, "for-you", "python -m benchmarks.for_you", "## For you\n\nprecision 0.8")
    assert "precision 0.7" not in again
    assert again.index("precision 0.8") < again.index("## Other")  # replaced where it was
    assert len(sections(again)) == 2


def test_the_main_benchmark_keeps_the_sections_below_its_marker() -> None:
    current = with_section(f"# Benchmarks\n\n{MARKER}\n\nold results\n", "for-you", "cmd", "## For you\n\nkept")
    rendered = render_page({"runs": {}}, current)
    assert "old results" not in rendered
    assert sections(rendered) == sections(current)
    assert rendered.count("## For you") == 1


def test_the_labelled_abstracts_are_well_formed() -> None:
    lines = (ROOT / "benchmarks" / "data" / "labelled-papers.jsonl").read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    readme = (ROOT / "benchmarks" / "data" / "README.md").read_text("utf-8")
    assert len(rows) >= 200
    assert len({row["title"] for row in rows}) == len(rows)
    for row in rows:
        assert set(row) == {"source", "arxiv_id", "title", "abstract", "topic"}
        assert len(row["abstract"]) >= 100
        assert f"`{row['topic']}`" in readme, f"topic {row['topic']!r} is not described in the README"
