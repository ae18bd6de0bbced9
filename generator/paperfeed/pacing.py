"""Pauses between requests to one server, as long as its operators ask (arXiv: 3 s).

Each source module declares its server's interval (sources/_types.py, `Server`). The pause
is kept between the end of one request and the start of the next to the same host, so a
night of several listings or a backfill of many days asks each server gently. It applies to
the real servers (the hosts of the default base URLs); a mirror or a local server that a
fork configures under extra.paperfeed.sources is its own business.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urlsplit

from paperfeed.fetch import Fetched
from paperfeed.ingest import Fetcher
from paperfeed.sources import SOURCES, Server


def intervals(servers: Iterable[Server] | None = None) -> dict[str, float]:
    """Seconds to keep between two requests, by host, from the servers' declarations (by
    default, those of every source)."""
    if servers is None:
        servers = (spec.server for spec in SOURCES.values() if spec.server is not None)
    found: dict[str, float] = {}
    for server in servers:
        host = urlsplit(server.default).hostname
        if host and server.interval > 0:
            found[host] = max(server.interval, found.get(host, 0.0))
    return found


class Pacer:
    """Waits before a request to a host until its interval has passed since the last one."""

    def __init__(
        self,
        by_host: Mapping[str, float],
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.by_host = dict(by_host)
        self._sleep = sleep
        self._clock = clock
        self._last: dict[str, float] = {}

    def paced(self, fetch: Fetcher) -> Fetcher:
        """`fetch`, pausing before each request as the host asks."""

        def fetch_paced(url: str) -> Fetched | bytes:
            host = (urlsplit(url).hostname or "").lower()
            interval = self.by_host.get(host, 0.0)
            last = self._last.get(host)
            if interval and last is not None:
                wait = last + interval - self._clock()
                if wait > 0:
                    self._sleep(wait)
            try:
                return fetch(url)
            finally:
                if interval:
                    self._last[host] = self._clock()

        return fetch_paced
