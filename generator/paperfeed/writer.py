"""The one writer for generated files.

It keeps every path inside its root, refuses unsafe or colliding names (including names that
collide when case is ignored, as on macOS and Windows checkouts), writes a file only when its
bytes differ (each by temp file and rename, so a reader never sees half a file), and prunes
stale files only inside the folders it owns.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from paperfeed.errors import OutputError
from paperfeed.ids import DEVICE_NAMES
from paperfeed.progress import track

_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}")


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]


def check_relative(path: str) -> PurePosixPath:
    """Validate a generated path: relative, plain parts only, no reserved device names."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts:
        raise OutputError(f"{path!r}: generated paths must be relative; this is a bug in paperfeed")
    for part in pure.parts:
        if (
            not _PART.fullmatch(part)
            or ".." in part
            or part.endswith(".")  # Windows drops a trailing dot
            or part.split(".")[0].lower() in DEVICE_NAMES
        ):
            raise OutputError(f"{path!r}: unsafe file name {part!r}; this is a bug in paperfeed")
    return pure


def write_tree(
    root: Path,
    files: Mapping[str, str | bytes] | Iterable[tuple[str, str | bytes]],
    owned_dirs: Iterable[str] = (),
    owned_files: Iterable[str] = (),
) -> WriteReport:
    """Bring `root` to hold exactly `files` within what it owns; leave everything else.

    `files` is a mapping, or (path, content) pairs written as they come (site.iter_site
    streams them: issue #6); a path given twice is refused like a case collision."""
    folded: dict[str, str] = {}
    if isinstance(files, Mapping):  # checked whole before anything is written
        for path in files:
            _claim(path, folded)
        pairs: Iterable[tuple[str, str | bytes]] = track(sorted(files.items()), "writing", len(files))
    else:
        pairs = _claimed(files, folded)
    written, unchanged = [], 0
    made: set[Path] = set()
    try:
        for path, content in pairs:
            data = content.encode("utf-8") if isinstance(content, str) else content
            target = root / path
            if target.is_file() and _same(target, data):
                unchanged += 1
                continue
            if target.parent not in made:  # one mkdir per folder, not per file (100,000 files: issue #6)
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            temp = target.with_name(f".{target.name}.tmp")
            temp.write_bytes(data)
            os.replace(temp, target)
            written.append(path)
        removed = _prune(root, set(folded.values()), owned_dirs, owned_files)
    except OSError as err:
        raise OutputError(
            f"{err.filename or root}: cannot write generated files: {err.strerror}; free disk "
            "space or fix permissions, then run again (the archive is unaffected)"
        ) from None
    return WriteReport(tuple(written), unchanged, tuple(removed))


def _claim(path: str, folded: dict[str, str]) -> None:
    check_relative(path)
    key = path.casefold()
    if key in folded:
        if folded[key] == path:
            raise OutputError(f"{path!r} is generated twice; this is a bug in paperfeed")
        raise OutputError(f"{path!r} and {folded[key]!r} differ only in case; this is a bug in paperfeed")
    folded[key] = path


def _claimed(pairs: Iterable[tuple[str, str | bytes]], folded: dict[str, str]) -> Iterator[tuple[str, str | bytes]]:
    for path, content in pairs:
        _claim(path, folded)
        yield path, content


def _same(target: Path, data: bytes) -> bool:
    if target.stat().st_size != len(data):
        return False
    return target.read_bytes() == data


def _prune(root: Path, keep: set[str], owned_dirs: Iterable[str], owned_files: Iterable[str]) -> list[str]:
    removed = []
    for name in owned_files:
        if name not in keep and (root / name).is_file():
            (root / name).unlink()
            removed.append(name)
        (root / f".{name}.tmp").unlink(missing_ok=True)  # left by a run killed while writing it
    for folder in owned_dirs:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*"), reverse=True):  # children before their folders
            relative = path.relative_to(root).as_posix()
            if path.is_dir():
                if not any(path.iterdir()):
                    path.rmdir()
            elif relative not in keep:
                path.unlink()
                removed.append(relative)
    return removed
