"""The HTTP fetcher against a real server on 127.0.0.1, and the keeping of raw responses.

No test reaches the internet and none waits on backoff: `sleep` is a recorder.
"""

from __future__ import annotations

import gzip
import json
import socket
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from harness import FIXTURES, running
from paperfeed import __version__
from paperfeed.config import ListingConfig, Settings, SourceURLs
from paperfeed.errors import SourceError
from paperfeed.fetch import (
    CACHE_FILE,
    RAW_DIR,
    Fetched,
    FetchOptions,
    HttpFetcher,
    adopt_legacy_raw,
    keep_latest,
    load_http_cache,
    make_fetcher,
    retry_after_seconds,
    save_raw,
    user_agent,
)
from paperfeed.ingest import ingest_listing

BODY = (FIXTURES / "sources" / "hf-api" / "hostile.json").read_bytes()
RSS = (FIXTURES / "sources" / "arxiv-rss" / "mixed.xml").read_bytes()
NOW = datetime(2026, 11, 27, 6, 17, tzinfo=UTC)
UA = "paperfeed/test (+https://example.org/repo)"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits: dict[str, int] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (timeouts, size cap) leaves a broken pipe behind


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        headers.setdefault("Content-Type", "application/json")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        self.server.requests.append((self.path, dict(self.headers.items())))
        hits = self.server.hits[path] = self.server.hits.get(path, 0) + 1
        route = getattr(self, "route_" + path.strip("/").replace("-", "_").replace("/", "_"), None)
        if route is None:
            self._send(404, b'{"error": "not found"}')
        else:
            route(hits)

    def route_ok(self, hits: int) -> None:
        self._send(200, BODY)

    def route_api_daily_papers(self, hits: int) -> None:
        self._send(200, BODY, ETag='"daily"')

    def route_flaky(self, hits: int) -> None:
        if hits == 1:
            self._send(500, b"oops", Content_Type="text/plain")
        else:
            self._send(200, BODY)

    def route_down(self, hits: int) -> None:
        self._send(503, b"down", Content_Type="text/plain")

    def route_limited(self, hits: int) -> None:
        if hits == 1:
            self._send(429, b"slow down", Retry_After="7")
        else:
            self._send(200, BODY)

    def route_limited_date(self, hits: int) -> None:
        if hits == 1:
            self._send(429, b"", Retry_After="Fri, 27 Nov 2026 06:17:30 GMT")
        else:
            self._send(200, BODY)

    def route_limited_long(self, hits: int) -> None:
        if hits == 1:
            self._send(503, b"", Retry_After="86400")
        else:
            self._send(200, BODY)

    def route_slow(self, hits: int) -> None:
        time.sleep(1.0)
        self._send(200, BODY)

    def route_trickle(self, hits: int) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        for _ in range(100):
            self.wfile.write(b"[" * 10)
            self.wfile.flush()
            time.sleep(0.05)

    def route_big(self, hits: int) -> None:
        self._send(200, b"x" * 5000)

    def route_big_stream(self, hits: int) -> None:
        self.close_connection = True
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        for _ in range(50):
            self.wfile.write(b"x" * 100)

    def route_gzip(self, hits: int) -> None:
        self._send(200, gzip.compress(BODY), Content_Encoding="gzip")

    def route_gzip_bomb(self, hits: int) -> None:
        self._send(200, gzip.compress(b"\0" * 2_000_000), Content_Encoding="gzip")

    def route_etag(self, hits: int) -> None:
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.send_header("ETag", '"v1"')
            self.end_headers()
        else:
            self._send(
                200, RSS, Content_Type="application/rss+xml", ETag='"v1"', Last_Modified="Tue, 10 Nov 2026 05:00:00 GMT"
            )

    def route_redirect(self, hits: int) -> None:
        self._send(302, b"", Location="/ok")

    def route_loop(self, hits: int) -> None:
        self._send(301, b"", Location="/loop")


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    instance = _Server()
    with running(instance):
        yield instance


@pytest.fixture
def base(server: _Server) -> Iterator[str]:
    server.hits.clear()
    server.requests.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"


