"""Progress for long steps: a live counter in a terminal, plain lines in CI logs."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")


def track(
    items: Iterable[T], label: str, total: int | None = None, stream: TextIO | None = None, *, shown_from: int = 201
) -> Iterator[T]:
    """Yield `items`, showing `label n/total` (or `label n` when the total is unknown) on a
    terminal, refreshed at most 10 times a second, when there are at least `shown_from` of them
    (an unknown total always shows); off a terminal, print nothing: the caller's summary line
    says what happened."""
    out = stream or sys.stderr
    live = out.isatty() and (total is None or total >= shown_from)
    last = 0.0
    for count, item in enumerate(items, 1):
        if live and (time.monotonic() - last > 0.1 or count == total):
            out.write(f"\r{label} {count}/{total}" if total is not None else f"\r{label} {count}")
            out.flush()
            last = time.monotonic()
        yield item
    if live:
        out.write("\r\033[K")
        out.flush()
