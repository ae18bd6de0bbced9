"""The MkDocs build: `mkdocs build --strict` into a fresh folder, then swapped into place.

Building beside site/ and renaming means site/ is always a whole build, old or new, even if
the build is killed halfway; a leftover partial folder is removed by the next build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from paperfeed.errors import OutputError


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def build_site(config_path: Path, site_dir: Path, *, env: dict[str, str] | None = None) -> None:
    """Run the real MkDocs build with --strict; raise OutputError with its warnings on failure."""
    building = site_dir.with_name(site_dir.name + ".building")
    retired = site_dir.with_name(site_dir.name + ".old")
    for leftover in (building, retired):
        _remove(leftover)
    command = [
        sys.executable, "-m", "mkdocs", "build", "--strict",
        "--config-file", str(config_path.resolve()), "--site-dir", str(building.resolve()),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, env=env or os.environ.copy(), check=False)
    if result.returncode != 0:
        _remove(building)
        lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
        problems = [line for line in lines if line.startswith(("WARNING", "ERROR"))] or lines[-3:]
        raise OutputError(
            f"{config_path}: mkdocs build --strict failed: {' | '.join(problems[:5]) or 'no output'}; "
            "fix the page or setting it names (generated pages are rewritten by paperfeed render)"
        )
    if site_dir.exists():
        os.replace(site_dir, retired)
    os.replace(building, site_dir)
    _remove(retired)
