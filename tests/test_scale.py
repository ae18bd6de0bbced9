"""The pieces that keep a 100,000-paper site small and fast: the MkDocs hooks, the
build stamp, the streamed writer and the synthetic archive of the benchmarks."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path

import pytest

from paperfeed import build, mkdocs_hooks
from paperfeed.errors import OutputError
from paperfeed.sources import detect_format, parse_listing
from paperfeed.writer import write_tree


def test_the_search_worker_wraps_materials_own_and_swaps_in_on_every_page() -> None:
    name, source = mkdocs_hooks.search_worker("search.0123abcd.min.js")
    assert name.startswith("paperfeed-search.") and name.endswith(".js")
    assert "importScripts(MATERIAL_WORKER)" in source and '"search.0123abcd.min.js"' in source
    assert mkdocs_hooks.search_worker("search.0123abcd.min.js")[0] == name  # the name is the content's
    assert mkdocs_hooks.search_worker("search.ffffffff.min.js")[0] != name
    mkdocs_hooks._worker.update(material="search.0123abcd.min.js", name=name, source=source)
    try:
        config = '{"search": "../assets/javascripts/workers/search.0123abcd.min.js", "tags": null}'
        swapped = mkdocs_hooks.use_search_worker(config)
        assert swapped == f'{{"search": "../assets/javascripts/workers/{name}", "tags": null}}'
    finally:
        mkdocs_hooks._worker.clear()
    assert mkdocs_hooks.use_search_worker(config) == config  # no worker found: Material's stays


def test_whitespace_with_a_line_break_collapses_except_in_verbatim_pages() -> None:
    assert mkdocs_hooks.collapse_whitespace("<p>a  \n    b</p>\n\n  <p>c d</p>") == "<p>a\nb</p>\n<p>c d</p>"
    verbatim = "<pre>a\n    b</pre>"
    assert mkdocs_hooks.collapse_whitespace(verbatim) == verbatim


@pytest.mark.parametrize(
    ("markdown", "raw"),
    [
        ('<article class="pf-paper">\n<h1>T</h1>\n</article>\n', True),
        ("<div>\n<p>a</p>\n</div>", True),
        ("# A heading\n\ntext", False),
        ("<div>\n\n<p>a</p>\n</div>", False),  # a blank line ends a raw block
        ('<div markdown="1">*a*</div>', False),
        ("<span>inline</span>", False),
    ],
)
def test_only_single_raw_html_blocks_skip_markdown(markdown: str, raw: bool) -> None:
    assert mkdocs_hooks.is_raw_html_page(markdown) is raw


def test_marked_chrome_becomes_one_shared_script() -> None:
    mkdocs_hooks._chrome.clear()
    page = 'a<!--pf-chrome--><form id="f"></form><script>go()</script><!--/pf-chrome-->b'
    out = mkdocs_hooks.externalize_chrome(page, "papers/x/")
    assert out.startswith('a<script src="../../assets/paperfeed-chrome.') and out.endswith('.js"></script>b')
    assert mkdocs_hooks.externalize_chrome(page, "papers/y/") == out
    (markup,) = mkdocs_hooks._chrome
    script = mkdocs_hooks.chrome_script(markup)
    assert 'insertAdjacentHTML("beforebegin","<form id=\\"f\\"></form>")' in script
    assert script.rstrip().endswith("go()")
    other = 'a<!--pf-chrome--><script src="x.js"></script><!--/pf-chrome-->b'
    assert mkdocs_hooks.externalize_chrome(other, "papers/x/") == 'a<script src="x.js"></script>b'
    mkdocs_hooks._chrome.clear()


def test_lean_paper_drops_the_tab_script_and_marks_the_top_button() -> None:
    button = '<button type="button" class="md-top md-icon" data-md-component="top" hidden>\nBack</button>'
    out = mkdocs_hooks.lean_paper(f"<main>{mkdocs_hooks._TABBED_SCRIPT}{button}</main>")
    assert out == f"<main><!--pf-chrome-->{button}<!--/pf-chrome--></main>"


def _project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Hello\n", "utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: t\nsite_url: https://example.org/\ntheme:\n  name: mkdocs\n", "utf-8")
    return config


@pytest.mark.slow
def test_build_is_skipped_until_an_input_changes(tmp_path: Path) -> None:
    config = _project(tmp_path)
    site = tmp_path / "site"
    assert not build.build_site(config, site).skipped
    assert json.loads((site / build.STAMP_FILE).read_text("utf-8"))["format"] == 1
    assert build.build_site(config, site).skipped
    assert not build.build_site(config, site, force=True).skipped
    page = tmp_path / "docs" / "index.md"
    os.utime(page, ns=(1, 1))  # only the time moved: the contents decide, nothing to build
    again = build.build_site(config, site)
    assert again.skipped and "times" in again.reason
    page.write_text("# Changed\n", "utf-8")
    assert not build.build_site(config, site).skipped
    assert "Changed" in (site / "index.html").read_text("utf-8")


def test_compact_sitemap_keeps_every_url(tmp_path: Path) -> None:
    import gzip  # noqa: PLC0415

    sitemap = (
        '<?xml version="1.0"?>\n<urlset>\n    <url>\n         <loc>https://e.org/a/</loc>\n    </url>\n</urlset>\n'
    )
    (tmp_path / "sitemap.xml").write_text(sitemap, "utf-8")
    (tmp_path / "sitemap.xml.gz").write_bytes(gzip.compress(sitemap.encode(), mtime=7))
    assert mkdocs_hooks.compact_sitemap(tmp_path) > 0
    compact = (tmp_path / "sitemap.xml").read_bytes()
    assert compact == b'<?xml version="1.0"?><urlset><url><loc>https://e.org/a/</loc></url></urlset>\n'
    assert gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()) == compact


def test_a_large_sitemap_becomes_an_index_of_parts_that_keep_every_url(tmp_path: Path) -> None:
    import gzip  # noqa: PLC0415
    import xml.etree.ElementTree as ET  # noqa: PLC0415 - parses files this test wrote

    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = ["https://e.org/site/", *(f"https://e.org/site/papers/p{n}/" for n in range(24))]
    urls = "".join(f"<url><loc>{loc}</loc><lastmod>2026-11-27</lastmod></url>" for loc in locs)
    sitemap = f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="{ns[1:-1]}">{urls}</urlset>\n'
    (tmp_path / "sitemap.xml").write_text(sitemap, "utf-8")
    (tmp_path / "sitemap.xml.gz").write_bytes(gzip.compress(sitemap.encode(), mtime=7))
    assert mkdocs_hooks.split_sitemap(tmp_path, per_file=100) == 0  # small enough: left as it is
    assert (tmp_path / "sitemap.xml").read_text("utf-8") == sitemap

    assert mkdocs_hooks.split_sitemap(tmp_path, per_file=10) == 3
    index = ET.fromstring((tmp_path / "sitemap.xml").read_bytes())
    assert index.tag == f"{ns}sitemapindex"
    parts = [loc.text for loc in index.iter(f"{ns}loc")]
    assert parts == [f"https://e.org/site/sitemaps/{n}.xml" for n in (1, 2, 3)]
    found = []
    for n in (1, 2, 3):
        part = ET.fromstring((tmp_path / "sitemaps" / f"{n}.xml").read_bytes())
        assert part.tag == f"{ns}urlset" and len(part) <= 10
        found += [loc.text for loc in part.iter(f"{ns}loc")]
    assert found == locs
    assert gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()) == (tmp_path / "sitemap.xml").read_bytes()


def test_a_sitemap_without_one_site_url_is_left_whole(tmp_path: Path) -> None:
    urls = "".join(f"<url><loc>https://{host}.org/</loc></url>" for host in ("a", "b", "c"))
    sitemap = f"<urlset>{urls}</urlset>"
    (tmp_path / "sitemap.xml").write_text(sitemap, "utf-8")
    assert mkdocs_hooks.split_sitemap(tmp_path, per_file=1) == 0
    assert (tmp_path / "sitemap.xml").read_text("utf-8") == sitemap


def test_streamed_files_are_written_and_a_path_twice_is_a_bug(tmp_path: Path) -> None:
    report = write_tree(tmp_path, iter([("papers/a.md", "A"), ("index.md", b"I")]), ["papers"], ["index.md"])
    assert sorted(report.written) == ["index.md", "papers/a.md"]
    assert write_tree(tmp_path, iter([("papers/a.md", "A")]), ["papers"]).unchanged == 1
    with pytest.raises(OutputError, match="generated twice"):
        write_tree(tmp_path, iter([("papers/b.md", "B"), ("papers/b.md", "B")]), ["papers"])


def test_synthetic_archives_are_reproducible() -> None:
    root = str(Path(__file__).resolve().parent.parent)  # benchmarks/ sits beside tests/
    if root not in sys.path:
        sys.path.insert(0, root)
    from benchmarks.synth import synthesize  # noqa: PLC0415

    first, second = synthesize(300, seed=3), synthesize(300, seed=3)
    assert first.archive == second.archive and first.fresh == second.fresh
    assert len(first.archive) == 300
    assert any("$" in record.paper.abstract for record in first.archive.values())
    assert all(1 <= len(record.paper.authors) <= 30 for record in first.archive.values())


def test_the_simulated_year_speaks_the_sources_real_formats() -> None:
    """`make bench-year` serves a made-up year; it must stay in the shapes paperfeed reads from
    Hugging Face and arXiv, or the benchmark would measure nothing real."""
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    from benchmarks.world import World  # noqa: PLC0415

    monday, saturday = date(2027, 1, 11), date(2027, 1, 16)
    world = World(seed=3, first_day=date(2027, 1, 1))
    assert World(seed=3, first_day=date(2027, 1, 1)).rss_payload(monday) == world.rss_payload(monday)
    assert detect_format(world.rss_payload(monday), "rss") == "arxiv-rss"
    assert detect_format(world.hf_payload(monday), "hf") == "hf-api"
    announced = parse_listing(world.rss_payload(monday), "rss")
    assert 100 <= len(announced) <= 250 and all(p.listed == monday and p.arxiv_id for p in announced)
    assert parse_listing(world.rss_payload(saturday), "rss") == []  # no announcements at weekends
    listed = parse_listing(world.hf_payload(date(2027, 1, 12)), "hf")
    assert 25 <= len(listed) <= 80 and all(p.summary and p.tags and p.listed for p in listed)
    # Some of a day's Hugging Face papers are arXiv's of the days before, as in life.
    seen = {p.arxiv_id for day in range(4, 12) for p in parse_listing(world.rss_payload(date(2027, 1, day)), "r")}
    assert 0 < len({p.arxiv_id for p in listed} & seen) < len(listed)


def test_the_benchmark_page_keeps_both_benchmarks_results() -> None:
    """`make bench` and `make bench-year` each rewrite docs/benchmarks.md from results.json:
    neither may drop the other's section, and the hand-written top stays."""
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    from benchmarks.report import MARKER, render_page  # noqa: PLC0415

    point = {
        "night": 365, "day": "2027-12-31", "papers": 46_478, "data_bytes": 83_400_000, "data_gzip_bytes": 19_000_000,
        "history_bytes": 24_200_000, "history_ratio": 1.274, "commits": 363, "night_seconds": 3.0,
        "update_seconds": 2.4, "commit_seconds": 0.6, "night_cpu_seconds": 2.9, "render_seconds": 21.0,
        "build_seconds": 128.0, "site_bytes": 452_900_000, "site_files": 49_244,
    }  # fmt: skip
    year = {
        "nights": 365, "first_day": "2027-01-01", "seed": 11, "checkpoints": [point],
        "all_nights": {
            "median_seconds": 2.9, "p90_seconds": 6.3, "slowest": {"night": 254, "seconds": 17.5}, "commits": 362,
            "nights_without_new_papers": 4, "of_which_committed": 1,
        },
        "targets": {"history_ratio": {"limit": 1.5}, "last_night_seconds": {"limit": 15.0}},
    }  # fmt: skip
    current = f"# Benchmarks\n\nWritten by hand.\n\n{MARKER}\n\nold tables\n"
    page = render_page({"runs": {}, "year": year}, current)
    assert page.startswith("# Benchmarks\n\nWritten by hand.\n") and "old tables" not in page
    assert "## Results" in page and "## A simulated year" in page
    assert "| packed history at most 1.5× data/ gzipped (night 365) | yes | 1.27× (24.2 MB against 19.0 MB) |" in page
    assert "| a night's update + commit under 15 s (night 365) | yes | 3.0 s |" in page
    assert "Not run yet: `make bench-year`." in render_page({"runs": {}}, current)
