"""Requests to one server are spaced as its operators ask; other hosts are not slowed."""

from __future__ import annotations

import contextlib

from paperfeed.pacing import Pacer, intervals
from paperfeed.sources import SOURCES, Server


class Clock:
    """A clock that moves only when slept on, or when a request takes time."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_intervals_come_from_the_source_modules() -> None:
    found = intervals()
    assert found["export.arxiv.org"] == 3.0  # arXiv's API asks for three seconds
    assert found["huggingface.co"] > 0
    hosts = {spec.server.default.split("/")[2] for spec in SOURCES.values() if spec.server}
    assert set(found) <= hosts
    two = [Server("a", "https://x.example", 1.0), Server("b", "https://x.example/api", 2.5), Server("c", "https://y")]
    assert intervals(two) == {"x.example": 2.5}


def test_requests_to_one_host_are_spaced_from_the_end_of_the_last_one() -> None:
    clock = Clock()
    asked: list[tuple[float, str]] = []

    def fetch(url: str) -> bytes:
        asked.append((clock.now, url))
        clock.now += 0.5  # each request takes half a second
        return b""

    paced = Pacer({"export.arxiv.org": 3.0}, sleep=clock.sleep, clock=clock).paced(fetch)
    paced("https://export.arxiv.org/api/query?a")
    paced("https://export.arxiv.org/api/query?b")
    paced("http://127.0.0.1:8000/api/query?c")  # another host: no wait
    clock.now += 1.0  # time passes between requests: only the rest is waited
    paced("https://EXPORT.arxiv.org/api/query?d")
    assert clock.slept == [3.0, 1.5]
    assert [when for when, _ in asked] == [100.0, 103.5, 104.0, 107.0]


def test_a_failed_request_counts_too() -> None:
    clock = Clock()

    def fail(url: str) -> bytes:
        raise OSError("down")

    paced = Pacer({"huggingface.co": 1.0}, sleep=clock.sleep, clock=clock).paced(fail)
    for _ in range(2):
        with contextlib.suppress(OSError):
            paced("https://huggingface.co/api/daily_papers")
    assert clock.slept == [1.0]
