"""Code links for papers that arrive without one.

Two places know where a paper's code lives: its own text (authors often write "code at
github.com/owner/repo" in the abstract or comments) and Hugging Face's paper API
(`/api/papers/<arXiv id>`, field `githubRepo`), which authors and readers fill in for any arXiv
paper, whichever listing brought it here. The text is read first, since it costs nothing.

Code often appears days after a paper, so a paper still without code is asked about again at a
few ages (CODE_ASK_AGES, in days since first seen), then never again; the schedule follows from
the age alone, so nothing about the asking is stored. Asking is best effort: a 404, an error or
a timeout means "no code yet", never a failed night, and after MAX_FAILURES failures in a row
the night stops asking (the service is down; tomorrow's run asks again). GitHub's own search is
never used: it ranks forks and mirrors above the authors' repository.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from paperfeed.errors import NotFound, PaperfeedError
from paperfeed.fetch import Fetched
from paperfeed.model import Paper, Record

CODE_ASK_AGES = frozenset({0, 1, 3, 7, 13})
MAX_FAILURES = 3

# github.com/<owner>/<repo>, with or without a scheme. Owners are 1-39 letters, digits or
# hyphens; a repository name may hold dots, so a sentence's final period is taken off after.
_GITHUB = re.compile(
    r"(?<![\w.-])(?:https?://)?(?:www\.)?github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/([A-Za-z0-9._-]{1,100})",
    re.IGNORECASE,
)
# First path parts that are GitHub's own pages, not owners.
_NOT_OWNERS = frozenset(
    {"about", "apps", "collections", "enterprise", "events", "explore", "features", "login", "marketplace"}
    | {"orgs", "pricing", "search", "settings", "site", "sponsors", "topics", "trending", "users"}
)


def repo_in_text(*texts: str) -> str | None:
    """The first GitHub repository named in the texts, as https://github.com/owner/repo."""
    for text in texts:
        if "github" not in text.lower():
            continue
        for match in _GITHUB.finditer(text):
            owner, repo = match.group(1), match.group(2).rstrip(".")
            repo = repo.removesuffix(".git")
            if owner.lower() in _NOT_OWNERS or not repo or repo in {".", ".."}:
                continue
            return f"https://github.com/{owner}/{repo}"
    return None


def repo_from_hf_paper(data: bytes) -> str | None:
    """`githubRepo` of a Hugging Face /api/papers/<id> response, when it is a GitHub URL."""
    try:
        payload = json.loads(data)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    value = payload.get("githubRepo") if isinstance(payload, dict) else None
    return repo_in_text(value) if isinstance(value, str) else None


def texts_of(paper: Paper) -> tuple[str, ...]:
    """Where a paper's own text may name its code: the abstract, summary and authors' comment."""
    return paper.abstract, paper.summary, paper.comment


def has_code(paper: Paper) -> bool:
    return any(kind == "code" for kind, _ in paper.links)


def with_code(paper: Paper, url: str) -> Paper:
    return replace(paper, links=tuple(sorted({**dict(paper.links), "code": url}.items())))


@dataclass
class CodeFinder:
    """Finds code for papers: their text first, then Hugging Face's paper API.

    `fetch` is the run's polite fetcher (User-Agent, timeouts); `pause` seconds pass between
    two requests. Counts what it did for the night's summary line."""

    fetch: Callable[[str], Fetched | bytes]
    hf_base: str
    pause: float = 0.5
    sleep: Callable[[float], None] = time.sleep
    asked: int = 0
    found: int = 0
    failures_in_a_row: int = 0
    gave_up: bool = False
    _asked_before: bool = field(default=False, repr=False)

    def code_for(self, paper: Paper, *, ask: bool = True) -> str | None:
        """The paper's code URL, or None. `ask=False` reads only its text."""
        url = repo_in_text(*texts_of(paper))
        if url is None and ask and paper.arxiv_id and not self.gave_up:
            url = self._ask(paper.arxiv_id)
        if url is not None:
            self.found += 1
        return url

    def _ask(self, arxiv_id: str) -> str | None:
        if self._asked_before and self.pause > 0:
            self.sleep(self.pause)
        self._asked_before = True
        self.asked += 1
        try:
            response = self.fetch(f"{self.hf_base}/api/papers/{arxiv_id}")
        except NotFound:  # Hugging Face does not know the paper: an answer, not a failure
            self.failures_in_a_row = 0
            return None
        except PaperfeedError:
            self.failures_in_a_row += 1
            self.gave_up = self.failures_in_a_row >= MAX_FAILURES
            return None
        self.failures_in_a_row = 0
        return repo_from_hf_paper(response.body if isinstance(response, Fetched) else response)

    def summary(self) -> str:
        stopped = f"; stopped after {MAX_FAILURES} failures in a row, the rest wait for the next run" * self.gave_up
        return f"code links: {self.found} found, {self.asked} asked of Hugging Face{stopped}"


def age_in_days(record: Record, now: datetime) -> int:
    return (now.date() - record.first_seen.date()).days


def due_for_asking(records: Iterable[Record], now: datetime) -> list[Record]:
    """Archived arXiv papers without code whose age is on the asking schedule, oldest first
    (the newest night's papers are asked about as they arrive)."""
    due = [
        record
        for record in records
        if record.paper.arxiv_id
        and not has_code(record.paper)
        and 0 < age_in_days(record, now) < max(CODE_ASK_AGES) + 1
        and age_in_days(record, now) in CODE_ASK_AGES
    ]
    return sorted(due, key=lambda record: (record.first_seen, record.id))
