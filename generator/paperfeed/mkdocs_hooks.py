"""MkDocs hooks: everything paperfeed does inside the MkDocs build, and the one place that
leans on MkDocs' and Material's internals.

mkdocs.yml registers this file under `hooks:`, so `mkdocs build`, `mkdocs serve` and
`paperfeed build` make the same site. What each part saves is measured by `make bench`
(docs/benchmarks.md).

- Search. Paper pages leave Material's search index (`search.exclude`, set here, so pages.py
  need not know): paperfeed writes its own paper index in small files fetched as a search
  needs them (paper_search.py). Material's worker is swapped for paperfeed's
  (search_worker.js), which runs Material's own worker for the other pages and adds papers.
- Whitespace. Material's templates indent every line. Each run of whitespace that holds a
  line break becomes one line break, on every page without <pre> or <textarea>: a browser
  renders the page exactly as before, as whitespace in flow content collapses anyway.
- Lean paper pages. What paper.html marks (<!--pf-chrome--> ... <!--/pf-chrome-->: the
  palette toggle and search box, the tabs, Material's __config data) and Material's
  back-to-top button are the same on every paper page and work only with JavaScript. Each
  such part moves into a script, assets/paperfeed-chrome.<hash>.js, that inserts it in place
  while the page is parsed (before Material's bundle looks for it) and runs its inline
  scripts; a browser caches it once for every paper page. Base.html's script for content
  tabs goes (a paper page has none). Without these hooks the markers are plain comments.
- Markdown. Every page paperfeed generates is one raw-HTML block (pages.py), which
  Python-Markdown hands back unchanged after parsing every tag of it. Such a page is
  rendered by taking its HTML as it is: same content, no table of contents, same anchors.
- Memory. MkDocs renders every page before it writes any. A generated page's HTML is held
  compressed between rendering and writing, its Markdown dropped once rendered.
- Sitemaps. Material's bundle fetches the sitemap.xml beside every <link rel="alternate"> of
  a page (it looks for translations), so every page view would download the whole sitemap
  once per feed link. A sitemap of more than SITEMAP_URLS URLs becomes an index of parts,
  and the whitespace between its tags goes. Each other folder a page's feed links point
  into gets a small sitemap of those feeds, so that fetch finds a file instead of a 404.

What this relies on in MkDocs and Material is checked at every build (see `_Checks`): the
search worker base.html names and the message protocol search_worker.js speaks with it and
with Material's bundle; that each block paperfeed's templates override and each partial they
include still exists; the markup the lean paper pages cut; what MkDocs' Page.render leaves
on a page; the shape of MkDocs' sitemap. When one is missing or changed, the part that needs
it is left undone (the site stays whole, only larger or, for search, without papers) and a
warning names the installed version and what changed: `mkdocs build --strict`, which
`paperfeed build` runs, fails on it. docs/architecture.md says how to upgrade.
"""

from __future__ import annotations

import gzip
import html
import inspect
import json
import posixpath
import re
import types
import zlib
from collections.abc import Iterable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

log = get_plugin_logger("paperfeed")

# The minor versions these hooks are tested with; pyproject.toml pins the same (a test checks).
TESTED = {"mkdocs": "1.6", "mkdocs-material": "9.8"}
_LABELS = {"mkdocs": "MkDocs", "mkdocs-material": "Material for MkDocs"}

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
_BUNDLE = "assets/javascripts/bundle."

_RAW_PAGE = re.compile(r"<(?:article|div|section|main|nav)[\s>]")
_ANCHOR = re.compile(r'<[^>]*\s(?:id|name)="([^"]*)"')

_chrome: dict[str, str] = {}  # markup -> the name of the script that inserts it
_raw: set[str] = set()  # src_uri of the pages rendered as raw HTML
_held: dict[str, bytes] = {}  # src_uri -> compressed HTML of a paper page awaiting its template
_worker: dict[str, str] = {}  # "material", "name", "source": Material's worker, paperfeed's and its text
_alternates: set[str] = set()  # site paths of the feeds that pages link as rel="alternate"
_reported: set[str] = set()  # warnings already logged in this build
_state = {"raw_pages": True, "top_button": True}  # what this build does, after the checks


# -- what changed, said loudly --------------------------------------------------------------


