"""Run the corpus and write (or check) docs/robustness.md:

make robustness                                   # the same as --write-doc
PYTHONPATH=tests python -m hostile --write-doc    # run everything, rewrite docs/robustness.md
PYTHONPATH=tests python -m hostile --check        # exit 1 when docs/robustness.md is out of date
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from harness import ROOT

from .corpus import run_corpus
from .page import DOC, render_doc


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="paperfeed-hostile-") as folder:
        yield Path(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hostile", description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write-doc", action="store_true", help=f"rewrite {DOC.relative_to(ROOT)}")
    group.add_argument("--check", action="store_true", help=f"exit 1 when {DOC.relative_to(ROOT)} is out of date")
    args = parser.parse_args(argv)
    with scratch() as work:
        text = render_doc(run_corpus(work))
    if args.write_doc:
        DOC.write_text(text, "utf-8")
        print(f"wrote {DOC.relative_to(ROOT)}")
        return 0
    current = DOC.read_text("utf-8") if DOC.exists() else ""
    if current != text:
        print(f"{DOC.relative_to(ROOT)} is out of date; run: make robustness", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
