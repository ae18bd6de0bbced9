"""The one writer for generated files.

It keeps every path inside its root, refuses unsafe or colliding names (including names that
collide when case is ignored, as on macOS and Windows checkouts), writes a file only when its
bytes differ (each by temp file and rename, so a reader never sees half a file), and prunes
stale files only inside the folders it owns.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from paperfeed.errors import OutputError
from paperfeed.paper_ids import DEVICE_NAMES
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
    files: Iterable[tuple[str, str | bytes]],
    owned_dirs: Iterable[str] = (),
    owned_files: Iterable[str] = (),
    *,
    expected: int | None = None,
) -> WriteReport:
    """Bring `root` to hold exactly `files` within what it owns; leave everything else.

    `files` are (path, content) pairs, written as they come (site.iter_site streams them, so a
    large docs/ never sits in memory whole); a path given twice is refused like a case
    collision. On a terminal a counter shows progress, out of `expected` files when given."""
    folded: dict[str, str] = {}
    pairs = track(_claimed(files, folded), "writing docs/", expected)
    written, unchanged = [], 0
    base = os.fspath(root)
    folders: dict[str, set[str]] = {}  # folder -> the names it held before (casefolded)
    try:
        for path, content in pairs:
            data = content.encode("utf-8") if isinstance(content, str) else content
            folder, _, name = path.rpartition("/")
            directory = f"{base}/{folder}" if folder else base
            if folder not in folders:  # one mkdir and one listing per folder, not a stat per file
                folders[folder] = _existing_names(directory)
            target = f"{base}/{path}"
            # A name the folder did not hold needs no stat; on a first
            # run that is every file. Casefolded, so a case-insensitive filesystem's match is
            # still compared.
            if name.casefold() in folders[folder] and _same(target, data):
                unchanged += 1
                continue
            temp = f"{directory}/.{name}.tmp"
            _write_file(temp, data)
            os.replace(temp, target)
            written.append(path)
        removed = _prune(root, set(folded.values()), owned_dirs, owned_files)
    except OSError as err:
        raise OutputError(
            f"{err.filename or root}: cannot write generated files: {err.strerror}; free disk "
            "space or fix permissions, then run again (the archive is unaffected)"
        ) from None
    return WriteReport(tuple(written), unchanged, tuple(removed))


# A path of plain parts, as paperfeed makes them: check_relative accepts it when no part holds
# "..", ends with "." or is a device name (checked apart).
_PLAIN_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}(?:/[A-Za-z0-9][A-Za-z0-9._-]{0,119})*")


def _checked(path: str) -> str:
    """The path as check_relative reads it ("a//b" is "a/b"), or OutputError."""
    # Plain paths (nearly all of them) are checked as strings, several times faster than
    # check_relative's PurePosixPath; anything else goes through check_relative.
    if (
        _PLAIN_PATH.fullmatch(path)
        and ".." not in path
        and not path.endswith(".")
        and "./" not in path
        and not any(part.split(".")[0].lower() in DEVICE_NAMES for part in path.split("/"))
    ):
        return path
    return "/".join(check_relative(path).parts)


def _claim(path: str, folded: dict[str, str]) -> str:
    path = _checked(path)
    key = path.casefold()
    if key in folded:
        if folded[key] == path:
            raise OutputError(f"{path!r} is generated twice; this is a bug in paperfeed")
        raise OutputError(f"{path!r} and {folded[key]!r} differ only in case; this is a bug in paperfeed")
    folded[key] = path
    return path


def _claimed(pairs: Iterable[tuple[str, str | bytes]], folded: dict[str, str]) -> Iterator[tuple[str, str | bytes]]:
    for path, content in pairs:
        yield _claim(path, folded), content


def _existing_names(folder: str) -> set[str]:
    os.makedirs(folder, exist_ok=True)
    return {name.casefold() for name in os.listdir(folder)}


def _same(target: str, data: bytes) -> bool:
    """True when `target` is a file holding exactly `data`."""
    try:
        found = os.stat(target)
    except (FileNotFoundError, NotADirectoryError):
        return False
    if not stat.S_ISREG(found.st_mode) or found.st_size != len(data):
        return False
    with open(target, "rb") as handle:
        return handle.read() == data


def _write_file(path: str, data: bytes) -> None:
    # os.open and os.write: a buffered file object costs more than the write for small pages.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _prune(root: Path, keep: set[str], owned_dirs: Iterable[str], owned_files: Iterable[str]) -> list[str]:
    removed = []
    for name in owned_files:
        if name not in keep and (root / name).is_file():
            (root / name).unlink()
            removed.append(name)
        (root / f".{name}.tmp").unlink(missing_ok=True)  # left by a run killed while writing it
    base = os.fspath(root)
    for folder in owned_dirs:
        if not os.path.isdir(os.path.join(base, folder)):
            continue
        # Children before their folders. os.scandir and parts as tuples (sorted as Path
        # objects would be) rather than Path.rglob, which is slow at 100,000 files.
        for parts, is_dir in sorted(_tree(base, folder), reverse=True):
            relative = "/".join(parts)
            path = os.path.join(base, relative)
            if is_dir:
                if not os.listdir(path):
                    os.rmdir(path)
            elif relative not in keep:
                os.unlink(path)
                removed.append(relative)
    return removed


def _tree(base: str, folder: str) -> Iterator[tuple[tuple[str, ...], bool]]:
    """Everything below `folder` (as Path.rglob("*") finds it: symlinked folders are not
    entered), each as its parts from `base` and whether it is a folder."""
    stack = [tuple(folder.split("/"))]
    while stack:
        parts = stack.pop()
        with os.scandir(os.path.join(base, *parts)) as entries:
            for entry in entries:
                found = (*parts, entry.name)
                is_dir = entry.is_dir()
                yield found, is_dir
                if is_dir and not entry.is_symlink():
                    stack.append(found)
