"""MkDocs hooks that keep a site of 100,000 paper pages small and its build lean (issue #6).

Registered in mkdocs.yml under `hooks:`, so `mkdocs build`, `mkdocs serve` and `paperfeed build`
all get them. Each measured with `make bench` (numbers in docs/benchmarks.md):

- Search. Material's search plugin parses every page's HTML and indexes its whole text, about
  2.1 KB a paper, and its worker downloads all of it before it answers. Paper pages are left
  out of it (`search.exclude`, set here, so pages.py need not know): paperfeed writes its own
  paper index, in small files fetched as a search needs them (paper_search.py). Material's
  worker is swapped for paperfeed's (search_worker.js), which runs Material's own worker for
  the other pages and adds the papers to its results.
- Whitespace. Material's templates indent every line. Each run of whitespace that holds a line
  break becomes one line break, on every page without <pre> or <textarea>: a browser renders
  the page exactly as before (whitespace in flow content collapses anyway), and a paper page
  shrinks by about a fifth. A Python regex costs ~0.05 ms a page where minify-html took 2 ms
  for an extra ~1 KB, so no new dependency.
- Header. The palette toggle and the search box work only with JavaScript, and their markup
  (six inline SVG icons among it) is ~5 KB of every paper page, the same on each. The lean
  paper template marks it (<!--pf-chrome--> ... <!--/pf-chrome-->), and likewise the tabs
  and Material's __config data (identical on every paper page, as all sit at the same
  depth), and the back-to-top button base.html adds. Each marked part is moved into a
  script, assets/paperfeed-chrome.<hash>.js, that inserts it in place while the page is
  parsed (before Material's bundle looks for it) and runs the palette's inline script; the
  browser caches each once for every paper page. Base.html's script for content tabs goes
  (a paper page has none). Without this hook the markers are comments and all stays inline.
- Markdown. Every page paperfeed generates is one raw-HTML block (pages.py), which
  Python-Markdown hands back unchanged, but only after parsing every tag of it with its HTML
  parser: 60% of a 10,000-paper build. Such a page is rendered by taking its HTML as it is
  (same content, no table of contents, the same anchor ids); tested equal on every kind.
- Memory. MkDocs reads and renders every page before it writes any, and keeps each page's
  Markdown and HTML to the end. A generated page's HTML is held zlib-compressed between
  rendering and writing (a paper's 10 KB UCS-2 string becomes ~2 KB, a day page's 140 KB
  ~25 KB), its Markdown is dropped once rendered and its HTML once written.
"""

from __future__ import annotations

import json
import re
import types
import zlib
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

PAPER_TEMPLATE = "paper.html"
WORKERS = "assets/javascripts/workers"
_MATERIAL_WORKER = re.compile(r"search\.[0-9a-f]+\.min\.js")
_NEWLINE_RUN = re.compile(r"[ \t\r\f\v]*\n\s*")
_VERBATIM = ("<pre", "<textarea")

_CHROME = re.compile(r"<!--pf-chrome-->(.*?)<!--/pf-chrome-->", re.DOTALL)
_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_DATA_SCRIPT = re.compile(r'<script id="__config" type="application/json">.*?</script>', re.DOTALL)
_MAX_CHROME = 8
_TOP_BUTTON = re.compile(
    r'<button type="button" class="md-top md-icon" data-md-component="top" hidden>.*?</button>', re.DOTALL
)
_TABBED_SCRIPT = (  # Material's partials/javascripts/content.html
    "<script>var target=document.getElementById(location.hash.slice(1));"
    'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))</script>'
)
CHROME_DIR = "assets"

_RAW_PAGE = re.compile(r"<(?:article|div|section|main|nav)[\s>]")
_ANCHOR = re.compile(r'<[^>]*\s(?:id|name)="([^"]*)"')

_chrome: dict[str, str] = {}  # markup -> the name of the script that inserts it
_raw: set[str] = set()  # src_uri of the pages rendered as raw HTML
_held: dict[str, bytes] = {}  # src_uri -> compressed HTML of a paper page awaiting its template
_worker: dict[str, str] = {}  # "material", "name", "source": Material's worker, paperfeed's and its text


def _is_paper(page: Any) -> bool:
    meta = getattr(page, "meta", None) or {}
    return meta.get("template") == PAPER_TEMPLATE


def collapse_whitespace(output: str) -> str:
    """Each whitespace run holding a line break becomes one line break (not in <pre>-like pages)."""
    if any(tag in output for tag in _VERBATIM):
        return output
    return _NEWLINE_RUN.sub("\n", output)


def chrome_script(markup: str) -> str:
    """JavaScript that inserts `markup` before itself, then runs its inline scripts (an inserted
    <script> never runs; a JSON one such as Material's __config is data and needs not)."""
    scripts = _SCRIPT.findall(markup)
    html_part = _SCRIPT.sub("", markup).strip()
    insert = f'document.currentScript.insertAdjacentHTML("beforebegin",{json.dumps(html_part)});'
    return "\n".join([insert, *scripts]) + "\n"


