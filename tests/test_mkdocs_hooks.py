"""The MkDocs hooks as the one place that leans on MkDocs and Material: a plain `mkdocs build`
makes the same site as `paperfeed build`, and a changed Material or MkDocs internal fails the
strict build with a message that names the installed version and what changed.

A changed Material is a copy of the installed package (symlinks, except for the files a test
rewrites or leaves out) put first on the build's PYTHONPATH, so the real build loads it."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import jinja2
import material
import pytest
from mkdocs.structure.pages import Page

from harness import ROOT, paperfeed
from paperfeed import mkdocs_hooks
from sitebuild import make_fixture_project

MATERIAL = Path(material.__file__).resolve().parent
TEMPLATES = "templates"
WORKERS = f"{TEMPLATES}/{mkdocs_hooks.WORKERS}"
PAPERFEED_THEME = ROOT / "generator" / "paperfeed" / "theme"
BASE_URL = "https://example.org/pf/"
EPOCH = "1764224220"


def _material_worker() -> str:
    (worker,) = (path.name for path in (MATERIAL / WORKERS).glob("search.*.min.js"))
    return f"{WORKERS}/{worker}"


def shadow_material(root: Path, changes: dict[str, str | None]) -> Path:
    """A copy of the installed Material package at root/material, made of symlinks except for
    the files named in `changes` (relative to the package): each is written with its new
    text, or left out when that is None. Returns root, for PYTHONPATH."""

    def mirror(source: Path, target: Path, prefix: str) -> None:
        target.mkdir(parents=True)
        for entry in source.iterdir():
            relative = prefix + entry.name
            if relative in changes:
                text = changes[relative]
                if text is not None:
                    (target / entry.name).write_text(text, "utf-8")
            elif any(name.startswith(relative + "/") for name in changes):
                mirror(entry, target / entry.name, relative + "/")
            else:
                (target / entry.name).symlink_to(entry)

    mirror(MATERIAL, root / "material", "")
    return root


def _edited(relative: str, edit: Callable[[str], str]) -> dict[str, str | None]:
    original = (MATERIAL / relative).read_text("utf-8")
    edited = edit(original)
    assert edited != original, f"the edit changed nothing in {relative}"
    return {relative: edited}


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PAPERFEED_SITE_URL": BASE_URL, **extra}


def _mkdocs_build(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs", "build", *args]
    return subprocess.run(command, cwd=project, env=env or _env(), capture_output=True, text=True, check=False)


def _tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch project around the fixture archive, rendered by `paperfeed render`."""
    project = tmp_path_factory.mktemp("hooks") / "project"
    make_fixture_project(project)
    paperfeed(project, "render", epoch=EPOCH, site_url=BASE_URL, check=True)
    return project


# -- a plain `mkdocs build` is `paperfeed build` ---------------------------------------------


@pytest.mark.slow
def test_plain_mkdocs_build_and_paperfeed_build_make_the_same_site(tmp_path: Path) -> None:
    project = tmp_path / "project"
    make_fixture_project(project)
    paperfeed(project, "render", epoch=EPOCH, site_url=BASE_URL, check=True)
    # Enough pages that the sitemap becomes an index of parts.
    notes = project / "docs" / "notes"
    notes.mkdir()
    for number in range(mkdocs_hooks.SITEMAP_URLS):
        (notes / f"{number}.md").write_text(f"# Note {number}\n\nA hand-written page.\n", "utf-8")

    plain = _mkdocs_build(project)
    assert plain.returncode == 0, plain.stderr
    assert not [line for line in plain.stderr.splitlines() if line.startswith("WARNING")], plain.stderr
    (project / "site").rename(project / "site-mkdocs")
    paperfeed(project, "build", epoch=EPOCH, site_url=BASE_URL, check=True)

    by_mkdocs = _tree(project / "site-mkdocs")
    by_paperfeed = _tree(project / "site")
    assert by_paperfeed.pop(".paperfeed-build-stamp")
    assert sorted(by_mkdocs) == sorted(by_paperfeed)
    assert [name for name in by_mkdocs if by_mkdocs[name] != by_paperfeed[name]] == []
    # ... and both are the hooks' site: the sitemap split, the chrome scripts, the search worker.
    assert by_mkdocs["sitemap.xml"].startswith(b'<?xml version="1.0" encoding="UTF-8"?><sitemapindex')
    assert {"sitemaps/1.xml", "sitemaps/2.xml", "feeds/sitemap.xml", "feeds/tags/sitemap.xml"} <= set(by_mkdocs)
    assert any(re.fullmatch(r"assets/paperfeed-chrome\.[0-9a-f]{8}\.js", name) for name in by_mkdocs)
    workers = [name for name in by_mkdocs if name.startswith(f"{mkdocs_hooks.WORKERS}/paperfeed-search.")]
    assert len(workers) == 1
    assert workers[0].encode() in by_mkdocs["index.html"]


