"""The hostile-input corpus of issue #7, as data, and the script that runs it through the real
pipeline and writes docs/robustness.md from what happened.

    python tests/hostile.py --write-doc     # run everything, rewrite docs/robustness.md
    python tests/hostile.py --check         # exit 1 when docs/robustness.md is out of date

Each case is a listing file as a user would pass it to `paperfeed run --listing FILE`. A case
either parses into papers, which must then show literally on the site and in every feed, or
fails with a one-line error that names the file (and the line, for text). Every case that
parses goes into one site, built with the real `mkdocs build --strict`; tests/test_hostile.py
checks that site (and opens every page in Chromium) and that this page is up to date. The
faults and crash leftovers below are run the same way, each in a scratch project.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DOC = ROOT / "docs" / "robustness.md"
if str(TESTS) not in sys.path:  # run as a script: the generator package is installed editable
    sys.path.insert(0, str(TESTS))

EPOCH = "1764224220"  # 2025-11-27T06:17:00Z: the clock of every run here
SITE_URL = "https://hostile.example/papers/"
# Every script payload sets this and calls alert(): the browser test looks for both.
PWNED = "window.__pwned=1;alert(1)"
MARKERS = ("__pwned", "alert(")
CHROME = "Get trending papers in your email inbox once a day!"  # a line text listings may start with
ABSTRACT = "An abstract long enough to be read as one, and about nothing in particular at all."


@dataclass(frozen=True)
class Case:
    key: str  # names the case, its listing file (<key>.<ext>) and so its listing
    kind: str  # the class of hostile input: a section of the page
    what: str  # one line for the page
    data: bytes
    ext: str = "txt"
    expect: str = "papers"  # or "error": a one-line error naming the file
    file_name: str = ""  # the listing's file name when it is itself the hostile part

    @property
    def file(self) -> str:
        return self.file_name or f"{self.key}.{self.ext}"


def text_listing(*papers: tuple[str, str], chrome: bool = True) -> bytes:
    """A text listing: the page-chrome line a saved listing starts with, then title and
    abstract lines. The chrome line lets a title start with '<', '[' or '{' (a listing's
    first character decides its format)."""
    lines = [CHROME] if chrome else []
    for title, abstract in papers:
        lines += [title, abstract]
    return ("\n".join(lines) + "\n").encode("utf-8")


def titles(*values: str) -> bytes:
    """A text listing of papers with these titles and the filler abstract."""
    return text_listing(*((value, ABSTRACT) for value in values))


def _hf(*entries: dict[str, object]) -> bytes:
    return json.dumps(list(entries), ensure_ascii=False, indent=1).encode("utf-8")


def _arxiv_feed(entries: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">\n'
        "<id>https://arxiv.org/api/hostile</id><title>arXiv Query</title>"
        f"<updated>2025-11-26T00:00:00Z</updated>\n{entries}\n</feed>\n"
    ).encode()


def _arxiv_entry(arxiv_id: str, title: str, summary: str, authors: tuple[str, ...], extra: str = "") -> str:
    names = "".join(f"<author><name>{name}</name></author>" for name in authors)
    return (
        f"<entry><id>http://arxiv.org/abs/{arxiv_id}v1</id><title>{title}</title>"
        f"<summary>{summary}</summary><published>2025-11-25T00:00:00Z</published>{names}{extra}</entry>"
    )


def _rss(items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>cs.LG updates on arXiv.org</title><link>https://rss.arxiv.org/rss/cs.LG</link>"
        f"<description>x</description>{items}</channel></rss>\n"
    ).encode()


def _rss_item(arxiv_id: str, title: str, abstract: str, creators: str, extra: str = "") -> str:
    return (
        f"<item><title>{title}</title><link>https://arxiv.org/abs/{arxiv_id}</link>"
        f"<description>arXiv:{arxiv_id}v1 Announce Type: new Abstract: {abstract}</description>"
        f'<guid isPermaLink="false">oai:arXiv.org:{arxiv_id}v1</guid><category>cs.LG</category>'
        f"<pubDate>Wed, 26 Nov 2025 00:00:00 -0500</pubDate><arxiv:announce_type>new</arxiv:announce_type>"
        f"<dc:creator>{creators}</dc:creator>{extra}</item>"
    )


_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE feed [\n<!ENTITY lol "lol">\n'
    + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n' for n in range(1, 10))
    + ']>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>arxiv &lol9;</title></feed>\n'
)
_XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
    "<entry><id>http://arxiv.org/abs/2511.00001v1</id><title>&xxe;</title></entry></feed>\n"
)
_HF_PAGE = """<!doctype html><html><head><script>{pwned}</script></head><body>
<div data-target="DailyPapers" data-props="{props}"></div><script src="https://evil.example/x.js"></script>
</body></html>
"""

CASES: tuple[Case, ...] = (
    # -- HTML in titles and abstracts ------------------------------------------------------
    Case(
        "html-script",
        "HTML",
        "script elements in a title and an abstract",
        text_listing(
            (
                f"<script>{PWNED}</script> Scripts in Titles",
                f'We test <script src="https://evil.example/x.js"></script> and <script>{PWNED}</script> here.',
            )
        ),
    ),
    Case(
        "html-event-handlers",
        "HTML",
        "event-handler attributes on img, svg, body, details",
        text_listing(
            (
                f'<img src=x onerror="{PWNED}"> Images That Fail',
                f"<svg/onload={PWNED}> <body onload={PWNED}> <details open ontoggle={PWNED}> everywhere.",
            )
        ),
    ),
    Case(
        "html-frames-objects",
        "HTML",
        "iframe, object, embed, base and meta refresh",
        text_listing(
            (
                '<iframe src="javascript:alert(1)"></iframe> Framed',
                '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">'
                '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
            )
        ),
    ),
    Case(
        "html-attribute-breakout",
        "HTML",
        "quotes that try to end an attribute",
        text_listing(
            (
                f'" onmouseover="{PWNED}" x=" Breaking Out of Attributes',
                f"' autofocus onfocus='{PWNED}' x=' and `backticks` and </a><a href=javascript:alert(1)>.",
            )
        ),
    ),
    Case(
        "html-closing-tags",
        "HTML",
        "closing tags that try to leave the page's markup",
        text_listing(
            (
                f"</h1></article></div></title></textarea><script>{PWNED}</script> Escaping the Article",
                f"</p></div></noscript></style></template><script>{PWNED}</script><!-- and a comment",
            )
        ),
    ),
    Case(
        "html-entities",
        "HTML",
        "entities that must not be decoded twice",
        text_listing(
            (
                "&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt; &#60;b&#62; Entities",
                "&#x3C;img src=x onerror=alert(1)&#x3E; &NotANamedEntity; &amp;amp; must all show as typed.",
            )
        ),
    ),
    Case(
        "html-comments-cdata",
        "HTML",
        "comments, CDATA and processing instructions",
        text_listing(
            (
                f"<!-- <script>{PWNED}</script> --> Comments",
                "<![CDATA[ <script>alert(1)</script> ]]> <?php system('id'); ?> <!DOCTYPE html> in an abstract.",
            )
        ),
    ),
    Case(
        "html-mutation",
        "HTML",
        "markup that mutates when parsed twice (mXSS), and SVG/MathML scripts",
        text_listing(
            (
                "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)> Mutations",
                f'<svg><script>{PWNED}</script></svg> <noscript><p title="</noscript><img src=x onerror=alert(1)>">',
            )
        ),
    ),
    Case(
        "html-first-line",
        "HTML",
        "a listing whose first line is markup (no page-chrome line before it)",
        text_listing((f"<script>{PWNED}</script> First", ABSTRACT), chrome=False),
        expect="error",
    ),
    # -- Markdown -------------------------------------------------------------------------
    Case(
        "md-links",
        "Markdown",
        "links and autolinks to javascript: and data: URLs",
        text_listing(
            (
                "[click me](javascript:window.__pwned=1) Links",
                "[x](data:text/html,<script>alert(1)</script>) <javascript:alert(1)> <https://evil.example> "
                "[ref]: javascript:alert(1) and a footnote[^1].",
            )
        ),
    ),
    Case(
        "md-images",
        "Markdown",
        "images and reference definitions",
        titles('![tracker](https://evil.example/pixel.png "t") Images', "[ref][1] [1]: https://evil.example/"),
    ),
    Case(
        "md-headings",
        "Markdown",
        "headings, rules and block quotes as whole titles",
        titles(
            "# A Heading",
            "## Second-Level Heading",
            "> A Quote",
            "***",
            "___",
            "===",
            "- a list item",
            "1. a numbered item",
            "    indented like code",
        ),
    ),
    Case(
        "md-tables",
        "Markdown",
        "table syntax",
        text_listing(("| a | b |", "|---|---| | <script>alert(1)</script> | two | and more cells in a row |")),
    ),
    Case(
        "md-code-emphasis",
        "Markdown",
        "backticks, fences and emphasis",
        titles(
            "```python fenced```",
            "`inline code` and ``double``",
            "**bold** __under__ *em* _em_ ~~del~~",
            "\\*escaped\\* \\[brackets\\] \\`tick\\`",
        ),
    ),
    Case(
        "md-extensions",
        "Markdown",
        "attribute lists and markdown-in-HTML of the site's extensions",
        titles(
            '{: onclick="alert(1)" } Attribute Lists',
            '{#id .class onclick="alert(1)"} More',
            '<div markdown="1">**bold**</div> Markdown in HTML',
            '!!! note "Admonition"',
            "[TOC]",
        ),
    ),
    # -- Templates ------------------------------------------------------------------------
    Case(
        "jinja-expressions",
        "Templates",
        "Jinja expressions: braces read as TeX groups, never evaluated",
        titles(
            "{{ config }} Configuration",
            "{{ config.extra.paperfeed }} {{ 7*7 }}",
            "{{ page.content }}",
            "${{ secrets.GITHUB_TOKEN }} in a Workflow",
        ),
    ),
    Case(
        "jinja-statements",
        "Templates",
        "Jinja statements and comments",
        titles(
            '{% raw %} {% endraw %} {% include "base.html" %}',
            "{# a comment #} {%- if true -%} yes {%- endif %}",
            "{% macro x() %}{{ caller() }}{% endmacro %}",
        ),
    ),
    # -- Front matter and YAML -------------------------------------------------------------
    Case(
        "fm-delimiters",
        "Front matter",
        "the front-matter delimiters as titles",
        titles("---", "...", "--- title: Hijacked ---"),
    ),
    Case(
        "fm-keys",
        "Front matter",
        "titles that read as YAML keys",
        titles(
            "title: Hijacked", "template: ../../../etc/passwd", "hide: [navigation, toc]", "search: {exclude: true}"
        ),
    ),
    Case(
        "fm-yaml-types",
        "Front matter",
        "titles YAML would read as other types or tags",
        titles(
            "null",
            "~",
            "yes",
            "2025-11-27",
            "1e3",
            "0x1F",
            ".inf",
            "!!python/object/apply:os.system ['id']",
            "&anchor",
            "*alias",
            "? key",
            "| literal",
            "> folded",
            "%YAML 1.2",
            "@at",
            "'single' \"double\"",
        ),
    ),
    Case("fm-comment", "Front matter", "a leading # (a YAML comment, a Markdown heading)", titles("#", "#hashtag")),
    # -- Unicode --------------------------------------------------------------------------
    Case(
        "uni-bidi",
        "Unicode",
        "right-to-left text and bidi overrides",
        titles(
            "\u202egnp.exe\u202c Reversed",
            "\u2067isolate\u2069 and \u200fmarks\u200e",
            "ورقة بحثية عن التعلم العميق",
            "מאמר על למידה עמוקה",
        ),
    ),
    Case(
        "uni-emoji",
        "Unicode",
        "emoji with joiners, flags, skin tones; emoji-only titles",
        titles("👩\u200d👩\u200d👧\u200d👦 🏳\ufe0f\u200d🌈 🇺🇦 👍🏽 Emoji", "🚀🚀🚀", "🔥🔥🔥", "???", "!!!"),
    ),
    Case(
        "uni-combining",
        "Unicode",
        "combining marks (zalgo) and decomposed letters",
        titles("Z̷̢̛̪a̶̡͉l̸̰̆g̵̱͑o̴̝͒ Text", "Cafe\u0301 Decomposed", "\u0301 Leading Combining Mark"),
    ),
    Case(
        "uni-invisible",
        "Unicode",
        "zero-width and invisible characters",
        titles(
            "Zero\u200bWidth\u200cNon\u200dJoiner",
            "Word\u2060Joiner\ufeffBOM\u00adSoft-Hyphen",
            "\u180e\u3164\u115f Hangul Fillers",
        ),
    ),
    Case(
        "uni-separators",
        "Unicode",
        "line and paragraph separators inside a line",
        titles("Line\u2028Separator", "Paragraph\u2029Separator", "Next\u0085Line"),
    ),
    Case(
        "uni-lookalikes",
        "Unicode",
        "homoglyphs, astral letters, private use",
        titles(
            "Аttention Is All You Need (Cyrillic А)",
            "\U0001d400\U0001d41e\U0001d42d\U0001d421 Bold",
            "Private \ue000\ue001 Use",
            "Noncharacters \ufdd0\ufffe\uffff",
        ),
    ),
    # -- Control characters ---------------------------------------------------------------
    Case(
        "ctl-c0-c1",
        "Control characters",
        "C0 and C1 controls, NUL, and terminal escapes",
        titles("NUL\x00 BEL\x07 BS\x08 ESC\x1b[31mRed\x1b[0m DEL\x7f", "C1\x85\x90\x9b\x9f Controls"),
    ),
    Case(
        "ctl-line-ends",
        "Control characters",
        "CR, CRLF, vertical tab and form feed",
        b"Get trending papers in your email inbox once a day!\r\nCRLF Title\r\n"
        + ABSTRACT.encode()
        + b"\rCR Title\r"
        + ABSTRACT.encode()
        + b"\nVT\x0bFF\x0c Title\n"
        + ABSTRACT.encode()
        + b"\n",
    ),
    # -- Size -----------------------------------------------------------------------------
    Case("size-longest-title", "Size", "a 400-character title, the longest allowed", titles("T" * 400)),
    Case(
        "size-long-word",
        "Size",
        "a 200,000-character word as the abstract (no quadratic regex)",
        text_listing(("One Very Long Word", "w" * 200_000)),
    ),
    Case(
        "size-nesting",
        "Size",
        "20,000 nested braces and 20,000 math openers in an abstract",
        text_listing(("Nested Braces", "{" * 20_000 + "x" + "}" * 20_000 + " " + "\\(" * 20_000)),
    ),
    Case(
        "size-backtracking",
        "Size",
        "math built to backtrack exponentially",
        titles("$" + "_aaaa" * 30 + "{$ Backtracking", "$" + "\\alpha" * 60 + "{$ Macros"),
    ),
    Case(
        "tex-hostile",
        "Size",
        "TeX that tries to make links, scripts or huge output",
        titles(
            "$\\href{javascript:alert(1)}{x}$ Links",
            "$<script>alert(1)</script>$ Math",
            "$\\unicode{x3C}$ Unicode",
            "$\\class{x}{y} \\style{color:red}{z}$ Styles",
            "$" + "\\frac{1}{" * 30 + "x" + "}" * 30 + "$ Fractions",
        ),
    ),
    # -- Damaged files --------------------------------------------------------------------
    Case("dmg-empty", "Damaged files", "an empty file", b"", expect="error"),
    Case("dmg-blank", "Damaged files", "only blank lines and spaces", b"\n \n\t\n", expect="error"),
    Case("dmg-nul", "Damaged files", "only NUL bytes", b"\x00" * 64, expect="error"),
    Case(
        "dmg-chrome-only",
        "Damaged files",
        "only page chrome, no papers",
        f"{CHROME}\nSubscribe\n".encode(),
        expect="error",
    ),
    Case(
        "dmg-truncated",
        "Damaged files",
        "a file cut after a title line",
        text_listing(("A Title", ABSTRACT)) + b"A Title Whose Abstract Was Cut Off\n",
        expect="error",
    ),
    Case(
        "dmg-truncated-utf8",
        "Damaged files",
        "a file cut inside a UTF-8 character",
        text_listing(("A Title", ABSTRACT)) + "Ünï".encode()[:-1],
        expect="error",
    ),
    Case(
        "dmg-surrogate",
        "Damaged files",
        "an encoded lone surrogate",
        text_listing(("A Title", ABSTRACT)) + b"Bad \xed\xa0\x80 Title\n",
        expect="error",
    ),
    Case("dmg-utf16", "Damaged files", "UTF-16 text", ("A Title\n" + ABSTRACT + "\n").encode("utf-16"), expect="error"),
    Case("dmg-random", "Damaged files", "4 KiB of random bytes", random.Random(7).randbytes(4096), expect="error"),  # noqa: S311 - filler
    Case(
        "dmg-misaligned",
        "Damaged files",
        "an abstract missing in the middle",
        text_listing(("First", ABSTRACT), ("Second Without Abstract", "Third"), ("Fourth", ABSTRACT)),
        expect="error",
    ),
    Case("dmg-title-too-long", "Damaged files", "a 401-character title", titles("T" * 401), expect="error"),
    Case(
        "dmg-png",
        "Damaged files",
        "an image saved as a listing",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
        ext="png",
        expect="error",
    ),
    # -- JSON payloads (Hugging Face) -------------------------------------------------------
    Case(
        "json-hostile-fields",
        "JSON payloads",
        "every field of a Daily Papers entry hostile, some of the wrong type",
        _hf(
            {
                "paper": {
                    "id": "2511.00001v2",
                    "title": f"<script>{PWNED}</script> JSON Title",
                    "summary": f'An abstract with <img src=x onerror="{PWNED}"> and {{{{ config }}}} in it.',
                    "authors": [
                        {"name": f"<svg onload={PWNED}>"},
                        {"name": 42},
                        "plain string",
                        {"name": "Hidden", "hidden": True},
                        {"name": "Ann \u202eRTL\u202c One"},
                    ],
                    "upvotes": 10**30,
                    "githubRepo": "javascript:alert(1)",
                    "projectPage": 'https://evil.example/" onmouseover="alert(1)',
                    "ai_summary": "<b>bold</b> summary {% raw %}",
                    "ai_keywords": [
                        "CON",
                        "aux",
                        "Sitemap",
                        "../../etc/passwd",
                        "<script>alert(1)</script>",
                        "AI",
                        "ai",
                        "",
                        7,
                        None,
                        "k" * 300,
                    ],
                    "publishedAt": "not a date",
                    "submittedOnDailyAt": "2025-11-26T00:00:00.000Z",
                }
            },
            {
                "paper": {
                    "id": "../../etc/passwd",
                    "title": "A Second JSON Paper, With an Unsafe Id",
                    "summary": ABSTRACT,
                    "authors": "not a list",
                    "upvotes": "many",
                    "githubRepo": "https://github.com/example/ok?a=1&b=<2>",
                    "projectPage": "https://example.org/project?a=1&b=2",
                    "ai_keywords": ["CON", "aux", "Sitemap", "AI", "<script>alert(1)</script>"],
                }
            },
            {"paper": {"id": "2511.00003", "title": 12345}},
            {"paper": "not an object"},
            {"title": "A Flat Entry Without a Paper Object", "summary": ABSTRACT, "paper": None},
        ),
        ext="json",
    ),
    Case(
        "json-nan",
        "JSON payloads",
        "NaN, Infinity and floats where numbers go",
        _hf({"paper": {"id": "2511.00004", "title": "NaN Upvotes", "summary": ABSTRACT}}).replace(
            b'"summary"', b'"upvotes": NaN, "x": -Infinity, "summary"'
        ),
        ext="json",
    ),
    Case(
        "json-deep",
        "JSON payloads",
        "100,000 nested arrays",
        b'[{"paper": ' + b"[" * 100_000 + b"]" * 100_000 + b"}]",
        ext="json",
        expect="error",
    ),
    Case(
        "json-huge-number",
        "JSON payloads",
        "a 5,000-digit number",
        b'[{"paper": {"id": "2511.00005", "title": "Big", "upvotes": 1' + b"0" * 5000 + b"}}]",
        ext="json",
        expect="error",
    ),
    Case(
        "json-error-object",
        "JSON payloads",
        "an error object carrying markup",
        b'{"error": "<script>alert(1)</script>\\n\\u001b[31m"}',
        ext="json",
        expect="error",
    ),
    Case(
        "json-truncated",
        "JSON payloads",
        "a response cut in the middle",
        _hf({"paper": {"id": "2511.00006", "title": "Cut", "summary": ABSTRACT}})[:-20],
        ext="json",
        expect="error",
    ),
    Case(
        "json-no-titles",
        "JSON payloads",
        "entries of the wrong shape only",
        b'[{"paper": {"id": 1}}, {"paper": {"title": ["a"]}}, 7, "x", null]',
        ext="json",
        expect="error",
    ),
    Case(
        "html-props",
        "JSON payloads",
        "a Hugging Face page: scripts around hydration props with hostile entries",
        _HF_PAGE.format(
            pwned=PWNED,
            props=json.dumps(
                {
                    "date": "2025-11-26",
                    "dailyPapers": [
                        {
                            "paper": {
                                "id": "2511.00007",
                                "title": f"<img src=x onerror={PWNED}> Page Title",
                                "summary": "A summary with &quot;quotes&quot; and &amp; and </div> in it, long enough.",
                            }
                        }
                    ],
                }
            )
            .replace("&", "&amp;")
            .replace('"', "&quot;"),
        ).encode(),
        ext="html",
    ),
    Case(
        "html-props-deep",
        "JSON payloads",
        "a Hugging Face page whose props nest 100,000 deep",
        _HF_PAGE.format(pwned=PWNED, props="[" * 100_000).encode(),
        ext="html",
        expect="error",
    ),
    # -- XML payloads (arXiv) ----------------------------------------------------------------
    Case(
        "xml-hostile-fields",
        "XML payloads",
        "arXiv API entries with markup in CDATA, entities, names, categories",
        _arxiv_feed(
            _arxiv_entry(
                "2511.00011",
                f"<![CDATA[<script>{PWNED}</script>]]> CDATA Title",
                "Escaped &lt;img src=x onerror=alert(1)&gt; and &amp;lt;b&amp;gt; in the summary, long enough.",
                ("&lt;b&gt;Bold&lt;/b&gt; Name", "Ann One"),
                '<category term="CON"/><category term="../x"/><arxiv:doi>10.1234/"&gt;&lt;script&gt;</arxiv:doi>',
            )
            + _arxiv_entry(
                "2511.00012", "A Second arXiv Paper", "A summary.", ("Bob",), '<link href="javascript:alert(1)"/>'
            )
            + _arxiv_entry("../../etc/passwd", "No Real Id", "Skipped.", ())
        ),
        ext="xml",
    ),
    Case(
        "xml-stylesheet",
        "XML payloads",
        "an xml-stylesheet processing instruction",
        _arxiv_feed(_arxiv_entry("2511.00013", "Styled", "A summary long enough to read.", ("C",))).replace(
            b"?>\n", b'?>\n<?xml-stylesheet type="text/xsl" href="javascript:alert(1)"?>\n', 1
        ),
        ext="xml",
    ),
    Case(
        "rss-hostile-fields",
        "XML payloads",
        "arXiv RSS items with markup in every field",
        _rss(
            _rss_item(
                "2511.00021",
                "&lt;script&gt;alert(1)&lt;/script&gt; RSS Title",
                f"<![CDATA[<img src=x onerror={PWNED}>]]> an abstract long enough to be one.",
                "&lt;i&gt;Ann&lt;/i&gt;, and Bob \u202eTwo",
                "<arxiv:DOI>javascript:alert(1)</arxiv:DOI>",
            )
        ),
        ext="xml",
    ),
    Case(
        "xml-billion-laughs",
        "XML payloads",
        "billion laughs: nested entity expansion",
        _LAUGHS.encode(),
        ext="xml",
        expect="error",
    ),
    Case(
        "xml-xxe",
        "XML payloads",
        "an external entity naming /etc/passwd (XXE)",
        _XXE.encode(),
        ext="xml",
        expect="error",
    ),
    Case(
        "xml-external-dtd",
        "XML payloads",
        "an external DTD on a local port",
        _arxiv_feed("").replace(b"?>\n", b'?>\n<!DOCTYPE feed SYSTEM "http://127.0.0.1:9/evil.dtd">\n', 1),
        ext="xml",
        expect="error",
    ),
    Case(
        "xml-undeclared-entity",
        "XML payloads",
        "an HTML entity XML does not know",
        _arxiv_feed(_arxiv_entry("2511.00014", "&nbsp;", "x", ())),
        ext="xml",
        expect="error",
    ),
    Case(
        "xml-deep",
        "XML payloads",
        "100,000 nested elements",
        _arxiv_feed("<entry>" + "<x>" * 100_000 + "</x>" * 100_000 + "</entry>"),
        ext="xml",
        expect="error",
    ),
    Case(
        "xml-utf7",
        "XML payloads",
        "an encoding XML parsers must not guess (UTF-7)",
        _rss("").replace(b'encoding="UTF-8"', b'encoding="UTF-7"'),
        ext="xml",
        expect="error",
    ),
    # -- File names -----------------------------------------------------------------------
    Case(
        "name-device",
        "File names",
        "a listing file named like a Windows device",
        titles("Device Name Listing"),
        file_name="CON.txt",
    ),
    Case("name-aux", "File names", "aux, in lower case", titles("Aux Name Listing"), file_name="aux.txt"),
    Case(
        "name-sitemap",
        "File names",
        "a name the site uses for its own files",
        titles("Sitemap Name Listing"),
        file_name="Sitemap.txt",
    ),
    Case(
        "name-markup",
        "File names",
        "markup in a file name",
        titles("Markup Name Listing"),
        file_name='<img src=x onerror="alert(1)">.txt',
    ),
    Case(
        "name-unicode",
        "File names",
        "a file name without one ASCII letter",
        titles("Unicode Name Listing"),
        file_name="Ünïcödé ∑.txt",
    ),
    Case(
        "name-long",
        "File names",
        "a 200-character file name",
        titles("Long Name Listing"),
        file_name="n" * 200 + ".txt",
    ),
    Case("name-dots", "File names", "dots and dashes only", titles("Dots Name Listing"), file_name="-..-.txt"),
)


# -- Running the corpus ----------------------------------------------------------------------


@dataclass
class Outcome:
    """What one case did: the exit code and message of its own run, and for papers, how they
    show on the site."""

    case: Case
    code: int
    message: str = ""  # the one error line, paths made relative
    lines: int = 0  # lines the run wrote to stderr
    listing: str = ""  # the listing name its papers were filed under
    papers: int = 0
    problems: list[str] = field(default_factory=list)  # checks of the built site that failed

    @property
    def result(self) -> str:
        if self.code != 0:
            where = "one line" if self.lines == 1 else f"{self.lines} lines"
            return f"error, exit {self.code}, {where}: {self.message}"
        shown = "; ".join(self.problems) if self.problems else "shown literally on its page and in every feed"
        named = f" (listing `{self.listing}`)" if self.case.file_name else ""
        return f"{self.papers} paper{'s' if self.papers != 1 else ''}{named}; {shown}"


def make_project(project: Path) -> Path:
    """A scratch project (tests/harness.py) with the test settings."""
    from harness import make_project as make  # noqa: PLC0415 - run as a script too

    return make(project)


def environment() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PAPERFEED_SITE_URL": SITE_URL}


def run_cli(project: Path, *args: str) -> tuple[int, str, str]:
    """The real CLI, in this process (fast): exit code, stdout, stderr."""
    from harness import paperfeed_in_process  # noqa: PLC0415 - run as a script too

    return paperfeed_in_process(project, *args, epoch=EPOCH, site_url=SITE_URL)


def _relative(message: str, *folders: Path) -> str:
    for folder in folders:
        message = message.replace(f"{folder}/", "").replace(str(folder), ".")
    return message.strip()


@dataclass
class CorpusRun:
    project: Path  # the site built from every case that parses
    outcomes: list[Outcome]
    faults: list[tuple[Fault, int, str]]
    stdout: str
    untouched: Path  # the project every error case ran in: it must still be empty


def run_corpus(work: Path) -> CorpusRun:
    """Every error case on its own (in process), then every case that parses in one real
    `paperfeed run` (a subprocess, with the real mkdocs build), then the faults."""
    from paperfeed.archive import load_archive  # noqa: PLC0415 - run as a script too

    listings = work / "listings"
    listings.mkdir(parents=True)
    project = work / "site-project"
    make_project(project)
    outcomes = []
    for case in CASES:
        (listings / case.file).write_bytes(case.data)
    untouched = work / "error-project"  # errors stop a run before it writes: one project serves all
    make_project(untouched)
    for case in (c for c in CASES if c.expect == "error"):
        code, _, err = run_cli(untouched, "update", "--listing", str(listings / case.file))
        lines = err.strip().splitlines()
        outcomes.append(Outcome(case, code, _relative(lines[-1] if lines else "", listings), len(lines)))
    good = [case for case in CASES if case.expect == "papers"]
    command = [sys.executable, "-m", "paperfeed", "run", "--config", str(project / "mkdocs.yml")]
    for case in good:
        command += ["--listing", str(listings / case.file)]
    done = subprocess.run(command, capture_output=True, text=True, env=environment(), cwd=project, check=False)
    if done.returncode != 0:
        raise AssertionError(f"the run of every parsing case failed:\n{done.stdout}\n{done.stderr}")
    archive = load_archive(project / "data")
    from paperfeed.ingest import adhoc_listing  # noqa: PLC0415 - run as a script too

    for case in good:
        name = adhoc_listing(str(listings / case.file)).name
        count = sum(1 for record in archive.values() if name in record.listings)
        outcomes.append(Outcome(case, 0, listing=name, papers=count))
    order = {case.key: number for number, case in enumerate(CASES)}
    outcomes.sort(key=lambda outcome: order[outcome.case.key])
    check_papers(project, outcomes)
    base = work / "fault-base"  # a project that ran once on a small listing; each fault copies it
    make_project(base)
    code, _, err = run_cli(base, "run", "--no-build", "--listing", str(_small_listing(base)))
    assert code == 0, err
    faults = [(fault, *fault.run(base, work / "faults" / fault.key)) for fault in FAULTS]
    return CorpusRun(project, outcomes, faults, done.stdout, untouched)


# -- Checking the built site ----------------------------------------------------------------

ATOM_NS = {"a": "http://www.w3.org/2005/Atom"}


def _text(element: object) -> str:
    return " ".join(element.text_content().split()) if element is not None else ""  # type: ignore[attr-defined]


def _html(text: str) -> object:
    import lxml.html  # noqa: PLC0415 - a test dependency, imported when a site is checked

    return lxml.html.fragment_fromstring(text or "<p></p>", create_parent="div")


def expected_text(text: str) -> str | None:
    """How `text` must read on the site: as `readable` makes it, or None when it holds math
    that is typeset (MathML reads differently)."""
    from paperfeed.text import readable, split_math  # noqa: PLC0415 - run as a script too

    if any(kind == "math" for kind, _ in split_math(text)):
        return None
    return " ".join(readable(text).split())


def check_papers(project: Path, outcomes: list[Outcome]) -> None:
    """For every paper of every case that parsed: its title and abstract read literally as the
    text of its page's heading and abstract, and of its entries in the listing's Atom, RSS and
    JSON feeds. What differs is added to the outcome's problems."""
    import lxml.html  # noqa: PLC0415 - a test dependency
    from lxml import etree  # noqa: PLC0415

    from paperfeed.archive import load_archive  # noqa: PLC0415 - run as a script too
    from paperfeed.identity import load_identity  # noqa: PLC0415

    archive = load_archive(project / "data")
    identity = load_identity(project / "data")
    assert identity is not None
    site = project / "site"
    for outcome in (o for o in outcomes if o.code == 0):
        feeds = site / "feeds"
        atom = etree.parse(str(feeds / f"{outcome.listing}.xml")).getroot()
        rss = etree.parse(str(feeds / f"{outcome.listing}.rss")).getroot()
        json_feed = json.loads((feeds / f"{outcome.listing}.json").read_text("utf-8"))
        for record in (r for r in archive.values() if outcome.listing in r.listings):
            title, abstract = expected_text(record.paper.title), expected_text(record.paper.abstract)
            page = lxml.html.parse(str(site / "papers" / record.id / "index.html")).getroot()
            entry_id = identity.entry_id(record.id)
            atom_entry = next(
                e for e in atom.iterfind("a:entry", ATOM_NS) if e.findtext("a:id", "", ATOM_NS) == entry_id
            )
            rss_item = next(i for i in rss.iter("item") if i.findtext("guid") == entry_id)
            json_item = next(i for i in json_feed["items"] if i["id"] == entry_id)
            shown = {
                "page heading": _text(page.find(".//article/h1")),
                "Atom title": " ".join(atom_entry.findtext("a:title", "", ATOM_NS).split()),
                "RSS title": " ".join(rss_item.findtext("title", "").split()),
                "JSON Feed title": " ".join(json_item["title"].split()),
            }
            for where, text in shown.items():
                if title is not None and text != title:
                    outcome.problems.append(f"{where} of {record.id} reads {visible(text, 60)!r}")
            if abstract:
                bodies = {
                    "page abstract": _text(page.find(".//div[@class='pf-abstract']/p")),
                    "Atom content": _text(_html(atom_entry.findtext("a:content", "", ATOM_NS))),
                    "RSS description": _text(_html(rss_item.findtext("description", ""))),
                    "JSON Feed content": _text(_html(json_item["content_html"])),
                }
                for where, text in bodies.items():
                    if abstract not in text:
                        outcome.problems.append(f"{where} of {record.id} lacks the abstract")


