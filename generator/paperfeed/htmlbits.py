"""Small HTML pieces shared by pages and feeds. Every piece of input text passes through
`esc` (or becomes MathML built from escaped tokens), so nothing from a listing is ever
interpreted as markup, Markdown or a template."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from latex2mathml.converter import convert as latex_to_mathml

from paperfeed.text import readable, split_math

EXTERNAL = 'rel="noopener noreferrer"'
WIDE_MATH = 24  # formulas wider than about this many characters get a scroll box


# HTML's five special characters, and those Markdown and Jinja would act on inside raw HTML
# blocks. "&" comes first: every replacement holds one, and no other character of this list.
_ESCAPES = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("'", "&#x27;"),
    ("{", "&#123;"),
    ("}", "&#125;"),
    ("\\", "&#92;"),
    ("`", "&#96;"),
    ("*", "&#42;"),
    ("_", "&#95;"),
    ("[", "&#91;"),
    ("]", "&#93;"),
)


def esc(text: str) -> str:
    """HTML-escape text, and also the characters Markdown and Jinja would act on inside raw
    HTML blocks, so the text shows literally wherever it lands."""
    # str.translate with a table of strings looks up every character in a dict; a substring
    # test per special character is a fast scan, and most texts have none of them. This runs
    # millions of times in a large render.
    for char, entity in _ESCAPES:
        if char in text:
            text = text.replace(char, entity)
    return text


@lru_cache(maxsize=4096)
def _mathml(tex: str) -> str | None:
    """MathML for a TeX formula on one line, or None when the converter cannot read it."""
    try:
        mathml = latex_to_mathml(tex)
    except Exception:  # noqa: BLE001 - any failure of the third-party converter means "show source"
        return None
    if "<script" in mathml.lower() or "href" in mathml.lower():  # never pass markup through
        return None
    return mathml.replace("\n", "")


def math_html(tex: str) -> str:
    """MathML for a TeX formula, made at build time so the page needs no script. Formulas
    the converter cannot read are shown as their source."""
    mathml = _mathml(tex)
    if mathml is None:
        return f'<code class="pf-tex">{esc("$" + tex + "$")}</code>'
    if _math_width(tex) > WIDE_MATH:  # may be wider than a phone: give it its own scroll box
        return f'<span class="pf-math-wide">{mathml}</span>'
    return mathml


def feed_mathml(text: str) -> str:
    """Readable text as HTML for a feed entry, its math as MathML that carries the TeX as
    `alttext` (what a reader without MathML, or a screen reader, shows instead). Formulas the
    converter cannot read stay as their TeX source."""
    out = []
    for kind, value in split_math(text):
        mathml = _mathml(value) if kind == "math" else None
        if mathml is None:
            out.append(html.escape(value if kind == "text" else f"${value}$"))
        else:
            out.append(mathml.replace("<math ", f'<math alttext="{html.escape(value)}" ', 1))
    return "".join(out)


def rich_text(text: str) -> str:
    """Readable text as HTML, with typeset math."""
    return "".join(esc(value) if kind == "text" else math_html(value) for kind, value in split_math(text))


_TRAILING = " ,;:."  # stripped from the end of a cut excerpt, before its ellipsis


def _cut(text: str, room: int) -> str:
    """At most `room` characters of `text`, ending at a word boundary when it has spaces."""
    if len(text) <= room:
        return text
    head = text[: room + 1]
    return head.rsplit(" ", 1)[0] if " " in head else text[:room]


def excerpt(text: str, limit: int = 280) -> str:
    """The first `limit` characters of the readable text, cut at a word."""
    plain = readable(text)
    if len(plain) <= limit:
        return plain
    return _cut(plain, limit).rstrip(_TRAILING) + "…"


_TEX_MACRO = re.compile(r"\\[A-Za-z]+|[{}_^\s]")


def _math_width(tex: str) -> int:
    """About how many characters a formula takes on screen: each macro counts as one."""
    return max(1, len(_TEX_MACRO.sub(lambda m: "x" if m.group(0).startswith("\\") else "", tex)))


def rich_excerpt(text: str, limit: int = 280) -> str:
    """The start of `text` as HTML with typeset math, about `limit` characters long. It is cut
    at a word of a text part, never inside a formula: a formula that starts within the limit
    is shown whole, one that would start after it is left out."""
    kept: list[tuple[str, str]] = []  # ("text", plain text) or ("math", TeX)
    used = 0
    truncated = False
    for kind, value in split_math(text):
        if used >= limit:
            truncated = True
            break
        if kind == "math":
            kept.append((kind, value))
            used += _math_width(value)
        elif len(value) > limit - used:
            kept.append((kind, _cut(value, limit - used)))
            truncated = True
            break
        else:
            kept.append((kind, value))
            used += len(value)
    if truncated and kept and kept[-1][0] == "text":
        kept[-1] = ("text", kept[-1][1].rstrip(_TRAILING))
    html_text = "".join(esc(value) if kind == "text" else math_html(value) for kind, value in kept)
    return html_text.strip() + "…" if truncated else html_text.strip()


def short_authors(authors: tuple[str, ...], limit: int = 4) -> str:
    if len(authors) <= limit:
        return ", ".join(authors)
    return ", ".join(authors[: limit - 1]) + f", … {authors[-1]} ({len(authors)} authors)"


def external_link(url: str, label: str) -> str:
    return f'<a href="{esc(url)}" {EXTERNAL}>{esc(label)}</a>'