# -- a changed internal fails the strict build, loudly ----------------------------------------


def _fails_loudly(result: subprocess.CompletedProcess[str], what: str) -> None:
    assert result.returncode != 0
    version = f"Material for MkDocs {metadata.version('mkdocs-material')} changed what paperfeed relies on"
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert any(version in line and what in line for line in warnings), result.stderr
    assert re.search(r"Aborted with \d+ warnings in strict mode", result.stdout + result.stderr)


@pytest.mark.slow
def test_a_missing_material_search_worker_fails_the_strict_build(rendered: Path, tmp_path: Path) -> None:
    worker = _material_worker()
    shadow = shadow_material(tmp_path / "shadow", {worker: None})
    env = _env(PYTHONPATH=str(shadow))
    _fails_loudly(
        _mkdocs_build(rendered, "--strict", "--site-dir", str(tmp_path / "site"), env=env),
        f"its search worker {worker.removeprefix(TEMPLATES + '/')} is missing",
    )
    # Without --strict the site is built, and says so: papers are left to Material's worker.
    lenient = _mkdocs_build(rendered, "--site-dir", str(tmp_path / "lenient"), env=env)
    assert lenient.returncode == 0 and "paper pages would not be searchable" in lenient.stderr
    assert not list((tmp_path / "lenient" / mkdocs_hooks.WORKERS).glob("paperfeed-search.*"))
    # paperfeed build says it in its one line, and leaves site/ as it was.
    command = [sys.executable, "-m", "paperfeed", "build", "--config", str(rendered / "mkdocs.yml")]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert f"Material for MkDocs {metadata.version('mkdocs-material')}" in result.stderr
    assert "search worker" in result.stderr and not (rendered / "site").exists()


@pytest.mark.slow
def test_a_renamed_template_block_fails_the_strict_build(rendered: Path, tmp_path: Path) -> None:
    changes = _edited(f"{TEMPLATES}/base.html", lambda text: text.replace("{% block tabs %}", "{% block nav_tabs %}"))
    shadow = shadow_material(tmp_path / "shadow", changes)
    result = _mkdocs_build(rendered, "--strict", "--site-dir", str(tmp_path / "site"), env=_env(PYTHONPATH=str(shadow)))
    _fails_loudly(result, "paper.html overrides block 'tabs', which neither main.html nor what it extends")


# -- each check, on its own ------------------------------------------------------------------


def _checks(shadow: Path) -> mkdocs_hooks._Checks:
    templates = shadow / "material" / TEMPLATES
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(PAPERFEED_THEME), str(templates)]), autoescape=True)
    return mkdocs_hooks._Checks(templates, env, PAPERFEED_THEME)


def test_the_installed_material_passes_every_check(tmp_path: Path) -> None:
    checks = _checks(shadow_material(tmp_path, {}))
    assert checks.templates() == []
    name, problems = checks.search_worker()
    assert problems == [] and f"{WORKERS}/{name}" == _material_worker()
    assert mkdocs_hooks.raw_render_problems() == []


@pytest.mark.parametrize(
    ("relative", "edit", "what"),
    [
        (
            "worker",
            lambda text: text.replace("{type:3,data:", "{type:4,data:"),
            "no longer show RESULT (3) with data for QUERY (2)",
        ),
        ("worker", lambda text: text.replace('addEventListener("message"', 'onmessage=("'), 'a "message" listener'),
        ("bundle", lambda text: text.replace("{type:2,data:", "{kind:2,data:"), "the bundle's QUERY (2) with data"),
        (
            f"{TEMPLATES}/base.html",
            lambda text: text.replace(
                '"search": "assets/javascripts/workers/', '"worker": "assets/javascripts/workers/'
            ),
            "base.html no longer names its search worker",
        ),
    ],
)
def test_a_changed_search_protocol_is_named(
    tmp_path: Path, relative: str, edit: Callable[[str], str], what: str
) -> None:
    if relative == "worker":
        relative = _material_worker()
    elif relative == "bundle":
        (bundle,) = (MATERIAL / TEMPLATES / "assets" / "javascripts").glob("bundle.*.min.js")
        relative = bundle.relative_to(MATERIAL).as_posix()
    name, problems = _checks(shadow_material(tmp_path, _edited(relative, edit))).search_worker()
    assert name is None
    (problem,) = problems
    assert problem.startswith(f"Material for MkDocs {metadata.version('mkdocs-material')} changed")
    assert what in problem and "paper pages would not be searchable" in problem
    assert "tested with Material for MkDocs 9.8.x" in problem and "docs/architecture.md" in problem


