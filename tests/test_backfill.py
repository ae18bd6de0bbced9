"""Backfill through the real CLI: `paperfeed update --backfill DAYS` against a local server that
answers, like Hugging Face's Daily Papers API and the arXiv API, with each day's own papers.

The payloads are made here, in the real formats, from the day asked for: three papers a day
(one of them listed again the next day), so every test can say which day each paper belongs
to. A run killed at a chosen request (the server holds it until the process is dead) and then
run again must leave data/ byte-identical to an uninterrupted run's.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
import yaml

import harness
from harness import running
from paperfeed import backfill
from paperfeed.archive import load_archive
from paperfeed.config import ListingConfig
from paperfeed.errors import ArchiveError
from paperfeed.model import Paper, Record
from paperfeed.sources import SOURCES, SourceURLs

NOW = "2026-11-27T06:17:00Z"  # a Friday; `date: yesterday` names Thursday 2026-11-26
YESTERDAY = date(2026, 11, 26)
FOURTEEN = [YESTERDAY - timedelta(days=back) for back in range(13, -1, -1)]  # 2026-11-13 .. 2026-11-26


def day_papers(day: date) -> list[tuple[str, str]]:
    """(arXiv id, title) of the papers listed on `day`: three of its own, and from the second
    day of the month on, the first paper of the day before again (listed twice, it belongs to
    its first day)."""
    own = [(f"{day:%y%m}.{day.day:02d}{n:03d}", f"Paper {n} Of {day:%B} {day.day}") for n in range(1, 4)]
    if day.day > 1:
        before = day - timedelta(days=1)
        own.append((f"{before:%y%m}.{before.day:02d}001", f"Paper 1 Of {before:%B} {before.day}"))
    return own


def daily_payload(day: date) -> bytes:
    """The Daily Papers API's answer for `date=day`."""
    entries = [
        {
            "paper": {
                "id": arxiv_id,
                "title": title,
                "summary": f"What {title.lower()} is about, in a sentence long enough for an abstract.",
                "authors": [{"name": "Ada Lovelace"}, {"name": "Alan Turing", "hidden": False}],
                "publishedAt": f"{day}T17:00:00.000Z",
                "submittedOnDailyAt": f"{day}T00:00:00.000Z",
                "upvotes": 5,
            },
            "title": title,
            "publishedAt": f"{day}T17:00:00.000Z",
        }
        for arxiv_id, title in day_papers(day)
    ]
    return json.dumps(entries).encode()


def arxiv_payload(day: date | None) -> bytes:
    """The arXiv API's Atom answer for one day's submissions (none on a Sunday), or, with no
    day, for the newest submissions."""
    submitted = day or YESTERDAY
    papers = [] if submitted.weekday() == 6 else [(f"{submitted:%y%m}.{submitted.day:02d}9{n:02d}", n) for n in (1, 2)]
    entries = "".join(
        f"""<entry><id>http://arxiv.org/abs/{arxiv_id}v1</id><title>Submitted {submitted} number {n}</title>
<published>{submitted}T12:00:00Z</published><summary>An abstract.</summary>
<author><name>Grace Hopper</name></author><arxiv:primary_category term="cs.LG"/></entry>"""
        for arxiv_id, n in papers
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">'
        f"<id>https://arxiv.org/api/x</id><title>arXiv Query</title><updated>{NOW}</updated>"
        f"<opensearch:totalResults>{len(papers)}</opensearch:totalResults>{entries}</feed>"
    ).encode()


RSS = b"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
  <channel><title>cs.LG updates on arXiv.org</title><link>http://rss.arxiv.org/rss/cs.LG</link>
    <description>cs.LG</description><pubDate>Fri, 27 Nov 2026 00:00:00 -0500</pubDate>
    <item><title>Announced Tonight</title><link>https://arxiv.org/abs/2611.77777</link>
      <description>arXiv:2611.77777v1 Announce Type: new
Abstract: Announced tonight, read as on any night.</description>
      <guid isPermaLink="false">oai:arXiv.org:2611.77777v1</guid><category>cs.LG</category>
      <pubDate>Fri, 27 Nov 2026 00:00:00 -0500</pubDate><arxiv:announce_type>new</arxiv:announce_type>
      <dc:creator>Ann One</dc:creator></item>
  </channel>
