"""Hostile payloads in the sources' own formats: Hugging Face Daily Papers JSON and Papers
pages, arXiv API Atom and announcement RSS."""

from __future__ import annotations

import json

from .inputs import ABSTRACT, HF_PAGE, LAUGHS, PWNED, XXE, Case, arxiv_entry, arxiv_feed, hf_json, rss_feed, rss_item

PAYLOAD_CASES: tuple[Case, ...] = (
    # -- JSON payloads (Hugging Face) -------------------------------------------------------
    Case(
        "json-hostile-fields",
        "JSON payloads",
        "every field of a Daily Papers entry hostile, some of the wrong type",
        hf_json(
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
        hf_json({"paper": {"id": "2511.00004", "title": "NaN Upvotes", "summary": ABSTRACT}}).replace(
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
        hf_json({"paper": {"id": "2511.00006", "title": "Cut", "summary": ABSTRACT}})[:-20],
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
        HF_PAGE.format(
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
        HF_PAGE.format(pwned=PWNED, props="[" * 100_000).encode(),
        ext="html",
        expect="error",
    ),
    # -- XML payloads (arXiv) ----------------------------------------------------------------
    Case(
        "xml-hostile-fields",
        "XML payloads",
        "arXiv API entries with markup in CDATA, entities, names, categories",
        arxiv_feed(
            arxiv_entry(
                "2511.00011",
                f"<![CDATA[<script>{PWNED}</script>]]> CDATA Title",
                "Escaped &lt;img src=x onerror=alert(1)&gt; and &amp;lt;b&amp;gt; in the summary, long enough.",
                ("&lt;b&gt;Bold&lt;/b&gt; Name", "Ann One"),
                '<category term="CON"/><category term="../x"/><arxiv:doi>10.1234/"&gt;&lt;script&gt;</arxiv:doi>',
            )
            + arxiv_entry(
                "2511.00012", "A Second arXiv Paper", "A summary.", ("Bob",), '<link href="javascript:alert(1)"/>'
            )
            + arxiv_entry("../../etc/passwd", "No Real Id", "Skipped.", ())
        ),
        ext="xml",
    ),
    Case(
        "xml-stylesheet",
        "XML payloads",
        "an xml-stylesheet processing instruction",
        arxiv_feed(arxiv_entry("2511.00013", "Styled", "A summary long enough to read.", ("C",))).replace(
            b"?>\n", b'?>\n<?xml-stylesheet type="text/xsl" href="javascript:alert(1)"?>\n', 1
        ),
        ext="xml",
    ),
    Case(
        "rss-hostile-fields",
        "XML payloads",
        "arXiv RSS items with markup in every field",
        rss_feed(
            rss_item(
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
        LAUGHS.encode(),
        ext="xml",
        expect="error",
    ),
    Case(
        "xml-xxe",
        "XML payloads",
        "an external entity naming /etc/passwd (XXE)",
        XXE.encode(),
        ext="xml",
        expect="error",
    ),
    Case(
        "xml-external-dtd",
        "XML payloads",
        "an external DTD on a local port",
        arxiv_feed("").replace(b"?>\n", b'?>\n<!DOCTYPE feed SYSTEM "http://127.0.0.1:9/evil.dtd">\n', 1),
        ext="xml",
        expect="error",
    ),
    Case(
        "xml-undeclared-entity",
        "XML payloads",
        "an HTML entity XML does not know",
        arxiv_feed(arxiv_entry("2511.00014", "&nbsp;", "x", ())),
        ext="xml",
        expect="error",
    ),
    Case(
        "xml-deep",
        "XML payloads",
        "100,000 nested elements",
        arxiv_feed("<entry>" + "<x>" * 100_000 + "</x>" * 100_000 + "</entry>"),
        ext="xml",
        expect="error",
    ),
    Case(
        "xml-utf7",
        "XML payloads",
        "an encoding XML parsers must not guess (UTF-7)",
        rss_feed("").replace(b'encoding="UTF-8"', b'encoding="UTF-7"'),
        ext="xml",
        expect="error",
    ),
)
