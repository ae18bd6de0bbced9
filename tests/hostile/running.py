"""How the corpus runs paperfeed: the real CLI at one clock, for one site URL."""

from __future__ import annotations

from pathlib import Path

import harness
from harness import EPOCH

SITE_URL = "https://hostile.example/papers/"


def run_cli(project: Path, *args: str) -> tuple[int, str, str]:
    """The real CLI, in this process (fast): exit code, stdout, stderr."""
    return harness.paperfeed_in_process(project, *args, epoch=EPOCH, site_url=SITE_URL)


def run_subprocess(project: Path, *args: str) -> tuple[int, str, str]:
    """The real CLI in a subprocess, as a user runs it (the mkdocs build too): exit code,
    stdout, stderr."""
    done = harness.paperfeed(project, *args, epoch=EPOCH, site_url=SITE_URL)
    return done.returncode, done.stdout, done.stderr


def relative(message: str, *folders: Path) -> str:
    """`message` with the paths of `folders` left out, so the page shows no machine's paths."""
    for folder in folders:
        message = message.replace(f"{folder}/", "").replace(str(folder), ".")
    return message.strip()
