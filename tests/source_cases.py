"""Each payload under tests/fixtures/sources/<format>/ beside the papers it must give.

A case is two files: `<case>.<ext>`, a payload in that format, and `<case>.expected.json`, the
papers it parses to and how many records it skipped. Payloads without an expected file are
used by targeted tests (errors, drift). `python tests/source_cases.py` (part of `make golden`)
rewrites the expected file of every payload that parses: review the diff before committing.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent
CASES = TESTS / "fixtures" / "sources"
EXPECTED = ".expected.json"
sys.path.insert(0, str(TESTS.parent / "generator"))

from paperfeed.errors import PaperfeedError  # noqa: E402 - run as a script too
from paperfeed.sources import FORMATS, Format  # noqa: E402


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def parsed(fmt: Format, payload: Path) -> dict[str, Any]:
    """What a payload parses to, as the expected file holds it."""
    papers, skipped = fmt.parse(payload.read_bytes(), payload.name)
    rows = [{key: _plain(value) for key, value in dataclasses.asdict(paper).items()} for paper in papers]
    return {"skipped": skipped, "papers": rows}


def expected_path(payload: Path) -> Path:
    return payload.with_name(payload.name.split(".", 1)[0] + EXPECTED)


def payloads(fmt: Format) -> list[Path]:
    folder = TESTS.parent / fmt.fixtures
    return sorted(p for p in folder.glob("*") if p.is_file() and not p.name.endswith(EXPECTED))


def cases() -> list[tuple[Format, Path, Path]]:
    """(format, payload, expected file) for every payload that has an expected file."""
    return [
        (fmt, payload, expected_path(payload))
        for fmt in FORMATS.values()
        for payload in payloads(fmt)
        if expected_path(payload).exists()
    ]


def encode(result: dict[str, Any]) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    for fmt in FORMATS.values():
        for payload in payloads(fmt):
            try:
                result = parsed(fmt, payload)
            except PaperfeedError:
                continue  # an error case: its own test checks the message
            target = expected_path(payload)
            text = encode(result)
            if not target.exists() or target.read_text("utf-8") != text:
                target.write_text(text, "utf-8")
                print(f"wrote {target.relative_to(TESTS.parent)}")


if __name__ == "__main__":
    main()
