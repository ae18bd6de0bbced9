"""Code links: found in a paper's text, else asked of a local stand-in for Hugging Face's paper
API; a 404, an error or a timeout is "no code", and a dead service stops being asked."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from harness import CAPTURED, FIXTURES, Routes, make_project, paperfeed, running, serve_routes
from paperfeed.archive import load_archive
from paperfeed.code_links import CODE_ASK_AGES, CodeFinder, due_for_asking, repo_from_hf_paper, repo_in_text
from paperfeed.fetch import FetchOptions, HttpFetcher
from records import T0, paper, record

CODE = FIXTURES / "code"
QUICK = FetchOptions(connect_timeout=2, read_timeout=0.5, total_timeout=2, retries=0)


def _fetcher() -> HttpFetcher:
    return HttpFetcher(user_agent="paperfeed-test", options=QUICK)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Code: https://github.com/example-lab/egreedy.", "https://github.com/example-lab/egreedy"),
        ("at github.com/Owner/repo.name.git and more", "https://github.com/Owner/repo.name"),
        ("see https://www.github.com/a-b/c_d/tree/main/src", "https://github.com/a-b/c_d"),
        ("https://github.com/features/actions is not a repo", None),
        ("https://github.com/onlyowner", None),
        ("https://notgithub.com/a/b and mygithub.com/a/b", None),
        ("no link at all", None),
    ],
)
def test_a_repository_is_read_from_text(text: str, expected: str | None) -> None:
    assert repo_in_text(text) == expected


def test_the_hf_paper_api_gives_its_github_repo() -> None:
    assert (
        repo_from_hf_paper((CODE / "hf-paper-with-code.json").read_bytes()) == "https://github.com/example-lab/egreedy"
    )
    assert repo_from_hf_paper((CODE / "hf-paper-without-code.json").read_bytes()) is None
    assert repo_from_hf_paper(b"<html>error</html>") is None
    assert repo_from_hf_paper(b'{"githubRepo": "javascript:alert(1)"}') is None


def test_text_is_read_before_anything_is_asked() -> None:
    finder = CodeFinder(fetch=_fetcher(), hf_base="http://127.0.0.1:9", pause=0)
    found = finder.code_for(paper(abstract="Code at github.com/x/y.", arxiv_id="2411.01234"))
    assert found == "https://github.com/x/y" and finder.asked == 0


def test_hugging_face_is_asked_and_a_404_means_no_code() -> None:
    routes = Routes()
    routes.add("/api/papers/2411.01234", (CODE / "hf-paper-with-code.json").read_bytes(), "application/json")
    routes.add("/api/papers/2411.05678", (CODE / "hf-paper-without-code.json").read_bytes(), "application/json")
    with serve_routes(routes) as base:
        finder = CodeFinder(fetch=_fetcher(), hf_base=base, pause=0)
        assert finder.code_for(paper(arxiv_id="2411.01234")) == "https://github.com/example-lab/egreedy"
        assert finder.code_for(paper(arxiv_id="2411.05678")) is None
        assert finder.code_for(paper(arxiv_id="2411.09999")) is None  # 404
        assert finder.code_for(paper("Known by title alone")) is None  # no id: nothing to ask
    assert routes.requests == ["/api/papers/2411.01234", "/api/papers/2411.05678", "/api/papers/2411.09999"]
    assert (finder.asked, finder.found, finder.gave_up) == (3, 1, False)
    assert finder.summary() == "code links: 1 found, 3 asked of Hugging Face"


def test_timeouts_and_errors_are_no_code_and_a_dead_service_stops_being_asked() -> None:
    served: list[str] = []

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.append(self.path)
            if self.path.endswith("2411.00001"):
                time.sleep(1.5)  # longer than the read timeout
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    with running(ThreadingHTTPServer(("127.0.0.1", 0), Slow)) as base:
        finder = CodeFinder(fetch=_fetcher(), hf_base=base, pause=0)
        results = [finder.code_for(paper(arxiv_id=f"2411.0000{i}")) for i in range(1, 6)]
    assert results == [None] * 5
    assert finder.gave_up and finder.asked == 3  # a timeout, then two 503s: the rest not asked
    assert len(served) == 3
    assert "stopped after 3 failures in a row" in finder.summary()


def test_requests_are_spaced_by_the_pause() -> None:
    waits: list[float] = []
    finder = CodeFinder(fetch=lambda url: b"{}", hf_base="http://x", pause=0.5, sleep=waits.append)
    for i in range(3):
        finder.code_for(paper(arxiv_id=f"2411.0000{i}"))
    assert waits == [0.5, 0.5]


def test_papers_without_code_are_asked_again_at_a_few_ages_then_never() -> None:
    def aged(days: int, **fields: object):
        return replace(record(f"2411.{days:05d}", arxiv_id=f"2411.{days:05d}", **fields), first_seen=T0)

    now = T0 + timedelta(days=0)
    records = [aged(0)]
    for days in range(20):
        now = T0 + timedelta(days=days)
        due = {r.id for r in due_for_asking(records, now)}
        assert due == ({"2411.00000"} if days in CODE_ASK_AGES and days > 0 else set()), days
    with_code = aged(1, links=(("code", "https://github.com/a/b"),))
    assert due_for_asking([with_code], T0 + timedelta(days=1)) == []
    no_id = replace(record("t-1", "Title only"), first_seen=T0)
    assert due_for_asking([no_id], T0 + timedelta(days=1)) == []


ARXIV_LISTING = CAPTURED / "arxiv" / "api_query_transformer_cs.LG_2026-06-14.atom.xml"


def _code_project(tmp_path: Path, base: str, require_code: bool = False) -> Path:
    extra = ", require_code: true" if require_code else ""
    return make_project(
        tmp_path / "project",
        "extra:\n  paperfeed:\n    find_code: true\n"
        f"    sources: {{hf: '{base}'}}\n"
        "    listings:\n"
        f"      - {{name: arxiv, source: text, url: '{ARXIV_LISTING}'{extra}}}\n",
    )


def test_a_paper_from_an_arxiv_listing_gains_its_code_link_and_failures_leave_the_night_green(
    tmp_path: Path,
) -> None:
    routes = Routes()
    body = (CODE / "hf-paper-with-code.json").read_bytes().replace(b"2411.01234", b"2606.13591")
    routes.add("/api/papers/2606.13591", body, "application/json")
    routes.add("/api/papers/2606.13568", b"upstream trouble", status=502)
    with serve_routes(routes) as base:
        project = _code_project(tmp_path, base)
        result = paperfeed(project, "update", check=True)
    archive = load_archive(project / "data")
    assert dict(archive["2606.13591"].paper.links)["code"] == "https://github.com/example-lab/egreedy"
    assert all("code" not in dict(archive[i].paper.links) for i in ("2606.13677", "2606.13568", "2606.13515"))
    asked = [path for path in routes.requests if path.startswith("/api/papers/")]
    assert asked == sorted(asked, key=asked.index) and sorted(asked) == sorted(f"/api/papers/{i}" for i in archive)
    assert "code links: 1 found" in result.stdout


def test_require_code_keeps_only_papers_with_code(tmp_path: Path) -> None:
    routes = Routes()
    body = (CODE / "hf-paper-with-code.json").read_bytes().replace(b"2411.01234", b"2606.13515")
    routes.add("/api/papers/2606.13515", body, "application/json")
    with serve_routes(routes) as base:
        project = _code_project(tmp_path, base, require_code=True)
        paperfeed(project, "update", check=True)
    assert list(load_archive(project / "data")) == ["2606.13515"]


class _Silent(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        time.sleep(8)  # longer than a lookup waits

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.slow
def test_a_silent_hugging_face_leaves_the_night_green(tmp_path: Path) -> None:
    """A server that never answers: the first lookups time out, the rest are not asked."""
    with running(ThreadingHTTPServer(("127.0.0.1", 0), _Silent)) as base:
        project = _code_project(tmp_path, base)
        started = time.monotonic()
        result = paperfeed(project, "update", check=True)
        took = time.monotonic() - started
    assert len(load_archive(project / "data")) == 5
    assert "stopped after 3 failures in a row" in result.stdout
    assert took < 60