def _fetcher(sleeps: list[float] | None = None, cache_dir: Path | None = None, **options: float) -> HttpFetcher:
    settings = {"connect_timeout": 1.0, "read_timeout": 1.0, "retries": 2, "backoff": 1.5, **options}
    return HttpFetcher(
        user_agent=UA,
        cache_dir=cache_dir,
        options=FetchOptions(**settings),  # type: ignore[arg-type]
        sleep=(sleeps.append if sleeps is not None else _no_sleep),
        clock=NOW.timestamp,
    )


def _no_sleep(seconds: float) -> None:
    pass


def _error(fetcher: Callable[[str], Fetched], url: str) -> str:
    with pytest.raises(SourceError) as caught:
        fetcher(url)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(url + ": ")
    return message


# -- what a request looks like -------------------------------------------------------------------


def test_user_agent_names_the_configured_project() -> None:
    assert user_agent("https://example.org/repo") == f"paperfeed/{__version__} (+https://example.org/repo)"
    assert user_agent("") == f"paperfeed/{__version__}"


def test_make_fetcher_takes_repo_url_then_site_url(tmp_path: Path) -> None:
    settings = Settings(site_name="P", site_url="https://me.example/papers/", data_dir=tmp_path)
    assert make_fetcher(settings).user_agent.endswith("(+https://me.example/papers/)")
    with_repo = Settings(site_name="P", site_url="https://me.example/", repo_url="https://git.example/me/p")
    assert make_fetcher(with_repo).user_agent.endswith("(+https://git.example/me/p)")


def test_ok_response_and_headers_sent(server: _Server, base: str) -> None:
    fetched = _fetcher()(base + "/ok?date=2026-11-27")
    assert fetched.status == 200
    assert fetched.body == BODY
    assert fetched.content_type == "application/json"
    assert fetched.fetched_at == NOW
    path, headers = server.requests[0]
    assert path == "/ok?date=2026-11-27"
    assert headers["User-Agent"] == UA
    assert "gzip" in headers["Accept-Encoding"]
    assert "If-None-Match" not in headers


def test_gzip_bodies_are_decompressed(base: str) -> None:
    assert _fetcher()(base + "/gzip").body == BODY


def test_redirects_are_followed(base: str) -> None:
    fetched = _fetcher()(base + "/redirect")
    assert fetched.body == BODY
    assert fetched.url == base + "/redirect"
    assert fetched.final_url == base + "/ok"


def test_a_redirect_loop_stops(base: str) -> None:
    assert "more than 5 redirects" in _error(_fetcher(), base + "/loop")


# -- retries --------------------------------------------------------------------------------------


def test_a_server_error_is_retried_with_backoff(server: _Server, base: str) -> None:
    sleeps: list[float] = []
    assert _fetcher(sleeps)(base + "/flaky").body == BODY
    assert server.hits["/flaky"] == 2
    assert sleeps == [1.5]


def test_persistent_server_errors_give_up_with_advice(server: _Server, base: str) -> None:
    sleeps: list[float] = []
    message = _error(_fetcher(sleeps), base + "/down")
    assert server.hits["/down"] == 3
    assert sleeps == [1.5, 3.0]  # exponential
    assert "HTTP 503 Service Unavailable (after 3 attempts)" in message
    assert "run again later" in message


def test_retry_after_seconds_is_honoured(base: str) -> None:
    sleeps: list[float] = []
    assert _fetcher(sleeps)(base + "/limited").body == BODY
    assert sleeps == [7.0]


def test_retry_after_http_date_is_honoured(base: str) -> None:
    sleeps: list[float] = []
    assert _fetcher(sleeps)(base + "/limited-date").body == BODY
    assert sleeps == [30.0]  # the date is 30 s after the fetcher's clock


def test_retry_after_is_capped(base: str) -> None:
    sleeps: list[float] = []
    assert _fetcher(sleeps, max_wait=60)(base + "/limited-long").body == BODY
    assert sleeps == [60.0]


def test_client_errors_are_not_retried(server: _Server, base: str) -> None:
    message = _error(_fetcher(), base + "/missing")
    assert server.hits["/missing"] == 1
    assert "HTTP 404 Not Found; no such page; check the listing's url" in message


def test_connection_refused_is_retried_then_reported() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps: list[float] = []
    message = _error(_fetcher(sleeps), f"http://127.0.0.1:{port}/x")
    assert "cannot connect" in message
    assert "(after 3 attempts)" in message
    assert sleeps == [1.5, 3.0]


