"""Rendered output compared with reviewed golden files (regenerate with `make golden`)."""

from __future__ import annotations

import pytest

from golden import GOLDEN, render_golden


@pytest.mark.parametrize("name", sorted(render_golden()))
def test_output_matches_golden_file(name: str) -> None:
    expected = (GOLDEN / name).read_bytes()
    assert render_golden()[name] == expected, f"{name} drifted; run `make golden` and review the diff"
