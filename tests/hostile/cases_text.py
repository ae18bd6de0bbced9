"""Hostile text listings, each a file as a user would pass it to `paperfeed run --listing FILE`:
markup, templates, front matter, Unicode, control characters, size, damaged files, and the
file names themselves."""

from __future__ import annotations

import random

from .inputs import ABSTRACT, CHROME, PWNED, Case, text_listing, titles

TEXT_CASES: tuple[Case, ...] = (
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
)

FILE_NAME_CASES: tuple[Case, ...] = (
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