# Elements no page or feed entry may have (the theme has none of them either), attributes that
# hold URLs, and the schemes that run code or smuggle documents.
BAD_ELEMENTS = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"})
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset", "background"}
)
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.IGNORECASE)


def scan_markup(root: object, where: str, *, theme_scripts: bool = False) -> list[str]:
    """Problems in a parsed HTML tree: scripts (the theme's own allowed in pages: relative
    sources, inline code free of the payload markers), frames and objects, event-handler
    attributes, javascript:/data: URLs and meta refreshes."""
    found = []
    for element in root.iter():  # type: ignore[attr-defined]
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower().rsplit("}", 1)[-1]
        if tag in BAD_ELEMENTS:
            found.append(f"{where}: <{tag}>")
        if tag == "script":
            source = element.get("src", "")
            theirs = re.match(r"^(?:[a-z]+:|//)", source) or any(m in (element.text or "") for m in MARKERS)
            if not theme_scripts or theirs:
                found.append(f"{where}: <script {visible(source, 40)}>{visible(element.text or '', 40)}")
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            found.append(f"{where}: <meta http-equiv=refresh>")
        for attribute, value in element.attrib.items():
            name = attribute.lower().rsplit("}", 1)[-1]
            if name.startswith("on"):
                found.append(f"{where}: <{tag} {name}=...>")
            if name in URL_ATTRIBUTES and _BAD_SCHEME.match(re.sub(r"[\s\x00-\x20]", "", value)):
                found.append(f"{where}: <{tag} {name}={visible(value, 40)!r}>")
    return found


