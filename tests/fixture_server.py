"""A local HTTP server on 127.0.0.1 that serves canned responses by path, for end-to-end
tests of fetching. Nothing in the tests reaches the internet."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer


@dataclass
class Routes:
    """path (without query) -> (status, content type, body); requests are recorded."""

    responses: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)


@contextmanager
def serve(routes: Routes) -> Iterator[str]:
    """Serve `routes` on an ephemeral port; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            routes.requests.append(self.path)
            status, kind, body = routes.responses.get(self.path.split("?")[0], (404, "text/plain", b"not here"))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with running(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as base:
        yield base


@contextmanager
def running(server: HTTPServer) -> Iterator[str]:
    """Run `server` (bound to 127.0.0.1) in a thread; yields its base URL, no trailing slash.
    Every local test server starts and stops here."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
