"""arXiv's announcement feeds: the RSS 2.0 of https://rss.arxiv.org/rss/cs.LG+stat.ML.

One `<item>` per announced paper: `<title>`, `<link>https://arxiv.org/abs/ID</link>`,
`<guid>oai:arXiv.org:IDvN</guid>`, `<description>arXiv:IDvN Announce Type: new \\nAbstract:
...</description>`, `<category>` per category (primary first), `<pubDate>` (the announcement
day), `<dc:creator>` with the authors joined by commas, maybe `<arxiv:DOI>`, and
`<arxiv:announce_type>`: new, cross (a cross-list: the same paper, kept), replace or
replace-cross (a new version of an old paper: not new, skipped and counted). On days without
announcements (weekends, holidays) the channel has no items: a normal, empty listing.

The `arxiv-rss` source reads it: tonight's announcements in one or more categories. The
feed holds only the latest announcement, so it keeps no history.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote
from xml.etree.ElementTree import Element

from paperfeed.errors import SourceError
from paperfeed.model import Paper
from paperfeed.paper_ids import normalise_arxiv_id
from paperfeed.sources._common import (
    doi_url,
    element_text,
    rfc822_day,
    split_tag,
    xml_head_root,
    xml_root,
)
from paperfeed.sources._keys import not_blank
from paperfeed.sources._types import Format, Key, Options, Server, Source
from paperfeed.text import clean

ARXIV = "http://arxiv.org/schemas/atom"
DC = "http://purl.org/dc/elements/1.1/"
WHAT = "the arXiv RSS feed"
# Announcement types that are new versions of papers announced before.
REPLACEMENTS = frozenset({"replace", "replace-cross"})
_DESCRIPTION = re.compile(r"^\s*arXiv:\S+\s+Announce Type:\s*\S+\s*(?:Abstract:\s*)?(?P<abstract>.*)$", re.DOTALL)
_GUID_PREFIX = re.compile(r"^oai:arXiv\.org:", re.IGNORECASE)
# arXiv asks robots to pause between requests; a few feeds a night cost a few seconds.
ARXIV_RSS = Server("arxiv_rss", "https://rss.arxiv.org", interval=3.0)


def detect(data: bytes) -> bool:
    """An RSS document that declares the arxiv namespace."""
    return xml_head_root(data) == b"rss" and ARXIV.encode() in data[:4096]


def _child_text(item: Element, namespace: str, name: str) -> str:
    """The text of the first child in `namespace` named `name`, ignoring case (arXiv writes
    both arxiv:DOI and arxiv:doi)."""
    for child in item:
        child_namespace, local = split_tag(child.tag)
        if child_namespace == namespace and local.lower() == name:
            return element_text(child)
    return ""


def _arxiv_id(item: Element) -> str | None:
    candidates = (
        _GUID_PREFIX.sub("", element_text(item.find("guid"))),
        element_text(item.find("link")),
    )
    return next((found for text in candidates if text and (found := normalise_arxiv_id(text))), None)


def _abstract(item: Element) -> str:
    description = element_text(item.find("description"))
    match = _DESCRIPTION.match(description)
    return clean(match.group("abstract")) if match else description


def _authors(item: Element) -> tuple[str, ...]:
    names: list[str] = []
    for creator in item.findall(f"{{{DC}}}creator"):
        for part in element_text(creator).split(","):
            name = re.sub(r"^and\s+", "", part.strip())
            if name:
                names.append(name)
    return tuple(names)


def _paper(item: Element) -> Paper | None:
    arxiv_id = _arxiv_id(item)
    title = element_text(item.find("title"))
    if not arxiv_id or not title:
        return None
    categories = (element_text(category) for category in item.findall("category"))
    doi = doi_url(_child_text(item, ARXIV, "doi"))
    return Paper(
        title=title,
        abstract=_abstract(item),
        authors=_authors(item),
        arxiv_id=arxiv_id,
        listed=rfc822_day(element_text(item.find("pubDate"))),
        tags=tuple(dict.fromkeys(category for category in categories if category)),
        links=(("doi", doi),) if doi else (),
        journal_ref=_child_text(item, ARXIV, "journal_reference") or _child_text(item, ARXIV, "journal_ref"),
        comment=_child_text(item, ARXIV, "comment"),
    )


def parse_counted(data: bytes, origin: str) -> tuple[list[Paper], int]:
    """The new and cross-listed papers of an arXiv RSS feed, and the number of items
    skipped (replacements, and items without an id or title)."""
    root = xml_root(data, origin, WHAT)
    channel = root.find("channel") if root.tag == "rss" else None
    if channel is None:
        raise SourceError(
            f"{origin}: format drifted: {WHAT} should be RSS with a <channel> but its root is "
            f"<{split_tag(root.tag)[1]}>; check the URL in a browser"
        )
    items = channel.findall("item")
    papers: list[Paper] = []
    replacements = 0
    for item in items:
        if _child_text(item, ARXIV, "announce_type").lower() in REPLACEMENTS:
            replacements += 1
            continue
        paper = _paper(item)
        if paper is not None:
            papers.append(paper)
    unreadable = len(items) - replacements - len(papers)
    if unreadable and not papers:
        raise SourceError(
            f"{origin}: format drifted: none of the {unreadable} items has an arXiv id and a "
            "title; arXiv's RSS may have changed, check the URL in a browser and report it"
        )
    return papers, replacements + unreadable


def parse(data: bytes, origin: str) -> list[Paper]:
    """The new and cross-listed papers of an arXiv RSS feed, in feed order."""
    return parse_counted(data, origin)[0]


FORMAT = Format("arxiv-rss", detect, parse_counted, says_when_empty=True)


CATEGORY = Key("category", "", "a category such as cs.LG (join several with '+')", required=True, check=not_blank)


def url(options: Options, base: str, now: datetime) -> str:
    return f"{base}/rss/{quote(options.text('category').strip(), safe='+')}"


SOURCE = Source(
    "arxiv-rss",
    "what arXiv announced tonight in one or more categories",
    FORMAT,
    keys=(CATEGORY,),
    server=ARXIV_RSS,
    url=url,
)