def scan_site(site: Path) -> list[str]:
    """Every HTML page of a built site: nothing that runs code but the theme's own scripts, and
    every outside link paperfeed generated opened with rel="noopener noreferrer"."""
    import lxml.html  # noqa: PLC0415 - a test dependency

    found = []
    for page in sorted(site.rglob("*.html")):
        where = str(page.relative_to(site))
        root = lxml.html.parse(str(page)).getroot()
        found += scan_markup(root, where, theme_scripts=True)
        for link in root.xpath("//*[starts-with(@class, 'pf-')]//a[@href]"):  # what paperfeed generates
            target = link.get("href", "")
            if re.match(r"^https?://", target) and not target.startswith(SITE_URL):
                rel = set((link.get("rel") or "").split())
                if not {"noopener", "noreferrer"} <= rel:
                    found.append(f"{where}: outside link {visible(target, 60)} without rel=noopener noreferrer")
    return found


def scan_feed(path: Path) -> list[str]:
    """A feed's entries: their HTML holds no script, frame, event handler or javascript: link."""
    from lxml import etree  # noqa: PLC0415 - a test dependency

    where = str(path.name)
    if path.suffix == ".json":
        items = json.loads(path.read_text("utf-8"))["items"]
        bodies = [item.get("content_html", "") for item in items]
    else:
        root = etree.parse(str(path)).getroot()
        bodies = [
            e.text or ""
            for e in root.iter()
            if isinstance(e.tag, str) and e.tag.rsplit("}", 1)[-1] in ("content", "description", "summary", "encoded")
        ]
    found = []
    for body in bodies:
        found += scan_markup(_html(body), where)
    return found


