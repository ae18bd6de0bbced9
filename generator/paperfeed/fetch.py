"""Fetching: the one HTTP client every source goes through, and the keeping of raw responses.

`HttpFetcher` GETs a URL and returns its bytes and metadata (`Fetched`). It has separate
connect and read timeouts plus a deadline for the whole body, follows redirects, retries
connection failures, timeouts, 429 and 5xx with exponential backoff (honouring Retry-After,
capped), refuses bodies over a size cap, identifies itself with a User-Agent naming the
project's URL, and makes conditional requests (ETag / Last-Modified) when a body kept from
an earlier run can stand in for a 304. Every failure is a one-line SourceError: what, the
URL, what to do. Parsers never see this module; they get bytes.

Raw responses are kept by `save_raw`, called once the run has succeeded, in the cache folder
(settings.cache_dir, `.paperfeed-cache/`, which git ignores): raw/<listing>/<UTC time>.<ext>.gz,
newest `keep` per listing, with the validators for the next conditional request in
raw/http-cache.json. The fetcher only reads those files. They stay out of git because they are
binary and change nearly every night: the nightly workflow keeps the folder in the Actions
cache and uploads each night's new responses as a short-lived artifact instead.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import shutil
import socket
import ssl
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from paperfeed import __version__
from paperfeed.errors import ArchiveError, NotFound, SourceError

if TYPE_CHECKING:
    from paperfeed.config import Settings

RAW_DIR = "raw"
LATEST_DIR = "latest"  # copies of the last successful run's new raw responses
CACHE_FILE = "http-cache.json"  # inside raw/; listing folders never have a dot
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RAW_NAME = re.compile(r"\d{8}T\d{6}Z\.[a-z]+\.gz")
_LISTING_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,49}")
_KEPT_PATH = re.compile(r"[a-z0-9][a-z0-9-]{0,49}/\d{8}T\d{6}Z\.[a-z]+\.gz")
_ACCEPT = (
    "application/json, application/atom+xml, application/rss+xml, application/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)


def user_agent(contact_url: str = "", version: str = __version__) -> str:
    """`paperfeed/0.1.0 (+https://github.com/you/papers)`: the contact URL is the project's
    own (settings.repo_url, else settings.site_url), so servers can reach whoever runs it."""
    contact = contact_url.strip()
    return f"paperfeed/{version} (+{contact})" if contact else f"paperfeed/{version}"


@dataclass(frozen=True)
class FetchOptions:
    connect_timeout: float = 10.0  # seconds to connect (and finish the TLS handshake)
    read_timeout: float = 30.0  # seconds of silence allowed while waiting for bytes
    total_timeout: float = 120.0  # seconds for a whole response, so a trickle cannot stall a run
    retries: int = 3  # further attempts after the first
    backoff: float = 2.0  # seconds before the first retry, doubled for each one after
    max_wait: float = 120.0  # cap on any one wait, a server's Retry-After included
    max_bytes: int = DEFAULT_MAX_BYTES  # larger bodies (after decompression) are refused
    max_redirects: int = 5


@dataclass(frozen=True)
class Fetched:
    """One response. A 304 carries the body kept from the earlier run it confirmed."""

    url: str  # the URL asked for (the key of the conditional-request cache)
    body: bytes
    status: int = 200
    final_url: str = ""  # after redirects
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    fetched_at: datetime = field(default_factory=lambda: datetime.fromtimestamp(0, UTC))
    reused_raw: str = ""  # for a 304: the kept raw file (relative to raw/) it reused

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class _Response:
    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes
    final_url: str


class _Retryable(Exception):
    """A failure worth another attempt; the message says what happened."""


class _Body:
    """A response body as it arrives: gunzipped when the server compressed it, and refused
    (SourceError) as soon as it passes the size cap, compressed or not."""

    def __init__(self, url: str, limit: int, encoding: str | None) -> None:
        self.limit = limit
        self.too_big = SourceError(
            f"{url}: the response is larger than {limit:,} bytes; check the URL, or lower the listing's limit"
        )
        encoding = (encoding or "identity").strip().lower()
        if encoding not in ("identity", "gzip", "x-gzip"):
            raise SourceError(f"{url}: the server sent an unsupported Content-Encoding {encoding!r}")
        self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding != "identity" else None
        self.chunks: list[bytes] = []
        self.size = self.received = 0

    def check_length(self, length: str | None) -> None:
        if length and length.strip().isdigit() and int(length) > self.limit:
            raise self.too_big

    def _keep(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            raise self.too_big
        self.chunks.append(chunk)

    def add(self, chunk: bytes) -> None:
        self.received += len(chunk)
        if self.received > self.limit:
            raise self.too_big
        if self.inflater is None:
            self._keep(chunk)
            return
        try:
            chunk = self.inflater.decompress(chunk, self.limit + 1 - self.size)
        except zlib.error:
            raise _Retryable("the gzip-compressed body is damaged") from None
        if self.inflater.unconsumed_tail:
            raise self.too_big
        self._keep(chunk)

    def finish(self) -> bytes:
        if self.inflater is not None:
            self._keep(self.inflater.flush())
        return b"".join(self.chunks)


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After value (seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


class HttpFetcher:
    """GET with timeouts, retries, a size cap and conditional requests. Call it with a URL.

    `cache_dir` (the project's cache folder) is where kept raw bodies and their validators are
    read from; without it no conditional requests are made. `sleep` and `clock` are there so
    tests neither wait nor depend on the wall clock.
    """

    def __init__(
        self,
        *,
        user_agent: str,
        cache_dir: Path | None = None,
        options: FetchOptions | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.user_agent = user_agent
        self.cache_dir = cache_dir
        self.options = options or FetchOptions()
        self._sleep = sleep
        self._clock = clock
        self._cache: dict[str, dict[str, str]] | None = None
        self._ssl = ssl.create_default_context()

    def with_options(self, options: FetchOptions) -> HttpFetcher:
        """The same fetcher (User-Agent, cache) with other timeouts and retries."""
        return HttpFetcher(
            user_agent=self.user_agent,
            cache_dir=self.cache_dir,
            options=options,
            sleep=self._sleep,
            clock=self._clock,
        )

    def __call__(self, url: str) -> Fetched:
        return self.fetch(url)

    def fetch(self, url: str) -> Fetched:
        """GET `url`, retrying what is worth retrying; raise SourceError when it cannot."""
        options = self.options
        headers = {
            "User-Agent": self.user_agent,
            "Accept": _ACCEPT,
            "Accept-Encoding": "gzip",
        }
        kept_raw, kept_body, validators = self._kept(url)
        headers.update(validators)
        attempts = max(0, options.retries) + 1
        failure = "no attempt made"
        for attempt in range(1, attempts + 1):
            wait = options.backoff * 2 ** (attempt - 1)
            try:
                response = self._request(url, headers)
            except _Retryable as err:
                failure = str(err)
            else:
                status = response.status
                if 200 <= status < 300 or (status == 304 and kept_body is not None):
                    return self._fetched(url, response, kept_raw, kept_body)
                failure = f"HTTP {status} {response.reason}".rstrip()
                if status != 429 and not 500 <= status < 600:
                    error = NotFound if status in (404, 410) else SourceError
                    raise error(f"{url}: {failure}; {_advice(status)}")
                hinted = retry_after_seconds(response.headers.get("Retry-After"), self._clock())
                if hinted is not None:
                    wait = hinted
            if attempt < attempts:
                self._sleep(min(max(wait, 0.0), options.max_wait))
        advice = (
            "the server is rate-limiting; run again later or less often"
            if failure.startswith("HTTP 429")
            else "the server or the network is having trouble; run again later"
        )
        tries = f"{attempts} attempts" if attempts > 1 else "1 attempt"
        raise SourceError(f"{url}: {failure} (after {tries}); {advice}")

    # -- one attempt ----------------------------------------------------------------------

    def _request(self, url: str, headers: dict[str, str]) -> _Response:
        current = url
        for _ in range(self.options.max_redirects + 1):
            response = self._request_once(current, headers)
            location = response.headers.get("Location")
            if response.status in _REDIRECTS and location:
                current = urljoin(current, location)
                continue
            return response
        raise SourceError(f"{url}: more than {self.options.max_redirects} redirects; check the URL in a browser")

    def _connection(self, url: str) -> tuple[http.client.HTTPConnection, str]:
        """An unopened connection for `url` and the request target; a bad URL is a SourceError."""
        if not url.isascii() or re.search(r"[\s\x00-\x1f\x7f]", url):
            raise SourceError(
                f"{url}: not a valid URL (spaces or other characters that need percent-encoding); "
                "check the listing's url"
            )
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SourceError(f"{url}: not an http(s) URL; check the listing's url")
        try:
            port = parts.port
        except ValueError:
            raise SourceError(f"{url}: the port is not a number; check the listing's url") from None
        timeout = self.options.connect_timeout
        connection = (
            http.client.HTTPSConnection(parts.hostname, port, timeout=timeout, context=self._ssl)
            if parts.scheme == "https"
            else http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
        )
        return connection, (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def _request_once(self, url: str, headers: dict[str, str]) -> _Response:
        connection, target = self._connection(url)
        connected = False
        try:
            connection.connect()
            connected = True
            sock = connection.sock
            sock.settimeout(self.options.read_timeout)
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
            reads_body = response.status not in _REDIRECTS and response.status != 304
            body = self._read_body(response, url, sock) if reads_body else b""
            return _Response(response.status, response.reason, response.headers, body, url)
        except (http.client.InvalidURL, UnicodeError):
            raise SourceError(
                f"{url}: not a valid URL (characters that need percent-encoding?); check the listing's url"
            ) from None
        except ssl.SSLCertVerificationError as err:
            raise SourceError(
                f"{url}: the server's certificate is not valid ({err.verify_message}); "
                "check the URL, or the machine's CA certificates"
            ) from None
        except (OSError, http.client.HTTPException) as err:
            raise _Retryable(self._describe(err, connected)) from None
        finally:
            connection.close()

    def _describe(self, err: Exception, connected: bool) -> str:
        """What went wrong on the wire, in a few words."""
        if isinstance(err, TimeoutError):
            if connected:
                return f"no response within {self.options.read_timeout:g}s"
            return f"no connection within {self.options.connect_timeout:g}s"
        detail = getattr(err, "strerror", None) or str(err) or type(err).__name__
        return f"connection failed while reading ({detail})" if connected else f"cannot connect ({detail})"

    def _read_body(self, response: http.client.HTTPResponse, url: str, sock: socket.socket) -> bytes:
        options = self.options
        body = _Body(url, options.max_bytes, response.getheader("Content-Encoding"))
        body.check_length(response.getheader("Content-Length"))
        deadline = time.monotonic() + options.total_timeout
        too_slow = f"the response took longer than {options.total_timeout:g}s"
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _Retryable(too_slow)
            sock.settimeout(min(options.read_timeout, left))
            try:
                chunk = response.read1(_CHUNK)
            except TimeoutError:
                if left < options.read_timeout:  # the whole-response deadline ran out
                    raise _Retryable(too_slow) from None
                raise
            if not chunk:
                return body.finish()
            body.add(chunk)

    def _fetched(self, url: str, response: _Response, kept_raw: str, kept_body: bytes | None) -> Fetched:
        headers = response.headers
        reused = response.status == 304 and kept_body is not None
        entry = (self._load_cache().get(url) or {}) if reused else {}
        return Fetched(
            url=url,
            body=kept_body if reused and kept_body is not None else response.body,
            status=response.status,
            final_url=response.final_url,
            content_type=headers.get("Content-Type", "") or entry.get("content_type", ""),
            etag=headers.get("ETag", "") or entry.get("etag", ""),
            last_modified=headers.get("Last-Modified", "") or entry.get("last_modified", ""),
            fetched_at=datetime.fromtimestamp(int(self._clock()), UTC),
            reused_raw=kept_raw if reused else "",
        )

    # -- conditional requests -------------------------------------------------------------

    def _load_cache(self) -> dict[str, dict[str, str]]:
        if self._cache is None:
            self._cache = load_http_cache(self.cache_dir) if self.cache_dir else {}
        return self._cache

    def _kept(self, url: str) -> tuple[str, bytes | None, dict[str, str]]:
        """The kept raw file for `url`, its body and the validators to send, when there is
        one to fall back on; otherwise no validators, so the server sends the full body."""
        entry = self._load_cache().get(url)
        if not entry or self.cache_dir is None or not entry.get("raw"):
            return "", None, {}
        validators = {}
        if entry.get("etag"):
            validators["If-None-Match"] = entry["etag"]
        if entry.get("last_modified"):
            validators["If-Modified-Since"] = entry["last_modified"]
        if not validators:
            return "", None, {}
        try:
            body = gzip.decompress((self.cache_dir / RAW_DIR / entry["raw"]).read_bytes())
        except (OSError, EOFError, zlib.error):
            return "", None, {}
        return entry["raw"], body, validators


def make_fetcher(
    settings: Settings,
    *,
    options: FetchOptions | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> HttpFetcher:
    """The fetcher for a run: User-Agent naming the project's repo_url (else site_url),
    conditional requests against the raw bodies kept under settings.cache_dir."""
    return HttpFetcher(
        user_agent=user_agent(settings.repo_url or settings.site_url),
        cache_dir=settings.cache_dir,
        options=options,
        sleep=sleep,
    )


def _advice(status: int) -> str:
    if status in (401, 403):
        return "the server refused access; check the URL, or whether the source now needs a token"
    if status in (404, 410):
        return "no such page; check the listing's url, query, category or date"
    if status == 304:
        return "the server answered 304 without a kept copy; run again"
    return "check the listing's url and settings"


# -- keeping raw responses ----------------------------------------------------------------


def load_http_cache(cache_dir: Path) -> dict[str, dict[str, str]]:
    """The validators kept for conditional requests: URL -> {etag, last_modified, raw, ...}.
    A missing or damaged cache is empty: the next request is simply unconditional."""
    try:
        data: Any = json.loads((cache_dir / RAW_DIR / CACHE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    # Only entries that point at a kept file of ours (never anywhere else on disk).
    return {
        url: {key: value for key, value in entry.items() if isinstance(value, str)}
        for url, entry in data.items()
        if isinstance(url, str)
        and isinstance(entry, dict)
        and isinstance(entry.get("raw"), str)
        and _KEPT_PATH.fullmatch(entry["raw"])
    }


# Content-Type markers and the extension of the kept file, first match wins.
_EXTENSIONS = (("json", "json"), ("html", "html"), ("xml", "xml"), ("text/", "txt"))


def _extension(fetched: Fetched) -> str:
    kind = fetched.content_type.split(";")[0].strip().lower()
    found = next((ext for marker, ext in _EXTENSIONS if marker in kind), None)
    if found:
        return found
    head = fetched.body[:512].lstrip().lower()
    if head[:1] in (b"[", b"{"):
        return "json"
    if head[:1] == b"<":
        return "html" if b"<html" in head or b"<!doctype html" in head else "xml"
    return "bin"


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def save_raw(cache_dir: Path, listing_name: str, fetched: Fetched, keep: int) -> Path | None:
    """Keep a fetched body as raw/<listing>/<UTC time>.<ext>.gz in the cache folder, prune that
    folder to the newest `keep` files and record the validators for the next conditional request.

    A 304 wrote nothing new: its kept file stays. With keep 0 nothing is kept (and the
    listing's folder is emptied). Returns the kept file, or None. Call it after the run has
    succeeded, so a failed run leaves the cache as it was.
    """
    if not _LISTING_NAME.fullmatch(listing_name):
        raise ValueError(f"not a listing name: {listing_name!r}")
    raw_root = cache_dir / RAW_DIR
    folder = raw_root / listing_name
    try:
        kept: Path | None = None
        if keep > 0:
            if fetched.reused_raw and (raw_root / fetched.reused_raw).is_file():
                kept = raw_root / fetched.reused_raw
            else:
                kept = folder / f"{fetched.fetched_at:%Y%m%dT%H%M%SZ}.{_extension(fetched)}.gz"
                _write_atomic(kept, gzip.compress(fetched.body, mtime=0))
        if folder.is_dir():
            names = sorted(p.name for p in folder.iterdir() if _RAW_NAME.fullmatch(p.name))
            for name in names[: max(0, len(names) - keep)]:
                if kept is None or name != kept.name:
                    (folder / name).unlink()
        _update_cache(cache_dir, fetched, kept)
    except OSError as err:
        raise ArchiveError(
            f"{folder}: cannot keep the raw response ({err.strerror or err}); "
            f"check the permissions and free space of {cache_dir}"
        ) from None
    return kept if kept is not None and kept.exists() else None


def keep_latest(cache_dir: Path, kept: list[Path]) -> None:
    """Make latest/ in the cache folder hold copies of `kept` (raw files of this run, as
    raw/<listing>/<name>), and nothing else: the nightly uploads that folder as the night's
    artifact, so it carries only what the night fetched anew."""
    raw_root = cache_dir / RAW_DIR
    latest = cache_dir / LATEST_DIR
    try:
        if latest.is_dir():
            shutil.rmtree(latest)
        for path in kept:
            target = latest / path.relative_to(raw_root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    except OSError as err:
        raise ArchiveError(
            f"{latest}: cannot copy this run's raw responses ({err.strerror or err}); "
            f"check the permissions and free space of {cache_dir}"
        ) from None


def adopt_legacy_raw(data_dir: Path, cache_dir: Path) -> bool:
    """Move raw responses kept by older versions under data/raw/ into the cache folder.

    Once moved, data/raw/ is gone from the working tree, so `commit-data` commits its removal
    and git stops carrying it. A file the cache already has (restored by the workflow, newer)
    wins over the old copy. Returns whether there was anything to move.
    """
    legacy = data_dir / RAW_DIR
    if not legacy.is_dir():
        return False
    target_root = cache_dir / RAW_DIR
    try:
        for path in sorted(legacy.rglob("*")):
            if not path.is_file():
                continue
            target = target_root / path.relative_to(legacy)
            if target.exists():
                path.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(path, target)
        shutil.rmtree(legacy)
    except OSError as err:
        raise ArchiveError(
            f"{legacy}: cannot move the raw responses to {target_root} ({err.strerror or err}); "
            "move the folder there by hand and run again"
        ) from None
    return True


def _update_cache(cache_dir: Path, fetched: Fetched, kept: Path | None) -> None:
    raw_root = cache_dir / RAW_DIR
    cache = load_http_cache(cache_dir)
    if kept is not None and kept.exists() and (fetched.etag or fetched.last_modified):
        entry = {
            "etag": fetched.etag,
            "last_modified": fetched.last_modified,
            "content_type": fetched.content_type,
            "raw": kept.relative_to(raw_root).as_posix(),
        }
        cache[fetched.url] = {key: value for key, value in entry.items() if value}
    else:
        cache.pop(fetched.url, None)
    # Drop entries whose kept body has been pruned: they can no longer answer a 304.
    cache = {url: entry for url, entry in cache.items() if (raw_root / entry["raw"]).is_file()}
    path = raw_root / CACHE_FILE
    text = (json.dumps(cache, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()
    current = path.read_bytes() if path.exists() else None
    if current != text and (cache or current is not None):
        _write_atomic(path, text)
