"""The hostile-input corpus (tests/hostile/) through the real pipeline.

One run of the corpus per session: every error case through the CLI, every case that parses
in one `paperfeed run` with the real `mkdocs build --strict`, then the faults and crash
leftovers. The tests below check what that run did, and that docs/robustness.md (made from it)
is up to date. The browser test opens every page of the hostile site in Debian's Chromium.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import feedparser
import lxml.html
import pytest
from lxml import etree

from feedcheck import validate_atom
from harness import ROOT, command, require_tool, serve_directory
from hostile.corpus import CorpusRun, Outcome, check_papers, run_corpus
from hostile.inputs import PWNED, titles
from hostile.page import DOC, render_doc
from hostile.scan import scan_feed, scan_markup, scan_site
from paperfeed.errors import EXIT_BUG, EXIT_INPUT, EXIT_OK, EXIT_USAGE
from paperfeed.htmlbits import excerpt, rich_text
from paperfeed.paper_ids import title_key
from paperfeed.text import readable
from sitebuild import CHROMIUM
from sitebuild import LAUNCH_ARGS as BROWSER_ARGS

# Chromium may resolve no host but the local server: a payload that tried to load anything
# from elsewhere fails at once instead of waiting for the network.
LAUNCH_ARGS = [*BROWSER_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    return run_corpus(tmp_path_factory.mktemp("hostile"))


def _feeds(corpus: CorpusRun, extension: str) -> list[Path]:
    """Every feed of the hostile site in one format: the combined one, then the others."""
    site = corpus.project / "site"
    found = [site / f"feed{extension}", *sorted((site / "feeds").rglob(f"*{extension}"))]
    return [path for path in found if path.name != "sitemap.xml"]


@pytest.mark.slow
def test_every_case_parses_or_fails_with_one_line_naming_the_file(corpus: CorpusRun) -> None:
    """Every case either gives papers or exits 1 with one line that names the listing and its
    file (and the line, where a text listing has one to blame); never a traceback, and a failed
    run writes nothing."""
    for outcome in corpus.outcomes:
        case = outcome.case
        if case.expect == "papers":
            assert outcome.code == 0 and outcome.papers >= 1, (case.key, outcome.result)
            continue
        assert outcome.code == 1, (case.key, outcome.result)
        assert outcome.lines == 1, (case.key, outcome.result)
        assert outcome.message.startswith(f"paperfeed: error: listing '{case.key}': {case.file}"), outcome.message
        assert "Traceback" not in outcome.message
    numbered = {o.case.key: o.message for o in corpus.outcomes if o.case.key in ("dmg-truncated", "dmg-misaligned")}
    assert "dmg-truncated.txt:4:" in numbered["dmg-truncated"] and "dmg-misaligned.txt:5:" in numbered["dmg-misaligned"]
    untouched = corpus.untouched
    assert not (untouched / "data").exists() and not (untouched / "docs" / "papers").exists()


@pytest.mark.slow
def test_papers_show_literally_on_their_pages_and_in_every_feed(corpus: CorpusRun) -> None:
    """Each title and abstract reads, as TeX-to-text makes it readable, as the text of its
    page's heading and abstract and of its Atom, RSS and JSON Feed entries."""
    problems = {o.case.key: o.problems for o in corpus.outcomes if o.problems}
    assert problems == {}
    # The checks can fail: a title the page does not show is reported.
    page = next((corpus.project / "site" / "papers").glob("*/index.html"))
    original = page.read_bytes()
    try:
        page.write_bytes(re.sub(rb"<h1>.*?</h1>", b"<h1>something else</h1>", original, count=1))
        tampered = [Outcome(o.case, 0, listing=o.listing) for o in corpus.outcomes if o.code == 0]
        check_papers(corpus.project, tampered)
        assert any("page heading" in problem for o in tampered for problem in o.problems)
    finally:
        page.write_bytes(original)


@pytest.mark.slow
def test_no_page_runs_code_from_the_listings(corpus: CorpusRun) -> None:
    """No page has a script but the theme's own, an event handler, a frame or object, or a
    javascript:/data: link; every outside link paperfeed made has rel="noopener noreferrer"."""
    site = corpus.project / "site"
    assert len(list(site.rglob("*.html"))) > 150
    assert scan_site(site) == []
    # The scan finds what it looks for.
    tree = lxml.html.fromstring(
        '<div class="pf-paper"><img src=x onerror="alert(1)"><a href=" java\tscript:x">x</a>'
        "<script>window.__pwned=1</script><iframe></iframe></div>"
    )
    assert len(scan_markup(tree, "test", theme_scripts=True)) == 4