</rss>
"""
SUBMITTED = re.compile(r"submittedDate:\[(\d{8})0000 TO (\d{8})2359\]")


@dataclass
class Server:
    """The local server: what it was asked, and a gate that holds the request numbered
    `hold_at` (1-based, daily-papers requests only) until `release` is set."""

    requests: list[str] = field(default_factory=list)
    hold_at: int = 0
    delay: float = 0.0  # seconds before each daily-papers answer
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    url: str = ""

    def daily_requests(self) -> list[str]:
        return [path for path in self.requests if path.startswith("/api/daily_papers")]

    def respond(self, path: str) -> tuple[str, bytes]:
        self.requests.append(path)
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        if parts.path == "/api/daily_papers":
            if self.hold_at and len(self.daily_requests()) == self.hold_at:
                self.holding.set()
                self.release.wait(30)
            time.sleep(self.delay)
            return "application/json", daily_payload(date.fromisoformat(query["date"][0]))
        if parts.path == "/api/query":
            found = SUBMITTED.search(query["search_query"][0])
            day = datetime.strptime(found.group(1), "%Y%m%d").date() if found else None
            return "application/atom+xml", arxiv_payload(day)
        if parts.path == "/rss/cs.LG":
            return "application/rss+xml", RSS
        return "text/plain", b""


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            kind, body = state.respond(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client was killed
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with running(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as base:
        state.url = base
        try:
            yield state
        finally:
            state.release.set()


DAILY = "      - {name: hf-daily, title: Daily Papers, source: hf-daily, date: yesterday}\n"
DAILY_CONFIG = ListingConfig(name="hf-daily", title="Daily Papers", source="hf-daily", date="yesterday")
RSS_LISTING = "      - {name: cs-lg, source: arxiv-rss, category: cs.LG}\n"


def make_project(path: Path, server: Server, listings: str = DAILY + RSS_LISTING) -> Path:
    return harness.make_project(
        path,
        "extra:\n  paperfeed:\n"
        f"    sources: {{hf: '{server.url}', arxiv_api: '{server.url}', arxiv_rss: '{server.url}'}}\n"
        f"    listings:\n{listings}",
    )


def command(project: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "paperfeed", *args, "--config", str(project / "mkdocs.yml"), "--now", NOW]


def environment() -> dict[str, str]:
    env = {**os.environ, "PAPERFEED_SITE_URL": harness.SITE_URL}
    env.pop("PAPERFEED_BACKFILL_DAYS", None)
    return env


def paperfeed(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        command(project, *args), capture_output=True, text=True, env=environment(), cwd=project, check=False
    )
    assert done.returncode == 0, done.stderr
    return done


def data_state(project: Path) -> dict[str, str]:
    """Every file under data/ and its SHA-256."""
    data = project / "data"
    return {
        path.relative_to(data).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(data.rglob("*"))
        if path.is_file()
    }


def last_second(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=UTC)


def by_arxiv(records: dict[str, Record]) -> dict[str, Record]:
    return {record.paper.arxiv_id or "": record for record in records.values()}


# -- the whole story through the CLI ------------------------------------------------------------


@pytest.mark.slow
def test_a_backfill_of_14_days_puts_every_paper_on_its_own_day_and_a_second_run_adds_nothing(
    tmp_path: Path, server: Server
) -> None:
    project = make_project(tmp_path / "project", server)
    first = paperfeed(project, "run", "--no-build", "--backfill", "14")

    # One request per day, oldest first, for the 14 days up to the listing's own day.
    assert server.daily_requests() == [f"/api/daily_papers?date={day}&limit=100" for day in FOURTEEN]
    assert "listing cs-lg: an arxiv-rss listing keeps no history; reading today's listing only" in first.stdout
    # 14 days of 4 papers: 3 of the day's own and the first of the day before, which is new
    # only on the first day (listed first on the 13th, the 12th's paper belongs to the 13th).
    summary = "listing hf-daily: backfilled 14 days (2026-11-13 to 2026-11-26): 56 papers, 43 new, 13 already known"
    assert summary in first.stdout

    # Each paper is first seen on its first listed day, never at the clock: a second apart in the
    # listing's order, counting back from the day's last second.
    records = by_arxiv(load_archive(project / "data"))
    for day in FOURTEEN:
        for rank, (arxiv_id, _) in enumerate(day_papers(day)[:3]):
            record = records[arxiv_id]
            assert record.first_seen == last_second(day) - timedelta(seconds=rank), arxiv_id
            assert record.day == day and record.listings == ("hf-daily",)
    assert records["2611.77777"].first_seen == datetime(2026, 11, 27, 6, 17, tzinfo=UTC)  # tonight's RSS
    journal = json.loads((project / "data" / "backfill.json").read_text("utf-8"))
    assert journal == {"hf-daily": {"first": "2026-11-13", "last": "2026-11-26", "pending": []}}

    # 14 day pages, each with its own papers; the feed dates each entry on its day, newest first.
    days = project / "docs" / "days"
    for day in FOURTEEN:
        page = (days / f"{day}.md").read_text("utf-8")
        shown = set(re.findall(r"Paper [123] Of November (\d+)", page))
        assert shown == ({"12", "13"} if day.day == 13 else {str(day.day)}), day
    assert sorted(p.stem for p in days.glob("2026-*.md")) == [*map(str, FOURTEEN), "2026-11-27"]  # + the RSS
    feed = feedparser.parse((project / "docs" / "feeds" / "hf-daily.xml").read_bytes())
    stamps = [entry.published for entry in feed.entries]
    assert len(stamps) == 43
    assert stamps[0] == "2026-11-26T23:59:59+00:00" and stamps[-1] == "2026-11-13T23:59:56+00:00"
    assert stamps == sorted(stamps, reverse=True)
    assert len(set(stamps)) == 43  # no two entries share an instant

    # Again: the same 14 requests, nothing new, not a byte of data/ rewritten.
    before = data_state(project)
    again = paperfeed(project, "update", "--backfill", "14")
    assert "backfilled 14 days (2026-11-13 to 2026-11-26): 56 papers, 0 new, 56 already known" in again.stdout
    assert "0 new, 0 updated" in again.stdout
    assert data_state(project) == before
    # A plain night after it reads only the listing's own day: a finished backfill never repeats.
    asked = len(server.daily_requests())
    night = paperfeed(project, "update")
    assert server.daily_requests()[asked:] == ["/api/daily_papers?date=2026-11-26&limit=100"]
    assert "listing hf-daily: 4 papers, 0 new, 4 already known" in night.stdout


@pytest.mark.slow
def test_the_first_run_of_a_listing_backfills_by_itself_then_never_again(tmp_path: Path, server: Server) -> None:
    """`backfill_days` on an empty archive: the daily list's own setting, and the arXiv API's
    day by day through submittedDate (a Sunday without submissions is a quiet day)."""
    listings = (
        "      - {name: hf-daily, source: hf-daily, date: yesterday, backfill_days: 3}\n"
        "      - {name: speech, source: arxiv-api, query: 'cat:eess.AS', limit: 20, backfill_days: 6}\n"
    )
    project = make_project(tmp_path / "project", server, listings)
    done = paperfeed(project, "update")
    assert server.daily_requests() == [f"/api/daily_papers?date=2026-11-{day}&limit=100" for day in (24, 25, 26)]
    queries = [parse_qs(urlsplit(path).query) for path in server.requests if path.startswith("/api/query")]
    assert [q["search_query"][0] for q in queries] == [
        f"(cat:eess.AS) AND submittedDate:[202611{day}0000 TO 202611{day}2359]" for day in range(22, 28)
    ]
    assert {q["max_results"][0] for q in queries} == {"20"}
    # Sunday the 22nd had no submissions: a quiet day, not an error.
    assert "listing speech: backfilled 6 days (2026-11-22 to 2026-11-27): 10 papers, 10 new" in done.stdout
    records = by_arxiv(load_archive(project / "data"))
    seen = records["2611.24901"].first_seen
    assert seen.date() == date(2026, 11, 24) and last_second(date(2026, 11, 24)) - seen < timedelta(seconds=10)
    assert records["2611.27902"].day == date(2026, 11, 27)

    asked = len(server.requests)
    paperfeed(project, "update")
    assert len(server.requests) == asked + 2  # each listing's own listing, once


@pytest.mark.slow
def test_a_backfill_killed_midway_is_completed_by_the_next_run(tmp_path: Path, server: Server) -> None:
    """Killed while the server holds the 9th day's request, a backfill has saved eight days and
    says so in data/backfill.json; the next plain run reads the other six and leaves data/ as
    an uninterrupted run does."""
    reference = make_project(tmp_path / "reference", server, DAILY)
    paperfeed(reference, "update", "--backfill", "14")
    expected = data_state(reference)

    project = make_project(tmp_path / "project", server, DAILY)
    server.requests.clear()
    server.hold_at = 9
    process = subprocess.Popen(
        command(project, "update", "--backfill", "14"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment(),
        cwd=project,
        start_new_session=True,
    )
    try:
        assert server.holding.wait(60), "the run never reached the 9th day"
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)
    finally:
        server.hold_at = 0
        server.release.set()
    assert process.returncode == -signal.SIGKILL

    journal = backfill.load_journal(project / "data")
    assert journal["hf-daily"].pending == tuple(FOURTEEN[8:])
    saved = by_arxiv(load_archive(project / "data"))
    assert {record.day for record in saved.values()} == set(FOURTEEN[:8])

    rerun = paperfeed(project, "update")
    assert "listing hf-daily: backfilled 6 days (2026-11-21 to 2026-11-26)" in rerun.stdout
    assert data_state(project) == expected

    # Killed after a day was saved but before the journal said so: that day is read again,
    # and reading it again changes nothing.
    journal = backfill.load_journal(project / "data")
    backfill.save_journal(project / "data", backfill.start(journal, [backfill.Plan(DAILY_CONFIG, FOURTEEN[-3:])]))
    assert data_state(project) != expected
    paperfeed(project, "update")
    assert data_state(project) == expected


@pytest.mark.slow
def test_a_backfill_killed_at_random_moments_and_run_again_gives_the_same_archive(
    tmp_path: Path, server: Server
) -> None:
    """Killed at a random moment (while fetching, merging or saving a day, or before the
    first), the same command run again leaves data/ as an uninterrupted run does."""
    reference = make_project(tmp_path / "reference", server, DAILY)
    paperfeed(reference, "update", "--backfill", "14")
    expected = data_state(reference)
    server.delay = 0.02
    results = []
    for trial in range(3):
        project = make_project(tmp_path / f"trial-{trial}", server, DAILY)
        server.requests.clear()
        aim = random.randint(1, 14)  # noqa: S311 - a random moment, not a secret
        process = subprocess.Popen(
            command(project, "update", "--backfill", "14"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=environment(),
            cwd=project,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while len(server.daily_requests()) < aim and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(random.uniform(0, 0.03))  # noqa: S311
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)
        pending = backfill.load_journal(project / "data").get("hf-daily")
        results.append(f"killed at request {aim}: {len(pending.pending) if pending else 'no'} days pending")
        paperfeed(project, "update", "--backfill", "14")
        assert data_state(project) == expected, results[-1]
    print(*results, sep="\n")


# -- the plan, on its own ---------------------------------------------------------------------------


def _listing(**values: object) -> ListingConfig:
    return ListingConfig(name="l", **values)  # type: ignore[arg-type]


def _record(listing: str) -> dict[str, Record]:
    stamp = datetime(2026, 11, 1, tzinfo=UTC)
    return {"x": Record("x", Paper(title="X"), stamp, stamp, (listing,))}


WHEN = datetime(2026, 11, 27, 6, 17, tzinfo=UTC)


def test_the_plan_reads_pending_days_first_and_a_listing_backfills_by_itself_once() -> None:
    daily = _listing(source="hf-daily", date="yesterday", backfill_days=2)
    assert backfill.plan([daily], {}, {}, WHEN, None)[0] == [backfill.Plan(daily, (date(2026, 11, 25), YESTERDAY))]
    assert backfill.plan([daily], _record("l"), {}, WHEN, None)[0] == []  # it has papers already
    done = {"l": backfill.Span(date(2026, 11, 1), date(2026, 11, 2))}
    assert backfill.plan([daily], {}, done, WHEN, None)[0] == []  # it backfilled once
    pending = {"l": backfill.Span(date(2026, 11, 1), date(2026, 11, 3), (date(2026, 11, 3),))}
    assert backfill.plan([daily], _record("l"), pending, WHEN, None)[0] == [backfill.Plan(daily, (date(2026, 11, 3),))]
    assert backfill.plan([daily], {}, pending, WHEN, 0)[0] == []  # --backfill 0: nothing this run
    asked = backfill.plan([daily], _record("l"), pending, WHEN, 2)[0]
    assert asked == [backfill.Plan(daily, (date(2026, 11, 3), date(2026, 11, 25), YESTERDAY))]


@pytest.mark.parametrize(
    ("values", "note"),
    [
        ({"source": "arxiv-rss", "category": "cs.LG"}, "an arxiv-rss listing keeps no history"),
        ({"source": "hf-search", "query": "x"}, "a hf-search listing keeps no history"),
        ({"source": "hf-page", "sort": "trending"}, "a hf-page listing like this one keeps no history"),
        (
            {"source": "hf-daily", "url": "https://mirror.example/d.json"},
            "a hf-daily listing with a url keeps no history",
        ),
        ({"source": "text", "url": "saved.txt"}, "a text listing keeps no history"),
    ],
)
def test_a_listing_without_history_says_so_and_reads_today(values: dict[str, object], note: str) -> None:
    plans, notes = backfill.plan([_listing(**values)], {}, {}, WHEN, 14)
    assert plans == []
    assert notes == [f"listing l: {note}; reading today's listing only"]


def test_the_day_urls_of_the_sources_with_history() -> None:
    urls = SourceURLs()
    day = date(2026, 11, 3)

    def day_url(listing: ListingConfig) -> str:
        spec = SOURCES[listing.source]
        assert spec.history is not None and spec.server is not None
        return spec.history.url(listing.options, urls.base(spec.server), day)

    assert day_url(_listing(source="hf-daily", date="week", sort="trending", limit=20)) == (
        "https://huggingface.co/api/daily_papers?date=2026-11-03&sort=trending&limit=20"
    )
    assert day_url(_listing(source="hf-page", date="month")) == "https://huggingface.co/papers/date/2026-11-03"
    assert day_url(_listing(source="arxiv-api", query="cat:cs.LG OR cat:stat.ML", limit=50)) == (
        "https://export.arxiv.org/api/query?search_query=%28cat:cs.LG%20OR%20cat:stat.ML%29%20AND%20"
        "submittedDate:%5B202611030000%20TO%20202611032359%5D&sortBy=submittedDate&sortOrder=descending"
        "&max_results=50"
    )


@pytest.mark.slow
def test_the_nightly_passes_days_through_the_environment(tmp_path: Path, server: Server) -> None:
    project = make_project(tmp_path / "project", server, DAILY)
    env = {**environment(), "PAPERFEED_BACKFILL_DAYS": "two"}
    failed = subprocess.run(command(project, "update"), capture_output=True, text=True, env=env, check=False)
    assert failed.returncode == 1
    assert failed.stderr == (
        "paperfeed: error: PAPERFEED_BACKFILL_DAYS: 'two' is not a whole number of days; unset it or give e.g. 14\n"
    )
    assert server.requests == []
    env["PAPERFEED_BACKFILL_DAYS"] = "2"
    done = subprocess.run(command(project, "update"), capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert server.daily_requests() == [f"/api/daily_papers?date=2026-11-{day}&limit=100" for day in (25, 26)]
    env["PAPERFEED_BACKFILL_DAYS"] = ""  # how a scheduled night passes the manual run's empty input
    done = subprocess.run(command(project, "update"), capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert server.daily_requests()[2:] == ["/api/daily_papers?date=2026-11-26&limit=100"]


def test_a_damaged_journal_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "backfill.json").write_text('{"hf-daily": {"first": "2026-11-13"}}', "utf-8")
    with pytest.raises(ArchiveError, match=r"the entry of 'hf-daily' is not \{first, last, pending\}"):
        backfill.load_journal(tmp_path)


def test_the_nightly_s_manual_run_takes_backfill_days_through_an_env_var() -> None:
    workflow = yaml.safe_load((harness.ROOT / ".github" / "workflows" / "nightly.yml").read_text("utf-8"))
    trigger = workflow[True]["workflow_dispatch"]["inputs"]["backfill-days"]  # PyYAML reads `on` as True
    assert trigger["default"] == "" and "Backfill" in trigger["description"]
    [step] = [step for step in workflow["jobs"]["update"]["steps"] if step.get("run") == "make update"]
    assert step["env"]["PAPERFEED_BACKFILL_DAYS"] == "${{ inputs.backfill-days }}"