def test_a_slow_server_times_out(server: _Server, base: str) -> None:
    started = time.monotonic()
    message = _error(_fetcher(read_timeout=0.2, retries=1), base + "/slow")
    assert "no response within 0.2s (after 2 attempts)" in message
    assert server.hits["/slow"] == 2
    assert time.monotonic() - started < 1.5


def test_a_trickling_server_hits_the_total_deadline(base: str) -> None:
    started = time.monotonic()
    message = _error(_fetcher(retries=0, total_timeout=0.3), base + "/trickle")
    assert "the response took longer than 0.3s (after 1 attempt)" in message
    assert time.monotonic() - started < 1.5


# -- the size cap ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/big", "/big-stream", "/gzip-bomb"])
def test_oversized_bodies_are_refused_without_retrying(server: _Server, base: str, path: str) -> None:
    message = _error(_fetcher(max_bytes=1000), base + path)
    assert "larger than 1,000 bytes" in message
    assert server.hits[path] == 1


def test_bad_urls_are_one_line_errors() -> None:
    fetcher = _fetcher()
    assert "not an http(s) URL" in _error(fetcher, "ftp://example.org/x")
    assert "not a valid URL" in _error(fetcher, "http://127.0.0.1:1/a b")
    assert "not a valid URL" in _error(fetcher, "http://127.0.0.1:1/caf\u00e9")
    assert "the port is not a number" in _error(fetcher, "http://127.0.0.1:port/x")


def test_retry_after_parsing() -> None:
    now = NOW.timestamp()
    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds("Fri, 27 Nov 2026 06:18:00 GMT", now) == 60
    assert retry_after_seconds("Thu, 26 Nov 2026 06:18:00 GMT", now) == 0  # in the past
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


# -- raw responses and conditional requests ---------------------------------------------------------


def test_raw_is_kept_and_a_304_reuses_it(server: _Server, base: str, tmp_path: Path) -> None:
    url = base + "/etag"
    first = _fetcher(cache_dir=tmp_path)(url)
    assert (first.status, first.etag) == (200, '"v1"')
    kept = save_raw(tmp_path, "arxiv-rss", first, keep=5)
    assert kept == tmp_path / RAW_DIR / "arxiv-rss" / "20261127T061700Z.xml.gz"
    assert gzip.decompress(kept.read_bytes()) == RSS
    cache = json.loads((tmp_path / RAW_DIR / CACHE_FILE).read_text("utf-8"))
    assert cache[url] == {
        "content_type": "application/rss+xml",
        "etag": '"v1"',
        "last_modified": "Tue, 10 Nov 2026 05:00:00 GMT",
        "raw": "arxiv-rss/20261127T061700Z.xml.gz",
    }

    second = _fetcher(cache_dir=tmp_path)(url)
    _, headers = server.requests[-1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Tue, 10 Nov 2026 05:00:00 GMT"
    assert second.not_modified
    assert second.body == RSS
    assert second.reused_raw == "arxiv-rss/20261127T061700Z.xml.gz"
    assert save_raw(tmp_path, "arxiv-rss", second, keep=5) == kept
    assert len(list((tmp_path / RAW_DIR / "arxiv-rss").iterdir())) == 1


def test_a_304_without_the_kept_body_is_not_trusted(server: _Server, base: str, tmp_path: Path) -> None:
    url = base + "/etag"
    save_raw(tmp_path, "rss", _fetcher(cache_dir=tmp_path)(url), keep=5)
    for kept in (tmp_path / RAW_DIR / "rss").iterdir():
        kept.unlink()
    again = _fetcher(cache_dir=tmp_path)(url)
    assert (again.status, again.body) == (200, RSS)
    assert "If-None-Match" not in server.requests[-1][1]


def test_ingest_through_the_fetcher_then_keep_the_raw(server: _Server, base: str, tmp_path: Path) -> None:
    settings = Settings(
        site_name="P",
        site_url="https://me.example/",
        sources=SourceURLs(hf=base),
        config_path=tmp_path / "mkdocs.yml",
        data_dir=tmp_path / "data",
    )
    listing = ListingConfig(name="hf-daily", source="hf-daily", date="yesterday", limit=30)
    fetcher = make_fetcher(settings, sleep=_no_sleep)
    result = ingest_listing(listing, settings, NOW, fetcher)
    assert server.requests[-1][0] == "/api/daily_papers?date=2026-11-26&limit=30"
    assert (len(result.listing.papers), result.listing.skipped) == (4, 3)
    assert result.fetched is not None
    kept = save_raw(settings.cache_dir, result.listing.name, result.fetched, settings.keep_raw)
    assert kept is not None and kept.parent == tmp_path / ".paperfeed-cache" / "raw" / "hf-daily"
    assert kept.name.endswith(".json.gz")
    assert gzip.decompress(kept.read_bytes()) == BODY


def _fetched(second: int, body: bytes = b"[]") -> Fetched:
    return Fetched(
        url="https://example.org/x",
        body=body,
        content_type="application/json; charset=utf-8",
        etag=f'"{second}"',
        fetched_at=datetime(2026, 11, 27, 6, 17, second, tzinfo=UTC),
    )


def test_raw_files_are_bounded_per_listing(tmp_path: Path) -> None:
    folder = tmp_path / RAW_DIR / "hf-daily"
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("not ours", "utf-8")
    for second in range(5):
        save_raw(tmp_path, "hf-daily", _fetched(second), keep=3)
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "20261127T061702Z.json.gz",
        "20261127T061703Z.json.gz",
        "20261127T061704Z.json.gz",
        "notes.txt",
    ]
    assert load_http_cache(tmp_path)["https://example.org/x"]["etag"] == '"4"'