def installed(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "(not installed)"


def changed(package: str, what: str, effect: str) -> str:
    """The warning for an internal of `package` that is missing or changed: which version,
    what changed, what paperfeed does instead and how to get out of it."""
    label = _LABELS[package]
    return (
        f"{label} {installed(package)} changed what paperfeed relies on (tested with {label} "
        f"{TESTED[package]}.x): {what}; {effect}. Install the tested versions (pip install -c "
        "requirements-lock.txt -e .) or see 'Upgrading MkDocs or Material' in docs/architecture.md"
    )


def _warn(message: str) -> None:
    if message not in _reported:
        _reported.add(message)
        log.warning(message)


# -- the checks, before each build ----------------------------------------------------------

# Material's worker and bundle as search_worker.js talks to them: the worker listens for
# "message" events and posts its answers; READY answers SETUP, RESULT (with items) answers
# QUERY; the bundle sends SETUP with the index and QUERY with the query's text.
_WORKER_PROTOCOL = {
    'a "message" listener': re.compile(r'addEventListener\(\s*"message"'),
    "answers sent with postMessage": re.compile(r"\bpostMessage\("),
    "READY (1) for SETUP (0)": re.compile(r"\{\s*type\s*:\s*1\s*\}"),
    "RESULT (3) with data for QUERY (2)": re.compile(r"\{\s*type\s*:\s*3\s*,\s*data\s*:"),
}
_BUNDLE_PROTOCOL = {
    "SETUP (0) with data": re.compile(r"\{\s*type\s*:\s*0\s*,\s*data\s*:"),
    "QUERY (2) with data": re.compile(r"\{\s*type\s*:\s*2\s*,\s*data\s*:"),
}
_NAMED_WORKER = re.compile(r'"search"\s*:\s*"' + WORKERS + r'/(search\.[0-9a-f]+\.min\.js)"')
_NAMED_BUNDLE = re.compile(re.escape(_BUNDLE) + r"[0-9a-f]+\.min\.js")
# What _render_raw sets in place of Page.render (mkdocs/structure/pages.py).
_RENDER_SETS = ("content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors")


class _Checks:
    """What the hooks rely on in one build's theme, each check giving the warnings for what
    changed. `material` is Material's own templates folder; `env` loads templates as the
    build does (the custom_dir first)."""

    def __init__(self, material: Path, env: jinja2.Environment, custom_dir: Path | None) -> None:
        self.material = material
        self.env = env
        self.custom_dir = custom_dir

    def _source(self, name: str) -> str | None:
        try:
            return self.env.loader.get_source(self.env, name)[0] if self.env.loader else None
        except jinja2.TemplateNotFound:
            return None

    def search_worker(self) -> tuple[str | None, list[str]]:
        """Material's worker (the name base.html gives it), or None and what changed."""
        effect = "paper pages would not be searchable, so Material's worker is left in place"
        base = self._source("base.html") or ""
        named = _NAMED_WORKER.search(base)
        if not named:
            what = f'base.html no longer names its search worker ("search": "{WORKERS}/search.<hash>.min.js")'
            return None, [changed("mkdocs-material", what, effect)]
        name = named.group(1)
        path = self.material / WORKERS / name
        if not path.is_file():
            return None, [changed("mkdocs-material", f"its search worker {WORKERS}/{name} is missing", effect)]
        missing = [what for what, found in _WORKER_PROTOCOL.items() if not found.search(path.read_text("utf-8"))]
        bundle = _NAMED_BUNDLE.search(base)
        bundle_text = (self.material / bundle.group(0)).read_text("utf-8") if bundle else ""
        missing += [f"the bundle's {what}" for what, found in _BUNDLE_PROTOCOL.items() if not found.search(bundle_text)]
        if missing:
            what = f"its search worker {WORKERS}/{name} and bundle no longer show " + ", ".join(missing)
            return None, [changed("mkdocs-material", what, effect)]
        return name, []

    def templates(self) -> list[str]:
        """Every block the custom templates override must exist in what they extend, and every
        template they include must exist: else an override silently does nothing."""
        if self.custom_dir is None or not self.custom_dir.is_dir():
            return []
        problems = []
        for path in sorted(self.custom_dir.rglob("*.html")):
            name = path.relative_to(self.custom_dir).as_posix()
            try:
                tree = self.env.parse(path.read_text("utf-8"))
            except jinja2.TemplateSyntaxError:
                continue  # MkDocs reports it when it renders a page with it
            parent = _extended(tree)
            if parent is not None:
                inherited = self._blocks(parent, {name})
                if inherited is None:
                    problems.append(f"{name} extends {parent}, which the theme no longer has")
                else:
                    gone = sorted(set(_top_blocks(tree)) - inherited)
                    problems += [
                        f"{name} overrides block '{block}', which neither {parent} nor what it extends defines"
                        for block in gone
                    ]
            problems += [
                f"{name} includes {included}, which the theme no longer has"
                for included in _included(tree)
                if self._source(included) is None
            ]
        effect = "paperfeed's templates would not render as they are written"
        return [changed("mkdocs-material", problem, effect) for problem in problems]

    def _blocks(self, name: str, seen: set[str]) -> set[str] | None:
        """Every block `name` and the templates it extends define (None when it is missing)."""
        source = self._source(name)
        if source is None or name in seen:
            return None
        tree = self.env.parse(source)
        blocks = {block.name for block in tree.find_all(nodes.Block)}
        parent = _extended(tree)
        return blocks | (self._blocks(parent, seen | {name}) or set()) if parent else blocks


def _extended(tree: nodes.Template) -> str | None:
    for found in tree.find_all(nodes.Extends):
        return found.template.value if isinstance(found.template, nodes.Const) else None
    return None


def _top_blocks(node: nodes.Node) -> Iterator[str]:
    """The blocks a child template overrides (a block inside one of them is its own)."""
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.Block):
            yield child.name
        else:
            yield from _top_blocks(child)