# -- Faults and crash leftovers ----------------------------------------------------------------


def _small_listing(project: Path) -> Path:
    path = project / "small.txt"
    path.write_bytes(titles("A Small Paper", "Another Small Paper"))
    return path


def _archive_shard(project: Path) -> Path:
    return project / "data" / "papers" / "2025-11.jsonl"


def _edit_first_record(project: Path, **changes: object) -> None:
    shard = _archive_shard(project)
    lines = shard.read_text("utf-8").splitlines()
    record = json.loads(lines[0])
    record.update(changes)
    lines[0] = json.dumps(record)
    shard.write_text("\n".join(lines) + "\n", "utf-8")


def _then_run(project: Path) -> tuple[int, str, str]:
    return run_cli(project, "run", "--no-build", "--listing", str(project / "small.txt"))


@dataclass(frozen=True)
class Fault:
    key: str
    kind: str  # "fault" (the environment or data is wrong) or "crash" (what a killed run leaves)
    what: str
    prepare: Callable[[Path], None]  # given a project that already ran once on the small listing
    act: Callable[[Path], tuple[int, str, str]] = _then_run
    expect: int = 1
    after: Callable[[Path], str] = lambda project: ""  # extra facts to report, checked by tests

    def run(self, base: Path, project: Path) -> tuple[int, str]:
        shutil.copytree(base, project, symlinks=True)
        self.prepare(project)
        code, _, err = self.act(project)
        lines = err.strip().splitlines() or [""]
        message = f"{len(lines)} lines: {lines[-1]}" if len(lines) > 1 else lines[0]
        facts = self.after(project)
        message = _relative(message, project)
        return code, f"{message} {facts}".strip()


