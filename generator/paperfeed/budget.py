"""The site's size budget: which papers get compact pages, so that the built site fits.

GitHub Pages publishes no site over 1 GB, and every paper costs a page and a card on its day
page. When the built site would pass `site_budget_mb`, the oldest papers get compact pages
(title, authors, day and links, from theme/paper-compact-body.html) and cards without the
abstract's start, oldest first, until the estimate fits. The newest papers keep full pages,
and every paper keeps its URL.

The estimate is made by the render, before `mkdocs build`:
- files MkDocs copies as they are (feeds, the paper search index) count their bytes, and each
  other generated page its Markdown plus the frame Material puts around it (INDEX_FRAME);
- paper and day pages are rendered after the plan, so a paper's bytes in either form come
  from a line fitted on a sample of papers rendered both ways with the theme's own templates
  (a fork's templates count), plus the frame of that kind of page;
- Material's assets and the hand-written pages count a fixed amount (FIXED).
The frames and FIXED were measured on built sites (`python -m benchmarks.budget` measures them
again). Everything depends on the archive and settings alone, so the same archive gives the
same pages anywhere and a rerun rewrites nothing. The plan aims MARGIN under the budget, for
what the model misses; `paperfeed check` measures the built site itself and stops the
publish when it is over.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from paperfeed.config import Settings
from paperfeed.links import page_url
from paperfeed.model import Record

MB = 1_000_000
MARGIN = 0.02  # the plan aims this share under the budget
WARN_AT = 0.8  # the log warns from this share of the budget on
SAMPLE = 64  # papers rendered both ways to fit the cost of a paper's page and card

# Measured on built sites (benchmarks/budget.py), in bytes, for the shipped theme and mkdocs.yml.
FIXED = 2_800_000  # Material's assets, paperfeed's scripts, the 404 page, the hand-written pages
INDEX_FRAME = 11_630  # around an index page's Markdown: Material's head, header, tabs, footer
PAPER_FRAME = 3_130  # around a paper page's Markdown, beyond the title, authors and addresses
COMPACT_FRAME = 327  # around a compact page's Markdown, beyond its addresses
CITATION_AUTHOR = 35  # the <meta name="citation_author"> a paper page has per author
SITEMAP_ENTRY = 51  # a sitemap <url> beyond its address
DAY_HEAD = 131  # a day page's Markdown besides its cards: front matter, heading, pager


@dataclass(frozen=True)
class Plan:
    """Which papers get compact pages, and the built site's estimated bytes with them."""

    budget: int  # bytes
    estimate: int  # the site as planned
    least: int  # the site with every paper compact: less cannot be had
    compact: frozenset[str]  # ids of the papers with compact pages, the oldest
    papers: int

    @property
    def share(self) -> float:
        return self.estimate / self.budget

    @property
    def fits(self) -> bool:
        return self.estimate <= self.budget


def sitemap_bytes(site_url: str, md_path: str) -> int:
    """A page's entry in sitemap.xml (split into parts of 1,000 entries by the build)."""
    return SITEMAP_ENTRY + len(site_url) + len(page_url(md_path))


def file_bytes(path: str, content: str | bytes, site_url: str) -> int:
    """What a generated file of docs/ (not a paper or day page) adds to the built site."""
    if isinstance(content, str):
        size = len(content) if content.isascii() else len(content.encode("utf-8"))
    else:
        size = len(content)
    if path.endswith(".md"):
        return size + INDEX_FRAME + sitemap_bytes(site_url, path)
    return size


def text_bytes(record: Record) -> int:
    """The length of a paper's text, which its page's and card's bytes grow with."""
    paper = record.paper
    return (
        len(paper.title)
        + len(paper.abstract)
        + len(paper.summary)
        + sum(map(len, paper.authors))
        + sum(map(len, paper.tags))
        + sum(len(url) for _, url in paper.links)
        + 40 * len(record.listings)
    )


@dataclass(frozen=True)
class Line:
    """bytes = intercept + slope * text_bytes, fitted by least squares."""

    intercept: float
    slope: float

    def __call__(self, x: int) -> int:
        return round(self.intercept + self.slope * x)

    @staticmethod
    def fit(points: Sequence[tuple[int, int]]) -> Line:
        if not points:
            return Line(0.0, 0.0)
        mean_x = sum(x for x, _ in points) / len(points)
        mean_y = sum(y for _, y in points) / len(points)
        spread = sum((x - mean_x) ** 2 for x, _ in points)
        if spread == 0:
            return Line(mean_y, 0.0)
        slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
        return Line(mean_y - slope * mean_x, slope)


