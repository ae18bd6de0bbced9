"""The MkDocs build: `mkdocs build --strict` into a fresh folder, then swapped into place.

Building beside site/ and renaming means site/ is always a whole build, old or new, even if
the build is killed halfway; a leftover partial folder is removed by the next build.

A build is skipped when nothing it reads changed since the last one: site/.paperfeed-build-stamp
holds a hash of its inputs (every file of docs/, mkdocs.yml, the theme overrides and hooks it
names, $PAPERFEED_SITE_URL and the versions of MkDocs, Material and paperfeed). A night with
nothing new then costs a walk over docs/ instead of a build of the whole site (minutes at
100,000 papers). When only modification times moved (a fresh checkout), the contents are
hashed to decide; `force=True` (`paperfeed build --force`) always builds.

Everything the site itself needs from the build happens in the hooks (mkdocs_hooks.py), so a
plain `mkdocs build` makes the same site: this module only adds the swap and the skip.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from paperfeed import __version__
from paperfeed.errors import OutputError

STAMP_FILE = ".paperfeed-build-stamp"
_STAMP_FORMAT = 1


@dataclass(frozen=True)
class BuildReport:
    """What a build did: skipped (and why) or built, with where the time went."""

    skipped: bool
    reason: str
    mkdocs_seconds: float = 0.0
    stamp_seconds: float = 0.0  # hashing the inputs, before and after

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def _die_with_paperfeed() -> None:
    """Run in the mkdocs child before it starts: have Linux kill it when paperfeed dies, so a
    killed run leaves no orphan build writing into site.building/ under the next run's feet.
    Elsewhere this does nothing (a leftover folder still in use is then a clear error)."""
    parent = os.getppid()
    try:
        import ctypes  # noqa: PLC0415 - only in the child, and only on Linux

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # paperfeed died before the line above ran
        os._exit(1)


def _remove_leftover(path: Path) -> None:
    try:
        _remove(path)
    except OSError as err:
        raise OutputError(
            f"{path}: cannot remove the leftover of an earlier build ({err.strerror}); if a build is "
            "still running, wait for it to end, then run again"
        ) from None


def _config_inputs(config_path: Path) -> list[Path]:
    """mkdocs.yml and the folders and files it names that the build reads."""
    from mkdocs.utils.yaml import yaml_load  # noqa: PLC0415 - only a build needs MkDocs loaded

    try:
        with config_path.open("rb") as handle:
            config = yaml_load(handle) or {}
    except (OSError, ValueError) as err:
        raise OutputError(f"{config_path}: cannot read it: {err}") from None
    root = config_path.resolve().parent
    found = [config_path.resolve(), root / str(config.get("docs_dir", "docs"))]
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        found.append(root / str(theme["custom_dir"]))
    found += [root / str(hook) for hook in config.get("hooks") or []]
    return found


def _files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_file():
            yield path
        elif path.is_dir():
            for folder, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d != "__pycache__")
                for name in sorted(names):
                    yield Path(folder, name)


def _versions() -> str:
    found = [f"paperfeed {__version__}", os.environ.get("PAPERFEED_SITE_URL", "")]
    for name in ("mkdocs", "mkdocs-material"):
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} -")
    return "\n".join(found)


def input_stamp(config_path: Path, *, contents: bool) -> str:
    """A hash of what a build reads: every input file's path and either its bytes
    (`contents`) or its size and modification time (cheap: a stat per file)."""
    digest = hashlib.blake2b(_versions().encode("utf-8"), digest_size=20)
    for path in _files(_config_inputs(config_path)):
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        if contents:
            digest.update(hashlib.blake2b(path.read_bytes(), digest_size=20).digest())
        else:
            stat = path.stat()
            digest.update(f"{stat.st_size} {stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _read_stamp(site_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((site_dir / STAMP_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("format") == _STAMP_FORMAT else {}


def _write_stamp(site_dir: Path, stamp: dict[str, Any]) -> None:
    temp = site_dir / (STAMP_FILE + ".tmp")
    temp.write_text(json.dumps(stamp, sort_keys=True) + "\n", "utf-8")
    os.replace(temp, site_dir / STAMP_FILE)


def build_site(
    config_path: Path, site_dir: Path, *, env: dict[str, str] | None = None, force: bool = False
) -> BuildReport:
    """Run the real MkDocs build with --strict, unless its inputs are unchanged since the last
    build; raise OutputError with its warnings on failure."""
    started = time.perf_counter()
    building = site_dir.with_name(site_dir.name + ".building")
    retired = site_dir.with_name(site_dir.name + ".old")
    for leftover in (building, retired):  # of a build killed before it ended, skipped or not
        _remove_leftover(leftover)
    old = {} if force else _read_stamp(site_dir)
    quick = input_stamp(config_path, contents=False)
    if old and old.get("quick") == quick:
        return BuildReport(True, "docs/ and config unchanged since the last build", 0.0, time.perf_counter() - started)
    full = input_stamp(config_path, contents=True)
    if old and old.get("full") == full:
        _write_stamp(site_dir, {"format": _STAMP_FORMAT, "quick": quick, "full": full})
        return BuildReport(
            True, "docs/ and config unchanged (only file times moved)", 0.0, time.perf_counter() - started
        )
    stamp_seconds = time.perf_counter() - started

    command = [
        sys.executable, "-m", "mkdocs", "build", "--strict",
        "--config-file", str(config_path.resolve()), "--site-dir", str(building.resolve()),
    ]  # fmt: skip
    started = time.perf_counter()
    result = subprocess.run(
        command, capture_output=True, text=True, env=env or os.environ.copy(), check=False,
        preexec_fn=_die_with_paperfeed if sys.platform == "linux" else None,  # paperfeed starts no threads
    )  # fmt: skip
    mkdocs_seconds = time.perf_counter() - started
    if result.returncode != 0:
        _remove(building)
        lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
        problems = [line for line in lines if line.startswith(("WARNING", "ERROR"))] or lines[-1:]  # or the exception
        raise OutputError(
            f"{config_path}: mkdocs build --strict failed: {' | '.join(problems[:5]) or 'no output'}; "
            "fix the page or setting it names (generated pages are rewritten by paperfeed render)"
        )
    # Stamped with the inputs as they were before the build, so a change made while it ran
    # is seen by the next one.
    _write_stamp(building, {"format": _STAMP_FORMAT, "quick": quick, "full": full})
    if site_dir.exists():
        os.replace(site_dir, retired)
    os.replace(building, site_dir)
    _remove(retired)
    return BuildReport(False, "forced" if force else "inputs changed", mkdocs_seconds, stamp_seconds)