def _replace_with_file(relative: str) -> Callable[[Path], None]:
    def prepare(project: Path) -> None:
        target = project / relative
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
        target.write_text("a file where a folder must be\n", "utf-8")

    return prepare


def _archive_state(project: Path) -> str:
    from paperfeed.archive import load_archive  # noqa: PLC0415 - run as a script too

    try:
        return f"(archive: {len(load_archive(project / 'data'))} papers)"
    except Exception as err:  # noqa: BLE001 - reported in the page, checked by the tests
        return f"(archive unreadable: {err})"


def _leftovers(project: Path) -> str:
    found = sorted(
        str(path.relative_to(project))
        for path in project.rglob("*")
        if path.name.endswith(".tmp")
        or path.name.startswith(".archive-journal")
        or path.name.endswith((".building", ".old"))
    )
    return f"{_archive_state(project)[:-1]}; leftovers: {', '.join(found) or 'none'})"


def _kill_before_commit(project: Path) -> None:
    """What a run killed while writing the new shards leaves: temp files, no journal."""
    shard = _archive_shard(project)
    (shard.parent / "2025-12.jsonl.tmp").write_text('{"half a line', "utf-8")
    (shard.parent / (shard.name + ".tmp")).write_text(shard.read_text("utf-8")[:40], "utf-8")
    (project / "data" / ".archive-journal.json.tmp").write_text('["2025-1', "utf-8")


