"""The pieces hostile inputs are made of: the Case record, the payload markers, and builders
for a listing in each format paperfeed reads (text, Hugging Face JSON and HTML, arXiv XML)."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass

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


def hf_json(*entries: dict[str, object]) -> bytes:
    return json.dumps(list(entries), ensure_ascii=False, indent=1).encode("utf-8")


def arxiv_feed(entries: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">\n'
        "<id>https://arxiv.org/api/hostile</id><title>arXiv Query</title>"
        f"<updated>2025-11-26T00:00:00Z</updated>\n{entries}\n</feed>\n"
    ).encode()


def arxiv_entry(arxiv_id: str, title: str, summary: str, authors: tuple[str, ...], extra: str = "") -> str:
    names = "".join(f"<author><name>{name}</name></author>" for name in authors)
    return (
        f"<entry><id>http://arxiv.org/abs/{arxiv_id}v1</id><title>{title}</title>"
        f"<summary>{summary}</summary><published>2025-11-25T00:00:00Z</published>{names}{extra}</entry>"
    )


def rss_feed(items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>cs.LG updates on arXiv.org</title><link>https://rss.arxiv.org/rss/cs.LG</link>"
        f"<description>x</description>{items}</channel></rss>\n"
    ).encode()


def rss_item(arxiv_id: str, title: str, abstract: str, creators: str, extra: str = "") -> str:
    return (
        f"<item><title>{title}</title><link>https://arxiv.org/abs/{arxiv_id}</link>"
        f"<description>arXiv:{arxiv_id}v1 Announce Type: new Abstract: {abstract}</description>"
        f'<guid isPermaLink="false">oai:arXiv.org:{arxiv_id}v1</guid><category>cs.LG</category>'
        f"<pubDate>Wed, 26 Nov 2025 00:00:00 -0500</pubDate><arxiv:announce_type>new</arxiv:announce_type>"
        f"<dc:creator>{creators}</dc:creator>{extra}</item>"
    )


LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE feed [\n<!ENTITY lol "lol">\n'
    + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n' for n in range(1, 10))
    + ']>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>arxiv &lol9;</title></feed>\n'
)
XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
    "<entry><id>http://arxiv.org/abs/2511.00001v1</id><title>&xxe;</title></entry></feed>\n"
)
HF_PAGE = """<!doctype html><html><head><script>{pwned}</script></head><body>
<div data-target="DailyPapers" data-props="{props}"></div><script src="https://evil.example/x.js"></script>
</body></html>
"""


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
