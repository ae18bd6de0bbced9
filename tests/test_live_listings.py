"""Four live listings end to end: the real CLI fetching trimmed real Hugging Face and arXiv
payloads from a local server, the real MkDocs build, and every failure leaving data/ and
docs/ as they were."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from feedcheck import validate_atom
from harness import CAPTURED, Response, Routes, make_project, paperfeed, serve_routes, tree_state

LISTINGS = [
    {"name": "hf-daily", "source": "hf-daily", "date": "2026-06-12"},
    {"name": "hf-search", "source": "hf-search", "query": "diffusion"},
    {"name": "arxiv-cs-ai", "source": "arxiv-rss", "category": "cs.AI"},
    {"name": "arxiv-query", "source": "arxiv-api", "query": "all:transformer AND cat:cs.LG"},
]


def _routes() -> Routes:
    daily = (CAPTURED / "hf" / "daily_papers_api_2026-06-12.json").read_bytes()
    # The search result repeats two papers of the daily list: they must stay one record each.
    search = json.dumps(json.loads(daily)[:2]).encode()
    routes = Routes()
    routes.add("/api/daily_papers", daily, "application/json")
    routes.add("/api/papers/search", search, "application/json")
    routes.add("/rss/cs.AI", (CAPTURED / "arxiv" / "rss_cs.AI_2026-04-27.xml").read_bytes(), "application/rss+xml")
    routes.add(
        "/api/query",
        (CAPTURED / "arxiv" / "api_query_transformer_cs.LG_2026-06-14.atom.xml").read_bytes(),
        "application/atom+xml",
    )
    return routes


def _configure(project: Path, base: str) -> Path:
    """A scratch project whose four listings are fetched from the local server at `base`."""
    settings = {
        "extra": {
            "paperfeed": {
                "listings": LISTINGS,
                "sources": {"hf": base, "arxiv_api": base, "arxiv_rss": base},
            }
        }
    }
    return make_project(project, yaml.safe_dump(settings, sort_keys=False))


@pytest.mark.slow
def test_four_live_listings_build_one_valid_feed_each_and_no_duplicates(tmp_path: Path) -> None:
    routes = _routes()
    with serve_routes(routes) as base:
        project = _configure(tmp_path, base)
        result = paperfeed(project, "run")
    assert result.returncode == 0, result.stderr
    assert {path.split("?")[0] for path in routes.requests} == set(routes.responses)
    site = project / "site"
    counts = {}
    for listing in LISTINGS:
        parsed = validate_atom((site / "feeds" / f"{listing['name']}.xml").read_bytes())
        counts[listing["name"]] = len(parsed.entries)
    assert counts == {"hf-daily": 5, "hf-search": 2, "arxiv-cs-ai": 3, "arxiv-query": 5}
    combined = validate_atom((site / "feed.xml").read_bytes())
    links = [entry.link for entry in combined.entries]
    assert len(links) == len(set(links))
    # 5 + 3 + 5 distinct papers; the two search results are papers of the daily list.
    assert len(combined.entries) == 13
    archived = [json.loads(line) for shard in (project / "data" / "papers").glob("*.jsonl") for line in shard.open()]
    searched = {r["id"] for r in archived if "hf-search" in r["listings"]}
    assert len(searched) == 2 and all("hf-daily" in r["listings"] for r in archived if r["id"] in searched)
    assert list((project / ".paperfeed-cache" / "raw").glob("*/*.gz"))
    assert not (project / "data" / "raw").exists()


FAILURES = {
    "server error": ("/api/query", Response(500, b"down")),
    "not found": ("/rss/cs.AI", Response(404, b"gone")),
    "drifted format": ("/api/daily_papers", Response(200, b'{"error": "moved"}', "application/json")),
    "embedded JSON gone": ("/api/papers/search", Response(200, b"<html><body>redesigned</body></html>", "text/html")),
}


@pytest.mark.slow
@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_failing_listing_exits_non_zero_and_changes_nothing(tmp_path: Path, failure: str) -> None:
    routes = _routes()
    with serve_routes(routes) as base:
        project = _configure(tmp_path, base)
        assert paperfeed(project, "run", "--no-build").returncode == 0
        before = tree_state(project / "data", project / "docs")
        path, response = FAILURES[failure]
        routes.responses[path] = response
        result = paperfeed(project, "run", "--no-build", epoch="1764310620")
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    failing = next(item["name"] for item in LISTINGS if _route_of(item) == path)
    assert f"listing {failing!r}" in line and base in line, line
    assert tree_state(project / "data", project / "docs") == before


def _route_of(listing: dict[str, str]) -> str:
    return {
        "hf-daily": "/api/daily_papers",
        "hf-search": "/api/papers/search",
        "arxiv-rss": "/rss/cs.AI",
        "arxiv-api": "/api/query",
    }[listing["source"]]