def _kill_after_commit(project: Path, done: int) -> None:
    """What a run killed after committing its journal leaves: the journal, and the renames
    it names, `done` of them already made."""
    folder = _archive_shard(project).parent
    old = _archive_shard(project).read_text("utf-8")
    december = json.loads(old.splitlines()[0])
    december.update(
        id="a-december-paper-0000000a",
        title="A December Paper",
        first_seen="2025-12-01T00:00:00Z",
        last_seen="2025-12-01T00:00:00Z",
    )
    new = {"2025-11.jsonl": old.replace(ABSTRACT, ABSTRACT + " Revised."), "2025-12.jsonl": json.dumps(december) + "\n"}
    for number, (name, text) in enumerate(sorted(new.items())):
        target = folder / name if number < done else folder / (name + ".tmp")
        target.write_text(text, "utf-8")
    (project / "data" / ".archive-journal.json").write_text(json.dumps(sorted(new)), "utf-8")


def _half_written_docs(project: Path) -> None:
    docs = project / "docs"
    (docs / ".index.md.tmp").write_text("---\ntitle: half", "utf-8")
    (docs / ".feed.xml.tmp").write_text("<feed", "utf-8")
    (docs / "papers" / ".x.md.tmp").write_text("half", "utf-8")
    (docs / "papers" / "a-stale-page.md").write_text("stale", "utf-8")
    page = next((docs / "papers").glob("a-small-paper-*.md"))
    page.write_text(page.read_text("utf-8")[:50], "utf-8")