# Renders a paper both ways for the sample: (full page + card, compact page + card) Markdown bytes.
RenderBoth = Callable[[Record], tuple[int, int]]


def plan_pages(
    records: Sequence[Record], render_both: RenderBoth, *, day_pages: int, other_bytes: int, settings: Settings
) -> Plan:
    """Which of `records` (newest first) get compact pages, the oldest, so that the estimate
    of the built site fits the budget. `other_bytes` is what every other generated file adds
    (file_bytes); `day_pages` is how many day pages there are."""
    budget = round(settings.site_budget_mb * MB)
    site_url, site_name = settings.site_url, settings.site_name
    step = max(1, len(records) // SAMPLE)
    sample = [(text_bytes(record), render_both(record)) for record in records[::step][:SAMPLE]]
    full_line = Line.fit([(x, full) for x, (full, _) in sample])
    compact_line = Line.fit([(x, compact) for x, (_, compact) in sample])
    named = 4 * len(site_name)  # the site's name in the title and the header
    base = FIXED + other_bytes + day_pages * (INDEX_FRAME + DAY_HEAD + sitemap_bytes(site_url, "days/2026-01-01.md"))
    full: list[int] = []
    saved: list[int] = []
    for record in records:
        x = text_bytes(record)
        address = sitemap_bytes(site_url, f"papers/{record.id}.md") + len(site_url) + len(record.id)
        title = len(record.paper.title)
        as_full = full_line(x) + PAPER_FRAME + named + title + CITATION_AUTHOR * len(record.paper.authors)
        as_compact = compact_line(x) + COMPACT_FRAME + named // 2
        full.append(as_full + address)
        saved.append(as_full - as_compact)
    estimate = base + sum(full)
    least = estimate - sum(saved)
    target = budget * (1 - MARGIN)
    compact = 0
    while estimate > target and compact < len(records):
        compact += 1
        estimate -= saved[-compact]
    ids = frozenset(record.id for record in records[len(records) - compact :])
    return Plan(budget, estimate, least, ids, len(records))


def _mb(size: int) -> str:
    return f"{size / MB:,.1f} MB"


def budget_text(budget: int) -> str:
    """A budget as its setting reads: "1,000 MB", "120 MB", "3.5 MB"."""
    return f"{budget / MB:,g} MB"


def summary(plan: Plan) -> str:
    """One line for the log: how full the budget is, and which papers have compact pages."""
    line = f"site budget: about {_mb(plan.estimate)} of {budget_text(plan.budget)} ({plan.share:.0%})"
    if plan.compact:
        oldest, newest = _papers(len(plan.compact), "oldest"), _papers(plan.papers - len(plan.compact), "newest")
        line += f"; compact pages for the {oldest}, full ones for the {newest}"
    return line


def _papers(count: int, which: str) -> str:
    return f"{which} paper" if count == 1 else f"{count:,} {which} papers"


def warning(plan: Plan) -> str | None:
    """What the log warns about from WARN_AT of the budget on, saying what happens next; or None."""
    setting = "extra.paperfeed.site_budget_mb"
    budget = budget_text(plan.budget)
    if not plan.fits:
        return (
            f"the site would be about {_mb(plan.estimate)} even with every paper's page compact, over its "
            f"{budget} budget, so `paperfeed check` will stop the publish; raise {setting} "
            "(GitHub Pages allows 1000) or follow fewer listings"
        )
    if plan.compact:
        return (
            f"compact pages (title, authors, day, links) for {len(plan.compact):,} of {plan.papers:,} papers, the "
            f"oldest, keep the site within its {budget} budget, and more will as the archive grows "
            f"(with every page compact it would be {_mb(plan.least)}); raise {setting} to give them full pages"
        )
    if plan.share >= WARN_AT:
        return (
            f"the site is at {plan.share:.0%} of its {budget} budget; past {1 - MARGIN:.0%} the oldest papers "
            f"get compact pages (title, authors, day, links) while the newest keep full pages; raise {setting} "
            "if your host allows more"
        )
    return None
