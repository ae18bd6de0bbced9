"""Format detection, the URLs each source builds, and reading a listing end to end (offline)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from harness import CAPTURED, FIXTURES
from paperfeed.config import ListingConfig, Settings, SourceURLs
from paperfeed.errors import ListingError, SourceError
from paperfeed.fetch import Fetched
from paperfeed.ingest import ingest_listing, listing_location, read_listing
from paperfeed.sources import FORMATS, SOURCES, detect_format

NOW = datetime(2026, 11, 27, 6, 17, tzinfo=UTC)  # a Friday
SAMPLES = FIXTURES / "sources"

# Each hand-written payload is detected as the format of its folder, except search results
# nested like daily papers: the daily-papers format takes them, and parses them the same way.
DETECTED_AS_ANOTHER = {"hf-search/search.json": "hf-api"}
PAYLOADS = sorted(
    p.relative_to(SAMPLES).as_posix()
    for p in SAMPLES.glob("*/*")
    if p.parent.name != "drifted" and not p.name.endswith(".expected.json")
)


@pytest.mark.parametrize("relative", PAYLOADS)
def test_detection_by_content(relative: str) -> None:
    path = SAMPLES / relative
    expected = DETECTED_AS_ANOTHER.get(relative, path.parent.name)
    assert detect_format(path.read_bytes(), str(path)) == expected


# What each trimmed real payload (tests/fixtures/captured/) is detected as.
DETECTED_REAL = {
    "hf/daily_papers_api_2026-06-12.json": "hf-api",
    "hf/daily_papers_api_2026-07-31.json": "hf-api",
    "hf/papers_page_2024-08-01.html": "hf-html",
    "arxiv/api_query_transformer_cs.LG_2026-06-14.atom.xml": "arxiv-api",
    "arxiv/rss_cs.AI_2026-04-27.xml": "arxiv-rss",
    "arxiv/rss_multi_cs.LG-cs.AI-cs.CL-stat.ML_2026-09-24.xml": "arxiv-rss",
    "listings/seed-listing.txt": "text",
}


def test_every_real_payload_is_listed_for_detection() -> None:
    assert {p.relative_to(CAPTURED).as_posix() for p in CAPTURED.glob("*/*")} == set(DETECTED_REAL)


@pytest.mark.parametrize(("relative", "expected"), sorted(DETECTED_REAL.items()))
def test_detection_of_real_payloads(relative: str, expected: str) -> None:
    path = CAPTURED / relative
    assert detect_format(path.read_bytes(), str(path)) == expected


def test_plain_text_is_detected_last() -> None:
    assert list(FORMATS)[-1] == "text"


def test_every_source_reads_a_registered_format_or_detects_one() -> None:
    assert all(spec.format is None or FORMATS[spec.format.name] is spec.format for spec in SOURCES.values())
    # The sources that read files detect the format; those that build a URL know what comes back.
    assert all(spec.format is not None for spec in SOURCES.values() if spec.url is not None)
    assert SOURCES["hf-daily"].format is FORMATS["hf-api"] and SOURCES["text"].format is None


# -- URLs --------------------------------------------------------------------------------------


def _settings(tmp_path: Path, **sources: str) -> Settings:
    return Settings(
        site_name="Papers",
        site_url="https://example.org/papers/",
        repo_url="https://example.org/repo",
        sources=SourceURLs(**sources),
        config_path=tmp_path / "mkdocs.yml",
        data_dir=tmp_path / "data",
    )


def _url(tmp_path: Path, **listing: object) -> str:
    config = ListingConfig(name="l", **listing)  # type: ignore[arg-type]
    return listing_location(config, _settings(tmp_path), NOW)


@pytest.mark.parametrize(
    ("listing", "expected"),
    [
        ({"source": "hf-daily"}, "https://huggingface.co/api/daily_papers?date=2026-11-27&limit=100"),
        (
            {"source": "hf-daily", "date": "yesterday", "sort": "trending", "limit": 20},
            "https://huggingface.co/api/daily_papers?date=2026-11-26&sort=trending&limit=20",
        ),
        ({"source": "hf-daily", "date": "week"}, "https://huggingface.co/api/daily_papers?week=2026-W48&limit=100"),
        ({"source": "hf-daily", "date": "month"}, "https://huggingface.co/api/daily_papers?month=2026-11&limit=100"),
        (
            {"source": "hf-daily", "date": "2026-01-05"},
            "https://huggingface.co/api/daily_papers?date=2026-01-05&limit=100",
        ),
        ({"source": "hf-page"}, "https://huggingface.co/papers/date/2026-11-27"),
        ({"source": "hf-page", "date": "week"}, "https://huggingface.co/papers/week/2026-W48"),
        ({"source": "hf-page", "date": "month"}, "https://huggingface.co/papers/month/2026-11"),
        ({"source": "hf-page", "sort": "trending"}, "https://huggingface.co/papers/trending"),
        (
            {"source": "hf-search", "query": 'diffusion & "flow matching"'},
            "https://huggingface.co/api/papers/search?q=diffusion%20%26%20%22flow%20matching%22",
        ),
        (
            {"source": "arxiv-api", "query": "all:transformer AND cat:cs.LG", "limit": 50},
            "https://export.arxiv.org/api/query?search_query=all:transformer%20AND%20cat:cs.LG"
            "&sortBy=submittedDate&sortOrder=descending&max_results=50",
        ),
        ({"source": "arxiv-rss", "category": "cs.LG+stat.ML"}, "https://rss.arxiv.org/rss/cs.LG+stat.ML"),
        ({"source": "arxiv-rss", "category": "cs.LG/../x y"}, "https://rss.arxiv.org/rss/cs.LG%2F..%2Fx%20y"),
        ({"source": "hf-daily", "url": "https://mirror.example/daily.json"}, "https://mirror.example/daily.json"),
    ],
)
def test_source_urls(tmp_path: Path, listing: dict[str, object], expected: str) -> None:
    assert _url(tmp_path, **listing) == expected


def test_arxiv_query_survives_a_round_trip(tmp_path: Path) -> None:
    query = 'ti:"large language" AND (cat:cs.CL OR cat:cs.LG) ANDNOT abs:survey'
    url = _url(tmp_path, source="arxiv-api", query=query)
    assert parse_qs(urlsplit(url).query)["search_query"] == [query]


def test_base_urls_are_configurable(tmp_path: Path) -> None:
    settings = _settings(tmp_path, hf="http://127.0.0.1:9999/hf", arxiv_rss="http://127.0.0.1:9999/rss")
    daily = ListingConfig(name="d", source="hf-daily")
    rss = ListingConfig(name="r", source="arxiv-rss", category="cs.AI")
    assert listing_location(daily, settings, NOW).startswith("http://127.0.0.1:9999/hf/api/daily_papers?")
    assert listing_location(rss, settings, NOW) == "http://127.0.0.1:9999/rss/rss/cs.AI"


def test_an_impossible_date_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"listing 'l': date '2026-02-30' is not a real day"):
        _url(tmp_path, source="hf-daily", date="2026-02-30")


# -- reading a listing ---------------------------------------------------------------------------


def _serve(relative: str) -> tuple[list[str], Callable[[str], Fetched]]:
    asked: list[str] = []
    body = (SAMPLES / relative).read_bytes()

    def fetch(url: str) -> Fetched:
        asked.append(url)
        return Fetched(url=url, body=body, content_type="application/json")

    return asked, fetch


def test_ingest_returns_papers_skipped_count_and_the_response(tmp_path: Path) -> None:
    asked, fetch = _serve("hf-api/hostile.json")
    config = ListingConfig(name="hf", source="hf-daily", date="2026-06-12")
    result = ingest_listing(config, _settings(tmp_path), NOW, fetch)
    assert asked == ["https://huggingface.co/api/daily_papers?date=2026-06-12&limit=100"]
    assert result.listing.name == "hf"
    assert len(result.listing.papers) == 4
    assert result.listing.skipped == 3
    assert result.fetched is not None and result.fetched.url == asked[0]


def test_filters_apply_after_parsing(tmp_path: Path) -> None:
    _, fetch = _serve("hf-api/hostile.json")
    config = ListingConfig(name="hf", source="hf-daily", min_upvotes=10)
    listing = read_listing(config, _settings(tmp_path), NOW, fetch)
    assert [p.arxiv_id for p in listing.papers] == ["2606.00001"]


@pytest.mark.parametrize(
    ("source", "relative", "extra"),
    [
        ("hf-daily", "hf-api/empty-day.json", {}),
        ("hf-page", "hf-html/empty-day.html", {}),
        ("arxiv-rss", "arxiv-rss/weekend.xml", {"category": "physics"}),
        ("arxiv-api", "arxiv-api/no-results.xml", {"query": "all:zzzzqqqq"}),
    ],
)
def test_a_quiet_day_is_not_an_error(tmp_path: Path, source: str, relative: str, extra: dict[str, str]) -> None:
    _, fetch = _serve(relative)
    config = ListingConfig(name="quiet", source=source, **extra)  # type: ignore[arg-type]
    listing = read_listing(config, _settings(tmp_path), NOW, fetch)
    assert listing.papers == ()


def test_a_drifted_payload_names_the_listing(tmp_path: Path) -> None:
    _, fetch = _serve("drifted/hf-api-object.json")
    config = ListingConfig(name="hf", source="hf-daily")
    with pytest.raises(SourceError) as caught:
        read_listing(config, _settings(tmp_path), NOW, fetch)
    message = str(caught.value)
    assert message.startswith("listing 'hf': https://huggingface.co/api/daily_papers?")
    assert "format drifted" in message


def test_a_fetch_error_names_the_listing(tmp_path: Path) -> None:
    def fetch(url: str) -> bytes:
        raise SourceError(f"{url}: HTTP 503 Service Unavailable (after 4 attempts); run again later")

    config = ListingConfig(name="rss", source="arxiv-rss", category="cs.AI")
    with pytest.raises(SourceError, match=r"^listing 'rss': https://rss.arxiv.org/rss/cs.AI: HTTP 503"):
        read_listing(config, _settings(tmp_path), NOW, fetch)


def test_a_fetcher_returning_bytes_still_works(tmp_path: Path) -> None:
    body = (SAMPLES / "arxiv-rss/mixed.xml").read_bytes()
    config = ListingConfig(name="rss", source="arxiv-rss", category="cs.LG")
    result = ingest_listing(config, _settings(tmp_path), NOW, lambda url: body)
    assert len(result.listing.papers) == 3
    assert result.listing.skipped == 2
    assert result.fetched is None


def test_a_text_listing_still_requires_papers(tmp_path: Path) -> None:
    listing_file = tmp_path / "listing.txt"
    listing_file.write_text("Subscribe\n", "utf-8")
    config = ListingConfig(name="t", source="text", url=str(listing_file))
    with pytest.raises(ListingError, match="no papers found"):
        read_listing(config, _settings(tmp_path), NOW)


def test_a_text_listing_may_point_at_a_saved_payload(tmp_path: Path) -> None:
    config = ListingConfig(name="saved", source="text", url=str(SAMPLES / "arxiv-rss/mixed.xml"))
    listing = read_listing(config, _settings(tmp_path), NOW)
    assert listing.skipped == 2
    assert [p.arxiv_id for p in listing.papers][:1] == ["2611.00001"]