def _chrome_name(markup: str) -> str:
    if markup not in _chrome:
        digest = zlib.crc32(markup.encode("utf-8"))
        _chrome[markup] = f"{CHROME_DIR}/paperfeed-chrome.{digest:08x}.js"
    return _chrome[markup]


def _movable(markup: str) -> bool:
    """Only inline scripts and JSON data may be moved; and a handful of distinct parts at most
    (every paper page is at the same depth, so its parts and their links are the same)."""
    others = _DATA_SCRIPT.sub("", _SCRIPT.sub("", markup))
    return "<script" not in others and (markup in _chrome or len(_chrome) < _MAX_CHROME)


def externalize_chrome(output: str, page_url: str) -> str:
    """The page with each marked part replaced by a script tag that inserts it (see above)."""

    def replace(found: re.Match[str]) -> str:
        markup = found.group(1)
        if not _movable(markup):
            return markup  # unexpected: it stays inline, without its markers
        return f'<script src="{get_relative_url(_chrome_name(markup), page_url)}"></script>'

    return _CHROME.sub(replace, output)


def search_worker(material_name: str) -> tuple[str, str]:
    """paperfeed's search worker that wraps Material's `material_name`: its file name and source."""
    source = (Path(__file__).with_name("search_worker.js")).read_text("utf-8")
    source = source.replace("__MATERIAL_WORKER__", material_name)
    return f"paperfeed-search.{zlib.crc32(source.encode('utf-8')):08x}.js", source


def _find_material_worker(config: Any) -> str | None:
    for folder in config["theme"].dirs:
        for path in sorted((Path(folder) / WORKERS).glob("search.*.min.js")):
            if _MATERIAL_WORKER.fullmatch(path.name):
                return path.name
    return None


def use_search_worker(output: str) -> str:
    """The page with Material's search worker swapped for paperfeed's in its __config data."""
    if not _worker:
        return output
    material = _worker["material"]
    return output.replace(f'{WORKERS}/{material}"', f'{WORKERS}/{_worker["name"]}"', 1)


def on_pre_build(config: Any, **_: Any) -> None:
    _worker.clear()
    material = _find_material_worker(config)
    if material:
        name, source = search_worker(material)
        _worker.update(material=material, name=name, source=source)
    _held.clear()
    _raw.clear()
    _chrome.clear()


def is_raw_html_page(markdown: str) -> bool:
    """True for a body that is one raw-HTML block (as paperfeed writes them): Markdown would
    return it unchanged. No blank line, a block-level first tag, no markdown="1" inside."""
    body = markdown.strip()
    return bool(_RAW_PAGE.match(body)) and "\n\n" not in body and "markdown=" not in body


def _render_raw(page: Any, config: Any, files: Any) -> None:
    # What Page.render leaves behind for such a page (mkdocs/structure/pages.py).
    page.content = page.markdown.strip()
    page.toc = get_toc([])
    page._title_from_render = None  # Page.render takes it from a Markdown h1: none here
    page.present_anchor_ids = set(_ANCHOR.findall(page.content))
    page.links_to_anchors = {}
    _raw.add(page.file.src_uri)


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if _is_paper(page):
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
    if is_raw_html_page(markdown):
        page.render = types.MethodType(_render_raw, page)
    return markdown


def on_page_content(content: str, page: Any, **_: Any) -> str:
    if page.file.src_uri not in _raw:
        return content
    page.markdown = ""  # not None: MkDocs reads None as "not read yet" and loses the title
    _held[page.file.src_uri] = zlib.compress(content.encode("utf-8"), 1)
    return ""


@event_priority(100)  # before the search plugin's, so the page is whole whoever looks at it
def on_page_context(context: Any, page: Any, **_: Any) -> Any:
    held = _held.pop(page.file.src_uri, None)
    if held is not None:
        page.content = zlib.decompress(held).decode("utf-8")
    return context


def lean_paper(output: str) -> str:
    """A paper page without what base.html adds outside any block that a paper page does not
    use: the script that opens a content tab named by the URL (a paper has no tabs) goes, and
    the "back to top" button is marked to be moved into a script like the header's parts."""
    if "tabbed-set" not in output:
        output = output.replace(_TABBED_SCRIPT, "", 1)
    return _TOP_BUTTON.sub(lambda found: f"<!--pf-chrome-->{found.group(0)}<!--/pf-chrome-->", output, count=1)


def on_post_page(output: str, page: Any, **_: Any) -> str:
    if page.file.src_uri in _raw:
        page.content = ""  # written: nothing reads it again
    output = use_search_worker(output)
    if _is_paper(page):
        output = externalize_chrome(lean_paper(output), page.url)
    return collapse_whitespace(output)


def on_post_build(config: Any, **_: Any) -> None:
    site_dir = Path(config["site_dir"])
    files = {name: chrome_script(collapse_whitespace(markup)) for markup, name in _chrome.items()}
    if _worker:
        files[f"{WORKERS}/{_worker['name']}"] = _worker["source"]
    for name, text in files.items():
        target = site_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
