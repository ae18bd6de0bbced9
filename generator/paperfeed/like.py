"""`paperfeed like`: add a paper to the likes (or dislikes) file, from a terminal or from the
like workflow, which runs it for an issue titled "like: ID" that the repository's owner opened
(a paper page's Like link prefills one).

Only a paper id goes in: an arXiv id or link, a Hugging Face paper link, or a page id of this
site. An issue title is anyone's text, so nothing else is ever written to the file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from paperfeed.config import Settings
from paperfeed.errors import ConfigError, PaperfeedError
from paperfeed.likes import arxiv_id_of
from paperfeed.paper_ids import is_safe_id

ISSUE_PREFIX = re.compile(r"^\s*(?P<kind>like|dislike)\s*:\s*", re.IGNORECASE)
HEADER = (
    "# Papers {kind}d, one a line: an arXiv id or link, a Hugging Face paper link, a page id of\n"
    "# this site or an exact title. '#' starts a comment. See docs/self-hosting.md, For you.\n"
)


@dataclass(frozen=True)
class Liked:
    path: Path
    paper: str
    added: bool  # False when the file named the paper already


def paper_of(text: str) -> str:
    """The paper id `text` names (an arXiv id, an arXiv or Hugging Face link, a page id)."""
    text = text.strip()
    found = arxiv_id_of(text)
    if found is not None:
        return found
    if is_safe_id(text):
        return text
    shown = text if len(text) <= 80 else text[:77] + "..."
    raise PaperfeedError(
        f"{shown!r} names no paper: give an arXiv id (2401.01234), an arXiv or Hugging Face paper link, "
        "or a page id of this site"
    )


def from_issue_title(title: str) -> tuple[str, str]:
    """("like" or "dislike", the paper id) from an issue title such as "like: 2401.01234"."""
    match = ISSUE_PREFIX.match(title)
    if match is None:
        raise PaperfeedError(f"issue title {title[:80]!r} does not start with 'like:' or 'dislike:'")
    return match.group("kind").lower(), paper_of(title[match.end() :])


def add(settings: Settings, paper: str, *, kind: str = "like") -> Liked:
    """Append `paper` (an id, as paper_of gives) to the likes or dislikes file, creating it
    with a header; a paper the file already names on a line of its own is not added again."""
    path = settings.for_you.likes if kind == "like" else settings.for_you.dislikes
    if path is None:
        key = "likes" if kind == "like" else "dislikes"
        raise ConfigError(f"{settings.config_path}: no {key} file: set extra.paperfeed.for_you.{key}, e.g. {key}.txt")
    try:
        text = path.read_text("utf-8-sig") if path.exists() else HEADER.format(kind=kind)
    except (OSError, UnicodeDecodeError) as err:
        raise PaperfeedError(f"{path}: cannot read the {kind}s file: {err}") from None
    named = {line.split("#", 1)[0].strip() for line in text.splitlines()}
    if paper in named:
        return Liked(path, paper, added=False)
    if text and not text.endswith("\n"):
        text += "\n"
    temp = path.with_name(f".{path.name}.tmp")
    try:
        temp.write_text(text + paper + "\n", "utf-8")
        os.replace(temp, path)  # whole or not at all
    except OSError as err:
        raise PaperfeedError(f"{path}: cannot write the {kind}s file: {err.strerror}") from None
    return Liked(path, paper, added=True)
