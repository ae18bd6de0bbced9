"""The site as readers meet it, in Debian's Chromium driven by Playwright.

The fixture site (tests/sitebuild.py: 12 papers on two days, built by the real `paperfeed
render` and `paperfeed build`) is served on 127.0.0.1. Every page visit is watched: a request
to any other host is recorded and aborted, and console errors, uncaught exceptions and
HTTP errors are recorded; each test ends by asserting there were none. Screenshots at 1280
and 390 px go to $SCREENSHOTS (default: a temp dir).

Without /usr/bin/chromium or Playwright the tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import pytest

from harness import ROOT, require_tool
from sitebuild import (
    CHROMIUM,
    EMPTY_LISTING,
    LAUNCH_ARGS,
    MATH_PAPER,
    NEWEST_SEEN,
    OTHER_PAPER,
    SITE_NAME,
    FixtureSite,
)

pytestmark = pytest.mark.browser

WIDE, NARROW = 1280, 390
FEED_TYPES = {"application/atom+xml", "application/rss+xml", "application/feed+json"}

# Pages every layout check visits: (name, path).
PAGES = [
    ("home", ""),
    ("paper", f"papers/{MATH_PAPER}/"),
    ("listing", "listings/hf-daily/"),
    ("listing-page-2", "listings/hf-daily/page-2/"),
    ("tag", "tags/optimisation/"),
    ("day", "days/2026-11-25/"),
    ("archive", "archive/"),
]

# Contrast: the ratio of the lighter to the darker relative luminance (WCAG 2), with the
# text colour composited over the first opaque background behind it.
CONTRAST_JS = """
el => {
  const parse = c => {
    const m = c.match(/[\\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const layers = [];
  for (let node = el; node; node = node.parentElement) {
    const c = parse(getComputedStyle(node).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  let bg = [255, 255, 255, 1];
  for (const layer of layers.reverse()) bg = over(layer, bg);
  const fg = over(parse(getComputedStyle(el).color), bg);
  const lum = c => {
    const [r, g, b] = c.slice(0, 3).map(v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""


def expect(target: Any) -> Any:
    """Playwright's retrying assertions (imported here: without Playwright the tests skip)."""
    from playwright.sync_api import expect as playwright_expect  # noqa: PLC0415

    return playwright_expect(target)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require_tool(CHROMIUM.exists(), f"Debian's Chromium ({CHROMIUM})")
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415 - optional test dependency
    except ImportError:
        require_tool(False, "Playwright for Python")
        raise  # not reached: require_tool skips or fails
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


class Tab:
    """One browser page on the fixture site that records whatever should never happen."""

    def __init__(self, page: Any, site: FixtureSite) -> None:
        self.page = page
        self.site = site
        self.outside: list[str] = []  # requests to any host but 127.0.0.1 (aborted)
        self.problems: list[str] = []  # console errors, page errors, HTTP errors
        page.route("**/*", self._route)
        page.on("console", lambda msg: self.problems.append(f"console: {msg.text}") if msg.type == "error" else None)
        page.on("pageerror", lambda err: self.problems.append(f"uncaught: {err}"))
        page.on("response", lambda r: self.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def _route(self, route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def open(self, path: str) -> Any:
        response = self.page.goto(self.site.url(path), wait_until="load")
        assert response is not None and response.status == 200, path
        return self.page

    def shot(self, folder: Path, name: str) -> Path:
        width = self.page.viewport_size["width"]
        target = folder / f"{name}-{width}.png"
        self.page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 0
        return target

    def assert_clean(self) -> None:
        assert self.outside == [], f"requests left 127.0.0.1: {self.outside}"
        assert self.problems == [], f"errors in the browser: {self.problems}"


def _tab(browser: Any, site: FixtureSite, width: int, **options: Any) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    try:
        yield Tab(context.new_page(), site)
    finally:
        context.close()


@pytest.fixture
def tab(browser: Any, built_site: FixtureSite) -> Iterator[Tab]:
    yield from _tab(browser, built_site, WIDE)


@pytest.fixture
def phone(browser: Any, built_site: FixtureSite) -> Iterator[Tab]:
    yield from _tab(browser, built_site, NARROW, is_mobile=True, has_touch=True)


def _texts(page: Any, selector: str) -> list[str]:
    return [" ".join(text.split()) for text in page.locator(selector).all_inner_texts()]


def test_home_page_shows_newest_papers_by_day_and_how_to_subscribe(
    tab: Tab, phone: Tab, screenshots_dir: Path, built_site: FixtureSite
) -> None:
    page = tab.open("")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.title().startswith(SITE_NAME)
    # Updated: the newest paper's first sighting, not the build time.
    assert page.locator(".pf-updated time").get_attribute("datetime") == NEWEST_SEEN
    # Newest day first; each card has its title, short authors, excerpt and links.
    assert [t.get_attribute("datetime") for t in page.locator("h3.pf-day time").all()] == ["2026-11-26", "2026-11-25"]
    card = page.locator(".pf-card").filter(has=page.locator(f'h4 a[href="papers/{MATH_PAPER}/"]'))
    assert "Bounding the Loss" in card.locator("h4").inner_text()
    assert "(6 authors)" in card.locator(".pf-authors").inner_text()  # shortened
    excerpt = card.locator(".pf-excerpt")
    assert excerpt.locator("math").count() >= 1, "the excerpt's math is typeset"
    assert excerpt.inner_text().rstrip().endswith("…")
    assert set(_texts(card, ".pf-card-links a")) == {"arXiv", "PDF", "Hugging Face", "Code", "Project page"}
    # Subscribe: every feed in every format, copyable URLs, and the OPML file.
    box = page.locator(".pf-subscribe")
    hrefs = {a.get_attribute("href") for a in box.locator("a").all()}
    assert {"feed.xml", "feed.rss", "feed.json", "feeds.opml", "feeds/hf-daily.xml", "feeds/hf-daily.rss"} <= hrefs
    assert box.locator("pre code").first.inner_text().strip() == built_site.url("feed.xml")
    tab.shot(screenshots_dir, "home")
    tab.assert_clean()

    phone.open("")
    phone.shot(screenshots_dir, "home")
    phone.assert_clean()


def test_feed_urls_are_copied_by_material_copy_button(browser: Any, built_site: FixtureSite) -> None:
    options = {"permissions": ["clipboard-read", "clipboard-write"]}
    for tab in _tab(browser, built_site, WIDE, **options):
        page = tab.open("")
        block = page.locator(".pf-feed pre").nth(1)
        block.hover()
        block.locator("button[data-md-type=copy], button.md-clipboard").click()
        assert page.evaluate("navigator.clipboard.readText()") == built_site.url("feeds/hf-daily.xml")
        tab.assert_clean()


def test_paper_page_has_everything_about_the_paper(tab: Tab, phone: Tab, screenshots_dir: Path) -> None:
    page = tab.open(f"papers/{MATH_PAPER}/")
    article = page.locator("article.pf-paper")
    assert "Bounding the Loss" in article.locator("h1").inner_text()
    assert article.locator("h1 math").count() == 2  # $\mathcal{L}$ and $\frac{1}{T}$
    authors = article.locator(".pf-authors").inner_text()
    for name in ("Ada Lovelace", "Sofia Kovalevskaya", "Hypatia of Alexandria"):  # all six, not shortened
        assert name in authors
    meta = " ".join(article.locator(".pf-meta").inner_text().split())
    assert "Listed 2026-11-26" in meta and "arXiv 2026-11-24" in meta and "Hugging Face Daily Papers" in meta
    assert _texts(article, ".pf-tags .pf-tag") == ["optimisation", "learning theory"]
    assert _texts(article, ".pf-tags a") == ["optimisation"]  # the tag with a page (two papers)
    # The abstract: math typeset as MathML with a real size, TeX dashes made typographic.
    abstract = article.locator(".pf-abstract")
    assert abstract.locator("math mfrac").count() >= 3
    for formula in abstract.locator("math").all():
        box = formula.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0
    text = abstract.inner_text()
    assert "Spanish–English" in text and "60M–1.3B" in text and "warmup — on" in text and "Fréchet" in text
    # Outside links, in order, and the same-day neighbour.
    links = {a.inner_text(): a.get_attribute("href") for a in article.locator(".pf-links a").all()}
    assert links == {
        "arXiv": f"https://arxiv.org/abs/{MATH_PAPER}",
        "PDF": f"https://arxiv.org/pdf/{MATH_PAPER}",
        "Hugging Face": f"https://huggingface.co/papers/{MATH_PAPER}",
        "Code": "https://github.com/example/warmup-bound",
        "Project page": "https://example.org/warmup-bound",
    }
    assert article.locator('.pf-neighbours a[rel="next"]').get_attribute("href") == f"../{OTHER_PAPER}/"
    # Scholarly metadata, as Google Scholar and Zotero read it.
    head = {
        name: page.locator(f'meta[name="{name}"]').evaluate_all("els => els.map(e => e.content)")
        for name in ("citation_title", "citation_author", "citation_date", "citation_arxiv_id", "citation_pdf_url")
    }
    assert head["citation_title"] == ["Bounding the Loss $\\mathcal{L}$ of Warmup: A $\\frac{1}{T}$ Regret Analysis"]
    assert len(head["citation_author"]) == 6 and head["citation_author"][2] == "Sofia Kovalevskaya"
    assert head["citation_date"] == ["2026/11/24"]
    assert head["citation_arxiv_id"] == [MATH_PAPER]
    assert head["citation_pdf_url"] == [f"https://arxiv.org/pdf/{MATH_PAPER}"]
    tab.shot(screenshots_dir, "paper")
    tab.assert_clean()

    phone.open(f"papers/{MATH_PAPER}/")
    phone.shot(screenshots_dir, "paper")
    phone.assert_clean()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Zebrafish", "Zebrafish Tracking with Event Cameras"),
        ("Kovalevskaya", "Bounding the Loss"),
        ("schrodinger", "Zebrafish Tracking with Event Cameras"),  # written Schr\\"odinger in the archive
        ("2411.04321", "Bounding the Loss"),
        ("arXiv:2411.04321v3", "Bounding the Loss"),
        ("regret warm", "Bounding the Loss"),  # every word, the last one still being typed
    ],
    ids=["title-word", "author-surname", "accent-folded", "arxiv-id", "arxiv-id-versioned", "words-and-prefix"],
)
def test_search_finds_a_paper(tab: Tab, query: str, found: str) -> None:
    page = tab.open("")
    first = _search(page, query).first
    expect(first.locator("h1")).to_contain_text(found)  # the answer to the whole query, not a prefix
    first.locator("a").first.click()
    page.wait_for_load_state("load")
    assert found in page.locator("article h1").first.inner_text()
    tab.assert_clean()


def _search(page: Any, query: str, shown: int | None = None) -> Any:
    """Type `query` into the search box as a reader does, then wait for the answer to the
    whole of it (the worker answers as each key is typed): `shown` results, when given."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)
    items = page.locator(".md-search-result__item")
    meta = page.locator(".md-search-result__meta")
    if shown is None:
        expect(meta).to_contain_text("matching")
    elif shown == 0:
        expect(meta).to_have_text("No matching documents")
    else:
        expect(items).to_have_count(shown)
    return items


def test_search_shows_title_authors_and_day_and_marks_the_words(tab: Tab) -> None:
    page = tab.open("")
    results = _search(page, "zebra tur", shown=1)
    article = results.first.locator("article")
    assert article.locator("h1").inner_text() == "Zebrafish Tracking with Event Cameras"
    assert article.locator("h1 mark").all_inner_texts() == ["Zebrafish"]
    assert article.locator("p").inner_text() == "2026-11-26 · Marie Curie, Alan Turing, Erwin Schrödinger"
    assert article.locator("p mark").all_inner_texts() == ["Turing"]
    assert results.first.locator("a").get_attribute("href").split("?")[0].endswith(f"papers/{OTHER_PAPER}/")
    tab.assert_clean()


def test_a_paper_pages_header_parts_come_from_cached_scripts_and_work(tab: Tab, built_site: FixtureSite) -> None:
    """The palette toggle, search box, tabs, __config data and back-to-top button of a paper
    page are inserted by shared scripts (mkdocs_hooks.py): in place, and working as on any page."""
    html = built_site.file_for(built_site.url(f"papers/{MATH_PAPER}/")).read_text("utf-8")
    assert "paperfeed-chrome." in html
    moved = ("palette", "search", "tabs", "top")
    assert not [part for part in moved if f'data-md-component="{part}"' in html] and "__config" not in html
    page = tab.open(f"papers/{MATH_PAPER}/")
    expect(page.locator('[data-md-component="tabs"]')).to_have_count(1)
    expect(page.locator('[data-md-component="top"]')).to_have_count(1)
    scheme = page.locator("body").get_attribute("data-md-color-scheme")
    page.locator('form[data-md-component="palette"] label:visible').first.click()
    expect(page.locator("body")).not_to_have_attribute("data-md-color-scheme", scheme or "")
    first = _search(page, "Zebrafish").first
    expect(first.locator("h1")).to_contain_text("Zebrafish Tracking with Event Cameras")
    tab.assert_clean()


def test_search_finds_hand_written_pages_as_material_does(tab: Tab) -> None:
    page = tab.open("")
    results = _search(page, "self-hosting")
    expect(results.filter(has_text=re.compile("self-hosting", re.IGNORECASE)).first).to_be_visible()
    tab.assert_clean()


def test_a_word_in_no_paper_finds_nothing_and_says_so(tab: Tab) -> None:
    page = tab.open("")
    results = _search(page, "qwxzv", shown=0)
    assert results.count() == 0
    tab.assert_clean()


def test_search_downloads_only_the_index_files_its_words_need(tab: Tab, built_site: FixtureSite) -> None:
    """Papers are not in Material's index; a search fetches the manifest, one terms file per
    word and the docs file of its results, each once."""
    index = json.loads((built_site.site_dir / "search" / "search_index.json").read_text("utf-8"))
    assert not [doc for doc in index["docs"] if doc["location"].startswith("papers/")]
    fetched: list[str] = []
    tab.page.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    page = tab.open("")
    _search(page, "zebrafish tracking", shown=1)
    folder = urlsplit(built_site.url("search/papers/")).path
    paper_files = sorted(path.removeprefix(folder) for path in fetched if path.startswith(folder))
    assert paper_files == ["docs/0.json", "manifest.json", "terms/tr.json", "terms/ze.json"]
    tab.assert_clean()


@pytest.mark.parametrize("lost", ["manifest.json", "terms/ze.json", "docs/0.json"])
def test_a_search_index_file_that_failed_to_load_is_fetched_again(tab: Tab, lost: str) -> None:
    """A lost request (a phone between two cells) costs that search its papers, not every
    later search: the worker asks again."""
    refused: list[str] = []

    def refuse(route: Any) -> None:
        refused.append(route.request.url)
        route.abort()

    tab.page.route(re.compile(rf".*/search/papers/{re.escape(lost)}(\?.*)?$"), refuse)
    page = tab.open("")
    _search(page, "zebrafish", shown=0)
    assert refused, "the worker's requests went past the route"
    page.unroute_all()
    page.locator("input.md-search__input").press_sequentially(" tracking", delay=20)
    expect(page.locator(".md-search-result__item h1")).to_have_text(["Zebrafish Tracking with Event Cameras"])
    tab.problems = [problem for problem in tab.problems if "ERR_FAILED" not in problem]  # the refused one
    tab.assert_clean()


def _with_worker_functions(tab: Tab) -> Any:
    """The home page with search_worker.js loaded as a page script: its functions to call
    (outside a worker it only defines them)."""
    page = tab.open("")
    page.add_script_tag(content=(ROOT / "generator" / "paperfeed" / "search_worker.js").read_text("utf-8"))
    return page


def test_the_worker_splits_and_folds_words_as_the_index_does(tab: Tab) -> None:
    """search_worker.js's words() and term key against paper_search's, on tricky and random text."""
    from paperfeed import paper_search  # noqa: PLC0415

    pool = "aZé\u0301ßİıΣσς ﬁＡ１²½_-.'\"&<>\t\n大型语言模型ñÅ👍🏽α\u200dK\u0130\u00a0"
    rng = random.Random(6)  # noqa: S311 - test data, not secrets
    texts = [
        "Schölkopf's GAN-based",
        "Δ-learning",
        "ＦＵＬＬ",
        "Ⅻ ① ⁵",
        *("".join(rng.choice(pool) for _ in range(rng.randint(0, 30))) for _ in range(400)),
    ]
    page = _with_worker_functions(tab)
    in_js = page.evaluate(
        "texts => texts.map(t => { const w = paperfeedWords(t); return [w, w.map(paperfeedTermKey)]; })", texts
    )
    in_python = [[paper_search.words(t), [paper_search.term_key(w) for w in paper_search.words(t)]] for t in texts]
    assert in_js == in_python
    tab.assert_clean()


def test_long_author_lists_are_shortened_but_keep_the_matched_names(tab: Tab) -> None:
    page = _with_worker_functions(tab)
    names = ", ".join(f"Author{n} Surname{n}" for n in range(1, 13))
    shortened = page.evaluate("([names, terms]) => byline(names, terms)", [names, ["surname11"]])
    first_six = ", ".join(f"Author{n} Surname{n}" for n in range(1, 7))
    assert shortened == f"{first_six}, …, Author11 <mark data-md-highlight>Surname11</mark> (12 authors)"
    assert page.evaluate("([names, terms]) => byline(names, terms)", [names, ["zzz"]]) == f"{first_six}, … (12 authors)"
    few = "Ada Lovelace, Alan <b>Turing</b>"
    assert page.evaluate("([names, terms]) => byline(names, terms)", [few, ["ada"]]) == (
        "<mark data-md-highlight>Ada</mark> Lovelace, Alan &#60;b&#62;Turing&#60;/b&#62;"
    )
    tab.assert_clean()


def _alternates(page: Any) -> list[tuple[str, str]]:
    return [
        (link["type"], link["href"])
        for link in page.locator('link[rel="alternate"]').evaluate_all(
            "els => els.map(e => ({type: e.type, href: e.href}))"
        )
    ]


def _fetch(url: str) -> bytes:
    assert urlsplit(url).hostname == "127.0.0.1", url
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200, url
        return response.read()


def _check_feed(kind: str, data: bytes, url: str) -> int:
    """Parse a fetched feed the way a client would; return its number of entries."""
    if kind == "application/feed+json":
        feed = json.loads(data)
        assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["feed_url"] == url
        return len(feed["items"])
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, (url, parsed.get("bozo_exception"))
    assert parsed.version == ("atom10" if kind == "application/atom+xml" else "rss20"), url
    return len(parsed.entries)


def test_every_advertised_feed_resolves_and_parses(tab: Tab, built_site: FixtureSite) -> None:
    own = {
        "listing": "feeds/hf-daily",
        "listing-page-2": "feeds/hf-daily",
        "tag": "feeds/tags/optimisation",
    }
    for name, path in [*PAGES, ("empty listing", f"listings/{EMPTY_LISTING}/")]:
        page = tab.open(path)
        alternates = _alternates(page)
        assert alternates and len(set(alternates)) == len(alternates), name
        hrefs = set()
        for kind, url in alternates:
            assert kind in FEED_TYPES, (name, kind)
            _check_feed(kind, _fetch(url), url)
            hrefs.add(url)
        combined = {built_site.url(f"feed{ext}") for ext in (".xml", ".rss", ".json")}
        assert combined <= hrefs, name
        stem = own.get(name, f"feeds/{EMPTY_LISTING}" if name == "empty listing" else None)
        if stem:
            assert {built_site.url(f"{stem}{ext}") for ext in (".xml", ".rss", ".json")} <= hrefs, name
        else:
            assert hrefs == combined, f"{name} advertises feeds that are not its own"
    tab.assert_clean()


def test_every_page_renders_without_another_host_or_an_error(tab: Tab, built_site: FixtureSite) -> None:
    """Every HTML page of the site, hand-written ones included: theme, icons, search and math
    need nothing from another host (font: false; MathML needs no script)."""
    pages = sorted(p.relative_to(built_site.site_dir).as_posix() for p in built_site.site_dir.rglob("index.html"))
    assert len(pages) > 20
    for path in pages:
        page = tab.open(path.removesuffix("index.html"))
        assert page.locator("article h1").count() == 1, path
    tab.assert_clean()


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_no_horizontal_overflow_on_a_phone(phone: Tab, screenshots_dir: Path, name: str, path: str) -> None:
    page = phone.open(path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW, f"{name} is {width}px wide at {NARROW}px"
    if name != "paper":  # test_paper_page_has_everything_about_the_paper takes that one
        phone.shot(screenshots_dir, name)
    phone.assert_clean()


def test_long_math_scrolls_in_its_own_box(phone: Tab) -> None:
    page = phone.open(f"papers/{MATH_PAPER}/")
    wide = page.locator(".pf-abstract .pf-math-wide").first
    sizes = wide.evaluate("e => [e.scrollWidth, e.clientWidth, e.getBoundingClientRect().right]")
    assert sizes[0] > sizes[1], "the fixture's long formula should be wider than a phone"
    assert sizes[2] <= NARROW
    phone.assert_clean()


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_structure_is_accessible(tab: Tab, name: str, path: str) -> None:
    page = tab.open(path)
    assert page.locator("html").get_attribute("lang") == "en"
    content = page.locator("article.md-content__inner")
    levels = [
        int(tag[1]) for tag in content.locator("h1, h2, h3, h4, h5, h6").evaluate_all("els => els.map(e => e.tagName)")
    ]
    assert levels[0] == 1 and levels.count(1) == 1, (name, levels)
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"{name}: heading level jumps from h{before} to h{after}: {levels}"
    names = content.locator("a").evaluate_all(
        "els => els.map(e => (e.getAttribute('aria-label') || e.innerText || e.title || '').trim())"
    )
    vague = {"", "here", "click here", "link", "this", "more", "read more"}
    assert not [n for n in names if n.lower() in vague], f"{name}: links whose text says nothing: {names}"
    tab.assert_clean()


def test_pager_numbers_are_labelled(tab: Tab) -> None:
    page = tab.open("listings/hf-daily/")
    pager = page.locator("nav.pf-pager")
    assert pager.get_attribute("aria-label") == "Pages"
    assert pager.locator('a[aria-label="Page 1"]').get_attribute("aria-current") == "page"
    assert pager.locator('a[aria-label="Page 2"]').get_attribute("href") == "page-2/"
    assert pager.locator('a[rel="next"]').inner_text() == "Next page"
    assert page.locator(".pf-card").count() == 10  # settings.page_size
    page = tab.open("listings/hf-daily/page-2/")
    pager = page.locator("nav.pf-pager")
    assert pager.locator('a[aria-label="Page 2"]').get_attribute("aria-current") == "page"
    assert pager.locator('a[rel="prev"]').inner_text() == "Previous page"
    assert page.locator(".pf-card").count() == 2
    tab.assert_clean()


# Our CSS's colours, where each is used: page -> selectors.
OUR_COLOURS = {
    "": [".pf-updated", ".pf-authors", ".pf-card-links a", ".pf-feed pre code"],
    f"papers/{MATH_PAPER}/": [".pf-meta", ".pf-meta a", ".pf-tags", "a.pf-tag", "span.pf-tag", ".pf-neighbours a"],
    "listings/hf-daily/": ['.pf-pager a[aria-current="page"]', ".pf-pager a[rel=next]"],
}


@pytest.mark.parametrize(("scheme", "palette"), [("light", "default"), ("dark", "slate")])
def test_our_colours_are_readable_in_both_palettes(
    browser: Any, built_site: FixtureSite, screenshots_dir: Path, scheme: str, palette: str
) -> None:
    for tab in _tab(browser, built_site, WIDE, color_scheme=scheme):
        low = []
        for path, selectors in OUR_COLOURS.items():
            page = tab.open(path)
            assert page.locator("body").get_attribute("data-md-color-scheme") == palette
            for selector in selectors:
                ratio = page.locator(selector).first.evaluate(CONTRAST_JS)
                if ratio < 4.5:  # WCAG 2 AA for normal text
                    low.append(f"{selector} on /{path}: {ratio:.2f}")
            if path.startswith("papers/"):
                tab.shot(screenshots_dir, f"paper-{palette}")
        assert not low, f"too little contrast in the {palette} palette: {low}"
        tab.assert_clean()
