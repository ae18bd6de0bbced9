"""Scans for code where none may run: in the pages of a built site and in feed entries."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
from lxml import etree

from .inputs import MARKERS, visible
from .running import SITE_URL


def html_fragment(text: str) -> lxml.html.HtmlElement:
    """`text` (a feed entry's HTML) parsed into one element to scan."""
    return lxml.html.fragment_fromstring(text or "<p></p>", create_parent="div")


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
        found += scan_markup(html_fragment(body), where)
    return found