def _half_built_site(project: Path) -> None:
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("old site", "utf-8")
    (project / "site.building" / "papers").mkdir(parents=True)
    (project / "site.building" / "index.html").write_text("<html>half", "utf-8")


def _between_swaps(project: Path) -> None:
    """Killed between the build's two renames: site/ gone, site.old/ and site.building/ there."""
    (project / "site.old").mkdir()
    (project / "site.old" / "index.html").write_text("old site", "utf-8")
    (project / "site.building").mkdir()
    (project / "site.building" / "index.html").write_text("new site", "utf-8")


def _after_swap(project: Path) -> None:
    """Killed after the new site was swapped in, while the old one was being removed."""
    code, _, err = run_cli(project, "build")
    assert code == 0, err
    (project / "site.old" / "papers").mkdir(parents=True)
    (project / "site.old" / "papers" / "index.html").write_text("half removed", "utf-8")


def _build(project: Path) -> tuple[int, str, str]:
    return run_cli(project, "build")


def _site_state(project: Path) -> str:
    index = project / "site" / "index.html"
    whole = index.is_file() and "</html>" in index.read_text("utf-8")
    return (
        f"(site/ {'whole' if whole else 'NOT whole'}; leftovers: "
        + (", ".join(name for name in ("site.building", "site.old") if (project / name).exists()) or "none")
        + ")"
    )


def _block_site(project: Path) -> None:
    _config("INHERIT: base.yml\nsite_dir: blocked/site\n")(project)
    (project / "blocked").write_text("a file where a folder must be\n", "utf-8")


def _shard_folder(project: Path) -> None:
    _archive_shard(project).unlink()
    _archive_shard(project).mkdir()


def _write_shard(text: bytes) -> Callable[[Path], None]:
    def prepare(project: Path) -> None:
        _archive_shard(project).write_bytes(text)

    return prepare


def _config(text: str) -> Callable[[Path], None]:
    def prepare(project: Path) -> None:
        (project / "mkdocs.yml").write_text(text, "utf-8")

    return prepare


FAULTS: tuple[Fault, ...] = (
    Fault("data-is-a-file", "fault", "data/papers is a file", _replace_with_file("data/papers")),
    Fault(
        "docs-is-a-file",
        "fault",
        "docs/papers is a file (pages cannot be written)",
        _replace_with_file("docs/papers"),
        after=_archive_state,
    ),
    Fault(
        "site-blocked", "fault", "the site folder's parent is a file (the build cannot write)", _block_site, act=_build
    ),
    Fault("shard-is-a-folder", "fault", "an archive file is a folder", _shard_folder),
    Fault("shard-not-utf8", "fault", "an archive file that is not UTF-8", _write_shard(b"\xff\xfe{}\n")),
    Fault("shard-damaged", "fault", "a damaged archive line", _write_shard(b'{"id": "x", "title": \n')),
    Fault(
        "record-unsafe-id",
        "fault",
        'a hand-edited record with id "../../etc/x"',
        lambda p: _edit_first_record(p, id="../../etc/x"),
    ),
    Fault("record-device-id", "fault", 'a hand-edited record with id "aux"', lambda p: _edit_first_record(p, id="aux")),
    Fault(
        "record-listing",
        "fault",
        "a hand-edited listing name with markup",
        lambda p: _edit_first_record(p, listings=['"><script>alert(1)</script>']),
    ),
    Fault(
        "record-arxiv-id",
        "fault",
        "a hand-edited arXiv id that is a URL",
        lambda p: _edit_first_record(p, arxiv_id="javascript:alert(1)"),
    ),
    Fault(
        "record-title",
        "fault",
        "a hand-edited title of control characters only",
        lambda p: _edit_first_record(p, title="\u0000\u0001"),
    ),
    Fault(
        "record-deep",
        "fault",
        "an archive line nested 100,000 deep",
        _write_shard(b"[" * 100_000 + b"]" * 100_000 + b"\n"),
    ),
    Fault(
        "identity-damaged",
        "fault",
        "a damaged data/identity.json",
        lambda p: (p / "data" / "identity.json").write_text("{", "utf-8"),
    ),
    Fault(
        "journal-damaged",
        "fault",
        "a save journal naming a file outside the archive",
        lambda p: (p / "data" / ".archive-journal.json").write_text('["../../etc/passwd"]', "utf-8"),
    ),
    Fault(
        "config-device-name",
        "fault",
        "a configured listing named con",
        _config(
            "INHERIT: base.yml\nextra:\n  paperfeed:\n    listings:\n"
            "      - {name: con, source: text, url: small.txt}\n"
        ),
    ),
    Fault("config-not-yaml", "fault", "mkdocs.yml that is not YAML", _config("site_name: [unclosed\n")),
    Fault(
        "clock-year-999",
        "fault",
        "--now in the year 999",
        lambda p: None,
        act=lambda p: run_cli(p, "update", "--now", "0999-12-31T00:00:00Z", "--listing", str(p / "small.txt")),
    ),
    Fault(
        "listing-is-a-folder",
        "fault",
        "--listing names a folder",
        lambda p: None,
        act=lambda p: run_cli(p, "update", "--listing", str(p / "docs")),
    ),
    Fault(
        "crash-before-commit",
        "crash",
        "killed while writing the new archive files (temp files, no journal)",
        _kill_before_commit,
        expect=0,
        after=_leftovers,
    ),
    Fault(
        "crash-after-commit",
        "crash",
        "killed after committing the journal, before any rename",
        lambda p: _kill_after_commit(p, 0),
        expect=0,
        after=_leftovers,
    ),
    Fault(
        "crash-mid-renames",
        "crash",
        "killed after committing the journal, one rename of two made",
        lambda p: _kill_after_commit(p, 1),
        expect=0,
        after=_leftovers,
    ),
    Fault(
        "crash-writing-docs",
        "crash",
        "killed while writing docs/ (temp files, a cut page, a stale page)",
        _half_written_docs,
        expect=0,
        after=_leftovers,
    ),
    Fault(
        "crash-mid-build",
        "crash",
        "killed during mkdocs build (a half-built site.building/)",
        _half_built_site,
        act=_build,
        expect=0,
        after=_site_state,
    ),
    Fault(
        "crash-after-swap",
        "crash",
        "killed while removing the old site after the swap (the next build has nothing to do)",
        _after_swap,
        act=_build,
        expect=0,
        after=_site_state,
    ),
    Fault(
        "crash-mid-swap",
        "crash",
        "killed between the build's two renames (no site/)",
        _between_swaps,
        act=_build,
        expect=0,
        after=_site_state,
    ),
)