def test_a_partial_the_templates_include_that_is_gone_is_named(tmp_path: Path) -> None:
    checks = _checks(shadow_material(tmp_path, {f"{TEMPLATES}/partials/search.html": None}))
    (problem,) = checks.templates()
    assert "paper.html includes partials/search.html, which the theme no longer has" in problem


def test_a_changed_page_render_in_mkdocs_is_named_and_markdown_renders_instead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def render(self: Page, config: object, files: object) -> None:
        self.content = ""
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}

    monkeypatch.setattr(Page, "render", render)
    (problem,) = mkdocs_hooks.raw_render_problems()
    assert problem.startswith(f"MkDocs {metadata.version('mkdocs')} changed what paperfeed relies on")
    assert "Page.render no longer sets page.toc" in problem and "go through Markdown" in problem


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]


def test_changed_markup_on_a_paper_page_is_named_and_left_in_place(caplog: pytest.LogCaptureFixture) -> None:
    mkdocs_hooks._reported.clear()
    page = '<main><button type="button" class="md-top" hidden>Back</button><script>other()</script></main>'
    with caplog.at_level(logging.WARNING):
        assert mkdocs_hooks.lean_paper(page) == page
        mkdocs_hooks.lean_paper(page)  # said once a build, not once a page
    content_tabs, top_button = _warnings(caplog)
    assert "partials/javascripts/content.html" in content_tabs and "stays on every paper page" in content_tabs
    assert "partials/top.html" in top_button
    assert all(message.startswith("paperfeed: Material for MkDocs") for message in _warnings(caplog))


def test_a_marked_part_that_cannot_move_is_named(caplog: pytest.LogCaptureFixture) -> None:
    mkdocs_hooks._reported.clear()
    mkdocs_hooks._chrome.clear()
    page = 'a<!--pf-chrome--><script src="palette.js"></script><!--/pf-chrome-->b'
    with caplog.at_level(logging.WARNING):
        assert mkdocs_hooks.externalize_chrome(page, "papers/x/") == 'a<script src="palette.js"></script>b'
    (warning,) = _warnings(caplog)
    assert "holds a script that is neither inline nor Material's __config data" in warning


def test_a_sitemap_of_another_shape_is_named_and_left_whole(tmp_path: Path) -> None:
    sitemap = b"<urlset><url><link>https://e.org/a/</link></url></urlset>"
    (tmp_path / "sitemap.xml").write_bytes(sitemap)
    problem = mkdocs_hooks.sitemap_problem(tmp_path)
    assert problem and f"MkDocs {metadata.version('mkdocs')}" in problem and "one <loc> each" in problem
    (tmp_path / "sitemap.xml").write_bytes(b"<urlset><url><loc>https://e.org/a/</loc></url></urlset>")
    assert mkdocs_hooks.sitemap_problem(tmp_path) is None


def test_each_folder_of_linked_feeds_gets_a_sitemap_of_them(tmp_path: Path) -> None:
    head = (
        '<head><link rel="alternate" type="application/atom+xml" href="../../feeds/a.xml">'
        '<link rel="alternate" href="../../feeds/tags/t&amp;u.rss"><link rel="alternate" href="../../feed.xml">'
        '<link rel="alternate" href="https://elsewhere.org/feed.xml"><link rel="stylesheet" href="x.css"></head>'
        '<body><link rel="alternate" href="../../feeds/body/not-in-head.xml"></body>'
    )
    found = list(mkdocs_hooks.alternates(head, "listings/x/"))
    assert found == ["feeds/a.xml", "feeds/tags/t&u.rss", "feed.xml"]
    for folder in ("feeds/tags", "other"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "other" / "sitemap.xml").write_text("a sitemap of its own", "utf-8")
    sitemaps = mkdocs_hooks.feed_folder_sitemaps(tmp_path, [*found, *found, "other/f.xml", "gone/f.xml"], BASE_URL)
    assert sorted(sitemaps) == ["feeds/sitemap.xml", "feeds/tags/sitemap.xml"]  # not the root, nor taken
    assert b"<loc>https://example.org/pf/feeds/tags/t&amp;u.rss</loc>" in sitemaps["feeds/tags/sitemap.xml"]
    assert sitemaps["feeds/sitemap.xml"].count(b"<loc>") == 1


# -- the pins ---------------------------------------------------------------------------------


def test_pyproject_pins_the_tested_minor_versions_and_they_are_installed() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    for package, minor in mkdocs_hooks.TESTED.items():
        major, low = map(int, minor.split("."))
        assert f"{package}>={minor},<{major}.{low + 1}" in declared, declared
        assert metadata.version(package).startswith(f"{minor}."), f"{package} {metadata.version(package)}"