def _included(tree: nodes.Template) -> Iterator[str]:
    for found in tree.find_all(nodes.Include):
        if isinstance(found.template, nodes.Const) and not found.ignore_missing:
            yield found.template.value


def raw_render_problems() -> list[str]:
    """What rendering a raw-HTML page needs of MkDocs' Page.render, as far as its code shows."""
    effect = "generated pages go through Markdown instead (slower, same pages)"
    try:
        source = inspect.getsource(Page.render)
        parameters = list(inspect.signature(Page.render).parameters)
    except (OSError, TypeError):
        return [changed("mkdocs", "the source of Page.render cannot be read", effect)]
    if parameters != ["self", "config", "files"]:
        return [changed("mkdocs", f"Page.render takes ({', '.join(parameters)}), not (self, config, files)", effect)]
    unset = [name for name in _RENDER_SETS if f"self.{name} =" not in source]
    if unset:
        what = "Page.render no longer sets " + ", ".join(f"page.{name}" for name in unset)
        return [changed("mkdocs", what, effect)]
    return []


def _material_dir(config: Any) -> Path | None:
    custom = config["theme"].custom_dir
    for folder in config["theme"].dirs:
        if folder != custom and (Path(folder) / "mkdocs_theme.yml").is_file():
            return Path(folder)
    return None


def _search_enabled(config: Any) -> bool:
    plugin = config["plugins"].get("material/search")
    return plugin is not None and bool(getattr(plugin.config, "enabled", True))


def check_build(config: Any) -> list[str]:
    """Set up this build's search worker and what it may do; return the warnings."""
    problems = raw_render_problems()
    _state["raw_pages"] = not problems
    theme = config["theme"]
    material = _material_dir(config)
    if theme.name != "material" or material is None:
        return [*problems, f"the theme is '{theme.name}': paperfeed's pages and hooks are made for theme: material"]
    custom = Path(theme.custom_dir) if theme.custom_dir else None
    checks = _Checks(material, theme.get_env(), custom)
    problems += checks.templates()
    if _search_enabled(config):
        name, worker_problems = checks.search_worker()
        problems += worker_problems
        if name:
            paperfeed_name, source = search_worker(name)
            _worker.update(material=name, name=paperfeed_name, source=source)
    return problems


# -- lean pages -----------------------------------------------------------------------------


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


def _unmovable(markup: str) -> str | None:
    """Why a marked part cannot move into a script, or None. Only inline scripts and JSON data
    may move, and a handful of distinct parts at most: every paper page is at the same depth,
    so its parts and their links are the same."""
    others = _DATA_SCRIPT.sub("", _SCRIPT.sub("", markup))
    if "<script" in others:
        return "holds a script that is neither inline nor Material's __config data"
    if markup not in _chrome and len(_chrome) >= _MAX_CHROME:
        return f"differs from page to page (more than {_MAX_CHROME} different parts)"
    return None


def externalize_chrome(output: str, page_url: str) -> str:
    """The page with each marked part replaced by a script tag that inserts it (see above)."""

    def replace(found: re.Match[str]) -> str:
        markup = found.group(1)
        reason = _unmovable(markup)
        if reason:
            what = f"a part of {PAPER_TEMPLATE} marked to move into a cached script {reason}"
            _warn(changed("mkdocs-material", what, "it stays inline on every paper page"))
            return markup
        return f'<script src="{get_relative_url(_chrome_name(markup), page_url)}"></script>'

    return _CHROME.sub(replace, output)