def test_keep_zero_keeps_nothing(tmp_path: Path) -> None:
    save_raw(tmp_path, "hf-daily", _fetched(1), keep=2)
    assert save_raw(tmp_path, "hf-daily", _fetched(2), keep=0) is None
    assert list((tmp_path / RAW_DIR / "hf-daily").iterdir()) == []
    assert load_http_cache(tmp_path) == {}


def test_raw_saving_rejects_odd_listing_names(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a listing name"):
        save_raw(tmp_path, "../escape", _fetched(1), keep=2)


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    (tmp_path / RAW_DIR).mkdir()
    (tmp_path / RAW_DIR / CACHE_FILE).write_text("{not json", "utf-8")
    assert load_http_cache(tmp_path) == {}
    (tmp_path / RAW_DIR / CACHE_FILE).write_text(json.dumps({"u": {"etag": "x", "raw": "../../etc/passwd"}}), "utf-8")
    assert load_http_cache(tmp_path) == {}


def test_latest_holds_only_this_runs_responses(tmp_path: Path) -> None:
    first = save_raw(tmp_path, "hf-daily", _fetched(1), keep=3)
    assert first is not None
    keep_latest(tmp_path, [first])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "latest").rglob("*.gz")) == [
        "latest/hf-daily/20261127T061701Z.json.gz"
    ]
    keep_latest(tmp_path, [])  # a night that fetched nothing new: nothing to upload
    assert not (tmp_path / "latest").exists()
    assert first.exists(), "latest/ holds copies; the kept responses stay"


def test_raw_responses_under_data_move_to_the_cache(tmp_path: Path) -> None:
    data, cache = tmp_path / "data", tmp_path / "cache"
    old = save_raw(data, "hf-daily", _fetched(1), keep=3)  # where older versions kept them
    assert old is not None and (data / RAW_DIR / CACHE_FILE).is_file()
    (data / "papers").mkdir()
    newer = save_raw(cache, "arxiv-rss", _fetched(2), keep=3)  # the cache restored by the workflow
    assert newer is not None

    assert adopt_legacy_raw(data, cache) is True
    assert not (data / RAW_DIR).exists() and (data / "papers").is_dir()
    moved = cache / RAW_DIR / "hf-daily" / old.name
    assert gzip.decompress(moved.read_bytes()) == b"[]"
    assert newer.exists()
    # The cache's own validators win; the old file's body is still there to replay.
    assert load_http_cache(cache)["https://example.org/x"]["raw"] == "arxiv-rss/20261127T061702Z.json.gz"
    assert adopt_legacy_raw(data, cache) is False