@pytest.mark.slow
def test_every_feed_is_valid_and_carries_no_code(corpus: CorpusRun) -> None:
    """Every Atom feed is valid against RFC 4287's schema; every RSS feed and JSON Feed reads
    without error; no entry's HTML holds a script, frame, event handler or javascript: link."""
    atom, rss, json_feeds = _feeds(corpus, ".xml"), _feeds(corpus, ".rss"), _feeds(corpus, ".json")
    assert len(atom) == len(rss) == len(json_feeds) > 50
    for path in atom:
        validate_atom(path.read_bytes())
    for path in rss:
        etree.parse(str(path))
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0 and parsed.version.startswith("rss"), (path, parsed.get("bozo_exception"))
    for path in json_feeds:
        feed = json.loads(path.read_text("utf-8"))
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert all(isinstance(item["id"], str) and isinstance(item["title"], str) for item in feed["items"])
    problems = [problem for path in [*atom, *rss, *json_feeds] for problem in scan_feed(path)]
    assert problems == []


@pytest.mark.slow
def test_faults_are_one_line_errors_and_crash_leftovers_are_repaired(corpus: CorpusRun) -> None:
    """Each fault exits 1 with one line saying what, where and what to do, and a failed save
    leaves the archive as it was; after each crash leftover the next run exits 0, the archive
    is whole and nothing is left behind."""
    for fault, code, message in corpus.faults:
        assert code == fault.expect, (fault.key, message)
        assert "Traceback" not in message and not re.match(r"\d+ lines:", message), (fault.key, message)
        if fault.kind == "fault":
            assert message.startswith("paperfeed: error: "), (fault.key, message)
        else:
            assert "leftovers: none" in message and "unreadable" not in message and "NOT" not in message, message
    results = {fault.key: message for fault, _, message in corpus.faults}
    assert results["crash-before-commit"].startswith("(archive: 2 papers")  # wholly old
    assert results["crash-after-commit"].startswith("(archive: 3 papers")  # wholly new
    assert results["crash-mid-renames"].startswith("(archive: 3 papers")
    assert results["docs-is-a-file"].endswith("(archive: 2 papers)")


@pytest.mark.slow
def test_the_robustness_page_is_up_to_date(corpus: CorpusRun) -> None:
    """docs/robustness.md is what `make robustness` writes from the corpus and its results."""
    assert DOC.exists(), "docs/robustness.md is missing; run: make robustness"
    assert DOC.read_text("utf-8") == render_doc(corpus), (
        "docs/robustness.md is out of date; run: make robustness, and review the diff"
    )


