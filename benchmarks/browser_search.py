"""Search as a reader meets it: a built site served on 127.0.0.1 and searched in Chromium.

    python -m benchmarks.browser_search SITE_DIR WORD [WORD ...]

For each query, typed into Material's search box on a paper page opened fresh: what the
page's load fetched in all (until the network is idle), the time from there to the first
result shown, and what the browser fetched for the search
(Material's index and paperfeed's paper index files: requests and bytes, as served, without
the gzip GitHub Pages would add). Needs Debian's Chromium (/usr/bin/chromium) and Playwright;
prints one JSON object. benchmarks.run calls it on each size when both are there.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _serve(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401, PLC0415 - optional: the test extra
    except ImportError:
        return False
    return CHROMIUM.exists()


def _one_search(browser: Any, site: Path, url: str, query: str) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    fetched: dict[str, int] = {}  # path -> bytes of the file served (worker requests included)
    everything: list[int] = []  # the bytes of every request, repeats included

    def note(request: Any) -> None:
        path = urlsplit(request.url).path
        served = site / path.lstrip("/")
        size = (served / "index.html" if path.endswith("/") else served).stat().st_size
        everything.append(size)
        if "/search/" in path:
            fetched[path] = size

    page.on("requestfinished", note)
    try:
        page.goto(url, wait_until="networkidle")
        loaded = time.perf_counter()
        page_bytes = sum(everything)
        box = page.locator("input.md-search__input")
        box.click()
        box.fill(query)
        box.press("End")  # Material reads the box on keyup: one query, the whole of it
        meta = page.locator(".md-search-result__meta")
        meta.filter(has_text="matching").first.wait_for(timeout=120_000)
        shown = time.perf_counter()
        counted = re.search(r"\d[\d,]*", meta.inner_text())  # "50 matching documents"; none: "No matching ..."
        results = int(counted.group(0).replace(",", "")) if counted else 0
        first = page.locator(".md-search-result__item h1").first.inner_text() if results else ""
    finally:
        context.close()
    return {
        "query": query,
        "seconds_to_results": round(shown - loaded, 3),
        "results": results,
        "first": first,
        "page_load_bytes": page_bytes,
        "requests": len(fetched),
        "bytes": sum(fetched.values()),
        "files": sorted(fetched),
    }


def measure(site: Path, queries: list[str], page: str = "") -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with _serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            return [_one_search(browser, site, base + page, query) for query in queries]
        finally:
            browser.close()


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    if not available():
        print(json.dumps({"skipped": "needs /usr/bin/chromium and Playwright"}))
        return 0
    print(json.dumps(measure(Path(argv[0]), argv[1:]), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