def lean_paper(output: str) -> str:
    """A paper page without what base.html adds outside any block that a paper page does not
    use: the script that opens a content tab named by the URL (a paper has no tabs) goes, and
    the "back to top" button is marked to be moved into a script like the header's parts."""
    if "tabbed-set" not in output:
        if _TABBED_SCRIPT in output:
            output = output.replace(_TABBED_SCRIPT, "", 1)
        else:
            what = "the content-tabs script of partials/javascripts/content.html is not the one paperfeed removes"
            _warn(changed("mkdocs-material", what, "it stays on every paper page"))
    if not _state["top_button"]:
        return output
    output, found = _TOP_BUTTON.subn(lambda m: f"<!--pf-chrome-->{m.group(0)}<!--/pf-chrome-->", output, count=1)
    if not found:
        what = "the back-to-top button of partials/top.html is not the markup paperfeed moves"
        _warn(changed("mkdocs-material", what, "it stays inline on every paper page"))
    return output


def _check_script_order(output: str) -> None:
    """The parts moved into scripts must be inserted before Material's bundle runs."""
    bundle = output.find(_BUNDLE)
    last_part = output.rfind("paperfeed-chrome.")
    if last_part != -1 and bundle < last_part:
        what = "its bundle script no longer comes after the header, tabs and __config data"
        _warn(changed("mkdocs-material", what, "the parts moved into scripts may be inserted too late"))


# -- the search worker ----------------------------------------------------------------------


def search_worker(material_name: str) -> tuple[str, str]:
    """paperfeed's search worker that wraps Material's `material_name`: its file name and source."""
    source = (Path(__file__).with_name("search_worker.js")).read_text("utf-8")
    source = source.replace("__MATERIAL_WORKER__", material_name)
    return f"paperfeed-search.{zlib.crc32(source.encode('utf-8')):08x}.js", source


def use_search_worker(output: str) -> str:
    """The page with Material's search worker swapped for paperfeed's in its __config data."""
    if not _worker:
        return output
    material = f'{WORKERS}/{_worker["material"]}"'
    if material not in output:
        if 'id="__config"' in output:
            what = f"a page's __config data does not name {_worker['material']} as base.html does"
            _warn(changed("mkdocs-material", what, "papers are not searchable from that page"))
        return output
    return output.replace(material, f'{WORKERS}/{_worker["name"]}"', 1)


# -- generated pages: raw HTML, held compressed ---------------------------------------------


def is_raw_html_page(markdown: str) -> bool:
    """True for a body that is one raw-HTML block (as paperfeed writes them): Markdown would
    return it unchanged. No blank line, a block-level first tag, no markdown="1" inside."""
    body = markdown.strip()
    return bool(_RAW_PAGE.match(body)) and "\n\n" not in body and "markdown=" not in body


def _render_raw(page: Any, config: Any, files: Any) -> None:
    # What Page.render leaves behind for such a page (raw_render_problems checks it still does).
    page.content = page.markdown.strip()
    page.toc = get_toc([])
    page._title_from_render = None  # Page.render takes it from a Markdown h1: none here
    page.present_anchor_ids = set(_ANCHOR.findall(page.content))
    page.links_to_anchors = {}
    _raw.add(page.file.src_uri)


# -- the sitemap ----------------------------------------------------------------------------

SITEMAP_URLS = 1_000  # URLs a sitemap file holds before sitemap.xml becomes an index of several
_BETWEEN_TAGS = re.compile(rb">\s+<")
_URL = re.compile(rb"<url>.*?</url>", re.DOTALL)
_LOC = re.compile(rb"<loc>([^<]*)</loc>")
_SITEMAP_NS = b"http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_problem(site: Path) -> str | None:
    """What changed in MkDocs' sitemap.xml, if its URLs are not where the split finds them."""
    path = site / "sitemap.xml"
    if not path.is_file():
        return None
    data = path.read_bytes()
    if b"<urlset" not in data or len(_URL.findall(data)) != len(_LOC.findall(data)):
        what = "sitemap.xml is no longer a <urlset> of <url> entries with one <loc> each"
        return changed("mkdocs", what, "it is left whole, and every page view fetches all of it")
    return None


def compact_sitemap(site: Path) -> int:
    """sitemap.xml without the indentation between its tags (whitespace between elements means
    nothing in a sitemap), and sitemap.xml.gz to match. Returns the bytes saved."""
    path = site / "sitemap.xml"
    if not path.is_file():
        return 0
    data = path.read_bytes()
    compact = _BETWEEN_TAGS.sub(b"><", data)
    path.write_bytes(compact)
    _repack(site / "sitemap.xml.gz", compact)
    return len(data) - len(compact)