# Text built to make TeX-to-text conversion take quadratic or exponential time.
PATHOLOGICAL = {
    "a 1 MB word": "w" * 1_000_000,
    "100,000 nested braces": "{" * 100_000 + "x" + "}" * 100_000,
    "100,000 math openers": "\\(" * 100_000,
    "backtracking math": "$" + "_aaaa" * 70 + "{$",
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_text_is_made_readable_in_linear_time(name: str) -> None:
    """Long words, deep nesting and math built to backtrack are rendered in well under a
    second each (SIGALRM stops a regression that would otherwise hang the suite)."""
    text = PATHOLOGICAL[name]

    def too_slow(signum: int, frame: object) -> None:
        raise TimeoutError(f"{name}: still working after 10 s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(10)
    try:
        started = time.perf_counter()
        readable(text), rich_text(text), title_key(text), excerpt(text)
        elapsed = time.perf_counter() - started
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert elapsed < 5, f"{name}: {elapsed:.1f} s"


def test_exit_codes_are_as_documented(tmp_path: Path) -> None:
    """Through the real command: wrong usage exits 2; a user's error (a missing settings file,
    output closed early as by `| head`) exits 1 with one line; each code is in the table of
    docs/architecture.md."""

    def paperfeed(*args: str, **options: Any) -> subprocess.Popen[str]:
        return subprocess.Popen(
            command(*args),
            text=True,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            **options,
        )

    usage = paperfeed("run", "--no-such-option")
    assert usage.wait() == EXIT_USAGE
    missing = paperfeed("config", "--config", "missing.yml")
    _, err = missing.communicate()
    assert missing.returncode == EXIT_INPUT and err.count("\n") == 1 and "missing.yml: not found" in err
    big = tmp_path / "big.txt"
    big.write_bytes(titles(*(f"Paper Number {n}" for n in range(3000))))
    head = paperfeed("parse", str(big))
    assert head.stdout is not None and head.stdout.readline().startswith("{")
    head.stdout.close()  # as `| head -1` does
    err = head.stderr.read() if head.stderr else ""
    assert head.wait() == EXIT_INPUT, err
    assert err == "paperfeed: error: output closed early (broken pipe); the rest was not printed\n"
    table = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    for code in (EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_BUG, 130):
        assert f"\n| {code} | " in table


# -- Chromium -------------------------------------------------------------------------------


def _require_chromium() -> None:
    require_tool(CHROMIUM.exists(), f"Debian's Chromium ({CHROMIUM})")
    try:
        import playwright.sync_api  # noqa: F401, PLC0415 - optional test dependency
    except ImportError:
        require_tool(False, "Playwright for Python")


@dataclass
class Sweep:
    """What Chromium saw on a site: the pages opened, and what should never happen."""

    pages: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    pwned: list[str] = field(default_factory=list)  # pages (or searches) that set window.__pwned
    outside: list[str] = field(default_factory=list)  # requests to any host but 127.0.0.1


def sweep(site: Path, queries: tuple[str, ...]) -> Sweep:
    """Open every page of `site` in Chromium, then type each query into the site's search.

    Runs Playwright in the calling thread; the test calls it from a thread of its own, so it
    never meets another test's Playwright (one per thread is all the sync API allows)."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - optional test dependency

    seen = Sweep(
        sorted(path.relative_to(site).as_posix().removesuffix("index.html") for path in site.rglob("index.html"))
    )
    with serve_directory(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        context = browser.new_context()
        context.on(
            "request", lambda request: None if request.url.startswith(base) else seen.outside.append(request.url)
        )
        tab = context.new_page()
        tab.on("dialog", lambda dialog: (seen.dialogs.append(f"{tab.url}: {dialog.message}"), dialog.dismiss()))
        # Every page would fetch the whole search index; only the searches below need it.
        tab.route(re.compile(r".*/search/search_index\.json$"), lambda route: route.abort())
        for path in seen.pages:
            response = tab.goto(base + path, wait_until="load")
            assert response is not None and response.status == 200, path
            if tab.evaluate("() => window.__pwned !== undefined"):
                seen.pwned.append(path)
        tab.unroute_all()
        tab.goto(base, wait_until="load")
        tab.keyboard.press("/")  # Material's shortcut to its search box
        box = tab.locator("input.md-search__input")
        for query in queries:
            box.fill("")
            box.press_sequentially(query, delay=10)
            tab.wait_for_selector(".md-search-result__item", timeout=15_000)
            if tab.evaluate("() => window.__pwned !== undefined"):
                seen.pwned.append(f"search for {query}")
        browser.close()
    return seen


@pytest.mark.slow
@pytest.mark.browser
def test_chromium_runs_no_script_from_the_listings(corpus: CorpusRun) -> None:
    """Every page of the hostile site, opened in Chromium from 127.0.0.1, and the site's search
    typed the payloads' words, shows no dialog, never sets window.__pwned and asks no other
    host for anything."""
    _require_chromium()
    control = corpus.project.parent / "control-site"  # the sweep sees what it looks for
    (control / "a").mkdir(parents=True)
    (control / "index.html").write_text(f'<img src=x onerror="{PWNED}">', "utf-8")
    (control / "a" / "index.html").write_text('<img src="https://evil.example/pixel.png">', "utf-8")
    with ThreadPoolExecutor(max_workers=1) as pool:
        caught = pool.submit(sweep, control, ()).result()
        seen = pool.submit(sweep, corpus.project / "site", ("Scripts", "onerror", "Breaking", "Mutations")).result()
    assert caught.pwned == [""] and caught.dialogs and caught.outside == ["https://evil.example/pixel.png"]
    assert len(seen.pages) > 150
    assert seen.dialogs == [] and seen.pwned == [] and seen.outside == []