# -- The page ------------------------------------------------------------------------------


def visible(text: str, limit: int = 150) -> str:
    """Text as it may be shown in the page: invisible and control characters spelled out."""
    out = []
    for char in text:
        category = unicodedata.category(char)
        if char == "\n":
            out.append("⏎")
        elif category in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp", "Cn") or char in "\ufffe\uffff":
            out.append(f"\\u{ord(char):04x}" if ord(char) > 0xFF else f"\\x{ord(char):02x}")
        else:
            out.append(char)
    shown = "".join(out)
    return shown if len(shown) <= limit else shown[: limit - 1] + f"…({len(text):,} characters)"


def cell(text: str) -> str:
    """A Markdown table cell that shows `text` literally."""
    from paperfeed.htmlbits import esc  # noqa: PLC0415 - run as a script too

    return esc(text).replace("|", "&#124;")


def case_input(case: Case) -> str:
    text = case.data.decode("utf-8", errors="backslashreplace")
    lines = [line for line in re.split(r"\r\n|\r|\n", text) if line not in ("", CHROME, ABSTRACT)]
    return visible(" ⏎ ".join(lines) if case.ext == "txt" else text.strip())


def _docstrings(module: str) -> list[tuple[str, str]]:
    """(test name, first paragraph of its docstring) of every test in tests/<module>.py."""
    tree = ast.parse((TESTS / f"{module}.py").read_text("utf-8"))
    found = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            doc = ast.get_docstring(node) or ""
            found.append((node.name, " ".join(doc.split("\n\n")[0].split())))
    return found


def render_doc(run: CorpusRun) -> str:
    """docs/robustness.md from a run of the corpus."""
    outcomes = run.outcomes
    parsed = [o for o in outcomes if o.code == 0]
    out = [
        "# Robustness",
        "",
        "What paperfeed was fed on purpose, and what it did. This page is generated by",
        "`make robustness` (`python tests/hostile.py --write-doc`) from the corpus in",
        "`tests/hostile.py` and the results of running it through the real pipeline; a test fails",
        "when it is out of date. The promise (issue #7): a listing either becomes papers whose text",
        "shows literally on the site and in every feed, or the run stops with a one-line error",
        "naming the file and nothing is written; never a traceback, a broken build or an invalid",
        "feed; a killed run loses nothing.",
        "",
        "## Hostile listings",
        "",
        f"{len(outcomes)} cases, each a file given to `paperfeed run --listing FILE`. The {len(parsed)} that",
        f"parse went into one run, {sum(o.papers for o in parsed)} papers built into a site by `mkdocs build",
        "--strict`. *Literally* means: each title and abstract, as TeX-to-text conversion makes it",
        "readable (`{x}` groups lose their braces, `--` becomes a dash), is the text of its page's",
        "heading and abstract and of its Atom, RSS and JSON Feed entries, and nothing of it became",
        "markup. Errors are shown as printed, with the listing's folder left out.",
        "",
    ]
    for kind in dict.fromkeys(case.kind for case in CASES):
        out += [f"### {kind}", "", "| case | input | result |", "|---|---|---|"]
        for outcome in (o for o in outcomes if o.case.kind == kind):
            case = outcome.case
            shown = f"<code>{cell(case_input(case))}</code>"
            if case.file_name:
                shown = f"file <code>{cell(visible(case.file_name, 60))}</code>: {shown}"
            out.append(f"| {case.key} | {case.what}: {shown} | {cell(outcome.result)} |")
        out.append("")
    out += [
        "## The site built from every case",
        "",
        *(f"- {line}" for line in site_facts()),
        "",
        "## Faults",
        "",
        "Each in a scratch project that has already run once; the command is `paperfeed run --no-build`",
        "unless the fault is about the build.",
        "",
        "| fault | exit | what paperfeed said |",
        "|---|---|---|",
    ]
    out += [f"| {cell(f.what)} | {code} | {cell(message)} |" for f, code, message in run.faults if f.kind == "fault"]
    out += [
        "",
        "## Crashes",
        "",
        "What a run killed at each point leaves behind, made by hand, then the next run (or build):",
        "",
        "| crash point | exit | what the next run said and left |",
        "|---|---|---|",
    ]
    out += [
        f"| {cell(f.what)} | {code} | {cell(message or 'nothing')} |"
        for f, code, message in run.faults
        if f.kind == "crash"
    ]
    out += [
        "",
        "And for real, by `tests/test_crash.py`, which runs `paperfeed run` in a subprocess and kills",
        "it with SIGKILL:",
        "",
        *(f"- `{name}`: {cell(doc)}" for name, doc in _docstrings("test_crash")),
        "",
        "## Properties",
        "",
        "`tests/test_properties.py` checks these on inputs hypothesis makes up (500 examples each",
        "in CI), and the writer on a list of unsafe paths:",
        "",
        *(f"- `{name}`: {cell(doc)}" for name, doc in _docstrings("test_properties")),
        "",
    ]
    return "\n".join(out)


def site_facts() -> list[str]:
    """What is true of the hostile site; tests/test_hostile.py checks each of these. (No counts
    of pages or feeds: those follow the test project's pages and listings too.)"""
    return [
        "`paperfeed run` exited 0 and `mkdocs build --strict` built the site.",
        "Every Atom feed is valid against RFC 4287's RELAX NG schema; every RSS feed and JSON Feed "
        "reads without error in feedparser and json.",
        "No page has a script, event-handler attribute, frame, object or javascript:/data: link "
        "other than the theme's own; every outside link paperfeed made has "
        '`rel="noopener noreferrer"`; no feed entry\'s HTML has a script, frame or event handler.',
        "Chromium (`tests/test_hostile.py::test_chromium_runs_no_script_from_the_listings`) opens every "
        "page from 127.0.0.1 and types the payloads' words into the site's search: no dialog, no "
        "`window.__pwned`, no request to another host.",
    ]


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="paperfeed-hostile-") as folder:
        yield Path(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write-doc", action="store_true", help=f"rewrite {DOC.relative_to(ROOT)}")
    group.add_argument("--check", action="store_true", help=f"exit 1 when {DOC.relative_to(ROOT)} is out of date")
    args = parser.parse_args(argv)
    with scratch() as work:
        text = render_doc(run_corpus(work))
    if args.write_doc:
        DOC.write_text(text, "utf-8")
        print(f"wrote {DOC.relative_to(ROOT)}")
        return 0
    current = DOC.read_text("utf-8") if DOC.exists() else ""
    if current != text:
        print(f"{DOC.relative_to(ROOT)} is out of date; run: make robustness", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
