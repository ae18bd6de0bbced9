"""Every source module holds all of its source: the registry finds it, its fixture folder
pairs payloads with the papers they must give, and the docs have a row for it.

Adding a source is one module under generator/paperfeed/sources/, one fixture folder under
tests/fixtures/sources/ and one row in docs/self-hosting.md; these tests fail when one of the
three is missing.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

import source_cases
from harness import ROOT
from paperfeed.sources import FORMATS, SOURCES, Format, Options, SourceURLs

GUIDE = (ROOT / "docs" / "self-hosting.md").read_text("utf-8")
NOW = datetime(2026, 11, 27, 6, 17, tzinfo=UTC)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_has_a_fixture_folder_with_a_case(name: str) -> None:
    fmt = FORMATS[name]
    folder = ROOT / fmt.fixtures
    assert folder.is_dir(), f"format {name}: add {fmt.fixtures}/ with a payload and its .expected.json"
    assert any(case[0] is fmt for case in source_cases.cases()), f"{fmt.fixtures}/ needs a <case>.expected.json"


def test_every_fixture_folder_belongs_to_a_format() -> None:
    folders = {p.name for p in source_cases.CASES.iterdir() if p.is_dir()} - {"drifted"}
    assert folders == set(FORMATS)


CASES = source_cases.cases()


@pytest.mark.parametrize(
    ("fmt", "payload", "expected"), CASES, ids=[f"{fmt.name}/{payload.name}" for fmt, payload, _ in CASES]
)
def test_each_payload_parses_to_its_expected_papers(fmt: Format, payload: Path, expected: Path) -> None:
    assert source_cases.parsed(fmt, payload) == json.loads(expected.read_text("utf-8")), (
        f"{payload.relative_to(ROOT)} no longer parses to {expected.name}; if the change is right, "
        "run `make golden` and review the diff"
    )


def _row(name: str) -> str | None:
    return next((line for line in GUIDE.splitlines() if line.startswith(f"| `{name}` |")), None)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_source_has_a_row_in_the_guide_naming_its_keys(name: str) -> None:
    row = _row(name)
    assert row is not None, f"docs/self-hosting.md needs a row '| `{name}` | ...' in its table of sources"
    for key in SOURCES[name].keys:
        assert f"`{key.name}`" in row, f"the row of {name} in docs/self-hosting.md must name its key {key.name}"
    history = SOURCES[name].history
    assert ("backfill" in row) == (history is not None), f"the row of {name} must say whether it can backfill"


def test_every_source_builds_its_url_from_its_defaults() -> None:
    """Each source with a server builds a URL on that server from its keys' defaults (plus a
    value for the keys a listing must give), and a past day's URL when it keeps a history."""
    for spec in SOURCES.values():
        if spec.server is None:
            assert spec.url is None and spec.history is None, spec.name
            continue
        assert spec.url is not None, spec.name
        options = Options.of({**spec.defaults, **{key.name: "x" for key in spec.keys if key.required}})
        base = SourceURLs().base(spec.server)
        assert spec.url(options, base, NOW).startswith(spec.server.default), spec.name
        if spec.history is not None and spec.has_history(options):
            day = spec.history.last_day(options, NOW)
            assert re.search(rf"{day:%Y}-?{day:%m}-?{day:%d}", spec.history.url(options, base, day)), spec.name