def _repack(packed: Path, data: bytes) -> None:
    """sitemap.xml.gz (when MkDocs wrote one) to match sitemap.xml, with MkDocs' timestamp."""
    if packed.is_file():
        header = packed.read_bytes()[:8]
        mtime = int.from_bytes(header[4:8], "little") if len(header) == 8 else 0
        packed.write_bytes(gzip.compress(data, mtime=mtime))


def split_sitemap(site: Path, per_file: int = SITEMAP_URLS) -> int:
    """A sitemap of more than `per_file` URLs becomes an index, sitemap.xml, of files under
    sitemaps/ holding `per_file` URLs each. Returns the number of files. Locations in an index
    must be absolute: the site's URL is the shortest location, which every other starts with."""
    path = site / "sitemap.xml"
    if not path.is_file():
        return 0
    data = path.read_bytes()
    urls = _URL.findall(data)
    locs = [found.group(1) for found in map(_LOC.search, urls) if found]
    if len(urls) <= per_file or len(locs) != len(urls):
        return 0
    base = min(locs, key=len)
    if not base.endswith(b"/") or not all(loc.startswith(base) for loc in locs):
        return 0  # no common site URL to name the parts by: left whole
    folder = site / "sitemaps"
    folder.mkdir(exist_ok=True)
    head = b'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="' + _SITEMAP_NS + b'">'
    entries = []
    for number, start in enumerate(range(0, len(urls), per_file), 1):
        (folder / f"{number}.xml").write_bytes(head + b"".join(urls[start : start + per_file]) + b"</urlset>\n")
        entries.append(b"<sitemap><loc>" + base + b"sitemaps/" + str(number).encode() + b".xml</loc></sitemap>")
    index = b'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="' + _SITEMAP_NS + b'">'
    index += b"".join(entries) + b"</sitemapindex>\n"
    path.write_bytes(index)
    _repack(site / "sitemap.xml.gz", index)
    return len(entries)


# -- the MkDocs events ----------------------------------------------------------------------


_LINK = re.compile(r"<link\s[^>]*>")
_HREF = re.compile(r'\bhref="([^"]*)"')


def alternates(output: str, page_url: str) -> Iterator[str]:
    """The site paths of the <link rel="alternate"> in a page's head (links to other hosts left out)."""
    folder = page_url.rpartition("/")[0]
    for tag in _LINK.findall(output, 0, output.find("</head>")):
        found = _HREF.search(tag) if 'rel="alternate"' in tag else None
        target = html.unescape(found.group(1)).split("#")[0].split("?")[0] if found else ""
        if target and ":" not in target.split("/")[0] and not target.startswith("/"):
            path = posixpath.normpath(posixpath.join(folder, target))
            if not path.startswith(".."):
                yield path


def feed_folder_sitemaps(site: Path, feeds: Iterable[str], site_url: str) -> dict[str, bytes]:
    """A sitemap of its feeds for each folder of `feeds` below the site's root that has none."""
    folders: dict[str, list[str]] = {}
    for path in sorted(set(feeds)):
        folder = path.rpartition("/")[0]
        if folder and (site / folder).is_dir() and not (site / folder / "sitemap.xml").exists():
            folders.setdefault(folder, []).append(path)
    sitemaps = {}
    for folder, paths in folders.items():
        entries = "".join(f"  <url><loc>{html.escape(site_url + path)}</loc></url>\n" for path in paths)
        sitemaps[f"{folder}/sitemap.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_SITEMAP_NS.decode()}">\n{entries}</urlset>\n'
        ).encode()
    return sitemaps


def on_pre_build(config: Any, **_: Any) -> None:
    _worker.clear()
    _held.clear()
    _raw.clear()
    _chrome.clear()
    _alternates.clear()
    _reported.clear()
    for problem in check_build(config):
        _warn(problem)
    theme = config["theme"]
    _state["top_button"] = "features" in theme and "navigation.top" in (theme["features"] or [])


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if _is_paper(page):
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
    if _state["raw_pages"] and is_raw_html_page(markdown):
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


def on_post_page(output: str, page: Any, **_: Any) -> str:
    if page.file.src_uri in _raw:
        page.content = ""  # written: nothing reads it again
    output = use_search_worker(output)
    _alternates.update(alternates(output, page.url))
    if _is_paper(page):
        output = externalize_chrome(lean_paper(output), page.url)
        _check_script_order(output)
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
    if config["site_url"]:
        for name, data in feed_folder_sitemaps(site_dir, _alternates, config["site_url"]).items():
            (site_dir / name).write_bytes(data)
    problem = sitemap_problem(site_dir)
    if problem:
        _warn(problem)
        return
    compact_sitemap(site_dir)
    split_sitemap(site_dir)
