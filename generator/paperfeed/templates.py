"""The theme's templates that paperfeed renders itself: what a paper page shows.

MkDocs renders a page's frame (theme/paper.html: the head, the header) at build time. What a
paper page shows is rendered here, by `paperfeed render`, from a template in the same theme
folder (theme/paper-body.html, or theme/paper-compact-body.html for a compact page), and
written into docs/papers/ as the page's one raw-HTML block. So changing how a paper page
looks is editing one template, as in any Material site, while the build still skips
Markdown for these pages (mkdocs_hooks.py) and front matter stays small.

Templates are looked up in the theme folder mkdocs.yml names (`theme.custom_dir`), then in
paperfeed's own. Every value a template prints goes through htmlbits.esc unless it is
already HTML (Markup: typeset math, links paperfeed made), so nothing from a listing is read
as markup, Markdown or a template. A name a template misspells fails the render, naming the
template and its line.
"""

from __future__ import annotations

import traceback
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.utils.yaml import yaml_load

from paperfeed.errors import OutputError
from paperfeed.htmlbits import esc

THEME_DIR = Path(__file__).with_name("theme")
PAPER_BODY = "paper-body.html"
COMPACT_BODY = "paper-compact-body.html"


def trusted(html: str) -> Markup:
    """HTML that paperfeed built from escaped text (typeset math, its own links): printed as it is."""
    return Markup(html)  # noqa: S704 - only for HTML paperfeed made; listing text goes through esc


def _finalize(value: object) -> str:
    """What `{{ value }}` prints: HTML as it is, anything else escaped by esc."""
    if type(value) is str:  # most values: checked first
        return esc(value)
    if type(value) is Markup:
        return value
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return esc(str(value))


@lru_cache(maxsize=8)
def theme_dirs(config_path: Path) -> tuple[Path, ...]:
    """The folders templates come from: mkdocs.yml's theme.custom_dir, then paperfeed's theme."""
    found: list[Path] = []
    try:
        with config_path.open("rb") as handle:
            config = yaml_load(handle) or {}
    except (OSError, ValueError):  # no mkdocs.yml here (settings built in code): paperfeed's theme
        config = {}
    theme = config.get("theme") if isinstance(config, dict) else None
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        found.append((config_path.parent / theme["custom_dir"]).resolve())
    if THEME_DIR.resolve() not in found:
        found.append(THEME_DIR.resolve())
    return tuple(found)


@lru_cache(maxsize=8)
def _environment(dirs: tuple[Path, ...]) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(path) for path in dirs]),
        # Escaping is _finalize's, for every value printed, rather than autoescape's: that
        # would escape for HTML only, and wraps each value in Markup twice.
        autoescape=False,  # noqa: S701 - _finalize escapes every value a template prints
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # loaded once a render; forked render workers share the compiled code
    )


@lru_cache(maxsize=16)
def _template(dirs: tuple[Path, ...], name: str) -> jinja2.Template:
    try:
        return _environment(dirs).get_template(name)
    except jinja2.TemplateSyntaxError as err:
        raise OutputError(f"{err.filename or name}:{err.lineno}: {err.message}; fix the template") from None
    except jinja2.TemplateNotFound:
        where = ", ".join(str(path) for path in dirs)
        raise OutputError(f"{name}: template not found in {where}; restore it from paperfeed's theme") from None


def render_body(config_path: Path, name: str, context: dict[str, Any]) -> str:
    """The HTML `name` renders for `context`, as one block: blank lines are dropped, since
    one would end the raw-HTML block and let Markdown read the rest."""
    template = _template(theme_dirs(config_path), name)
    try:
        html = template.render(context)
    except jinja2.TemplateError as err:
        raise OutputError(f"{_where(err, template)}: {err}; fix the template") from None
    if "\n\n" in html or "\n " in html or "\n\t" in html or html.startswith("\n"):
        html = "\n".join(line for line in html.split("\n") if line and not line.isspace())
    return html + "\n"


def _where(err: BaseException, template: jinja2.Template) -> str:
    """The template file and line an error was raised at (Jinja puts them in the traceback)."""
    name = template.filename or template.name or "template"
    line = next(
        (frame.lineno for frame in reversed(traceback.extract_tb(err.__traceback__)) if frame.filename == name),
        None,
    )
    return f"{name}:{line}" if line else name
