"""Small HTML pieces shared by pages and feeds. Every piece of input text passes through
`esc` (or becomes MathML built from escaped tokens), so nothing from a listing is ever
interpreted as markup, Markdown or a template."""

from __future__ import annotations

import html
from functools import lru_cache

from latex2mathml.converter import convert as latex_to_mathml

from paperfeed.text import readable, split_math

EXTERNAL = 'rel="noopener noreferrer"'


def esc(text: str) -> str:
    """HTML-escape text, and also the characters Markdown and Jinja would act on inside raw
    HTML blocks, so the text shows literally wherever it lands."""
    escaped = html.escape(text, quote=True)
    return (
        escaped.replace("{", "&#123;")
        .replace("}", "&#125;")
        .replace("\\", "&#92;")
        .replace("`", "&#96;")
        .replace("*", "&#42;")
        .replace("_", "&#95;")
        .replace("[", "&#91;")
        .replace("]", "&#93;")
    )


@lru_cache(maxsize=4096)
def math_html(tex: str) -> str:
    """MathML for a TeX formula, made at build time so the page needs no script. Formulas
    the converter cannot read are shown as their source."""
    try:
        mathml = latex_to_mathml(tex)
    except Exception:  # noqa: BLE001 - any failure of the third-party converter means "show source"
        return f'<code class="pf-tex">{esc("$" + tex + "$")}</code>'
    if "<script" in mathml.lower() or "href" in mathml.lower():  # never pass markup through
        return f'<code class="pf-tex">{esc("$" + tex + "$")}</code>'
    return mathml.replace("\n", "")


def rich_text(text: str) -> str:
    """Readable text as HTML, with typeset math."""
    return "".join(esc(value) if kind == "text" else math_html(value) for kind, value in split_math(text))


def excerpt(text: str, limit: int = 280) -> str:
    """The first `limit` characters of the readable text, cut at a word."""
    plain = readable(text)
    if len(plain) <= limit:
        return plain
    cut = plain[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def short_authors(authors: tuple[str, ...], limit: int = 4) -> str:
    if len(authors) <= limit:
        return ", ".join(authors)
    return ", ".join(authors[: limit - 1]) + f", … {authors[-1]} ({len(authors)} authors)"


def external_link(url: str, label: str) -> str:
    return f'<a href="{esc(url)}" {EXTERNAL}>{esc(label)}</a>'
