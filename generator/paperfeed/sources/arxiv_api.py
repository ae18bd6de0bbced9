"""The arXiv API: the Atom feed of https://export.arxiv.org/api/query?search_query=...

Each `<entry>` has `<id>http://arxiv.org/abs/2606.13677v1</id>` (old-style ids too:
`.../abs/hep-th/9901001v2`), `<title>`, `<summary>`, `<published>`, `<author><name>`,
`<category term>`, `<arxiv:primary_category term>` and maybe `<arxiv:doi>`. The abstract and
PDF links follow from the id, so only the DOI is kept as a link. A query that matches nothing
is a feed with `opensearch:totalResults` 0 and no entries: a normal, empty listing. A bad
query comes back as a feed whose one entry is titled "Error": a SourceError.

The `arxiv-api` source reads it: the newest results of a query. Its history is the same
query narrowed to one day's submissions (`submittedDate:[DAY0000 TO DAY2359]`, UTC), one
request per day, so each day's papers are the newest `limit` submitted that day.
"""

from __future__ import annotations

from datetime import date, datetime
from xml.etree.ElementTree import Element

from paperfeed.errors import SourceError
from paperfeed.model import Paper
from paperfeed.paper_ids import normalise_arxiv_id
from paperfeed.sources._common import (
    doi_url,
    element_text,
    iso_day,
    split_tag,
    xml_head_root,
    xml_root,
)
from paperfeed.sources._keys import LIMIT, QUERY, query_string
from paperfeed.sources._types import Format, History, Options, Server, Source
from paperfeed.text import clean

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
NS = {"a": ATOM, "arxiv": ARXIV, "os": OPENSEARCH}
WHAT = "the arXiv API response"
# arXiv asks API clients for no more than one request every three seconds.
ARXIV_API = Server("arxiv_api", "https://export.arxiv.org", interval=3.0)


def detect(data: bytes) -> bool:
    """An Atom feed from arXiv (error feeds may lack the arxiv namespace, never arxiv.org)."""
    head = data[:4096]
    return xml_head_root(data).rsplit(b":", 1)[-1] == b"feed" and b"arxiv" in head.lower()


def _categories(entry: Element) -> tuple[str, ...]:
    primary = entry.find("arxiv:primary_category", NS)
    terms = [primary.get("term", "")] if primary is not None else []
    terms += [category.get("term", "") for category in entry.findall("a:category", NS)]
    return tuple(dict.fromkeys(term for term in map(clean, terms) if term))  # clean: text comes in cleaned


def _error(entry: Element) -> str | None:
    """The message of an API error entry, or None for a paper."""
    entry_id = element_text(entry.find("a:id", NS))
    if "/api/errors" in entry_id or element_text(entry.find("a:title", NS)) == "Error":
        return element_text(entry.find("a:summary", NS)) or entry_id or "unknown error"
    return None


def _paper(entry: Element) -> Paper | None:
    arxiv_id = normalise_arxiv_id(element_text(entry.find("a:id", NS)))
    title = element_text(entry.find("a:title", NS))
    if not arxiv_id or not title:
        return None
    authors = tuple(
        name for author in entry.findall("a:author", NS) if (name := element_text(author.find("a:name", NS)))
    )
    doi = doi_url(element_text(entry.find("arxiv:doi", NS)))
    return Paper(
        title=title,
        abstract=element_text(entry.find("a:summary", NS)),
        authors=authors,
        arxiv_id=arxiv_id,
        published=iso_day(element_text(entry.find("a:published", NS))),
        tags=_categories(entry),
        links=(("doi", doi),) if doi else (),
        comment=element_text(entry.find("arxiv:comment", NS)),
        journal_ref=element_text(entry.find("arxiv:journal_ref", NS)),
    )


def parse_counted(data: bytes, origin: str) -> tuple[list[Paper], int]:
    """The papers of an arXiv API response and the number of entries skipped."""
    root = xml_root(data, origin, WHAT)
    if root.tag != f"{{{ATOM}}}feed":
        raise SourceError(
            f"{origin}: format drifted: {WHAT} should be an Atom feed but its root is "
            f"<{split_tag(root.tag)[1]}>; check the URL in a browser"
        )
    entries = root.findall("a:entry", NS)
    papers: list[Paper] = []
    for entry in entries:
        message = _error(entry)
        if message is not None:
            raise SourceError(f"{origin}: the arXiv API answered with an error: {message}; fix the listing's query")
        paper = _paper(entry)
        if paper is not None:
            papers.append(paper)
    skipped = len(entries) - len(papers)
    if entries and not papers:
        raise SourceError(
            f"{origin}: format drifted: none of the {len(entries)} entries has an arXiv id and a "
            "title; the arXiv API may have changed, check the URL in a browser and report it"
        )
    return papers, skipped


def parse(data: bytes, origin: str) -> list[Paper]:
    """The papers of an arXiv API response, in the API's order."""
    return parse_counted(data, origin)[0]


FORMAT = Format("arxiv-api", detect, parse_counted, says_when_empty=True)


def _url(base: str, search_query: str, limit: int) -> str:
    params: dict[str, str | int] = {
        "search_query": search_query,
        "sortBy": "submittedDate",
        "sortOrder": "descending",
        "max_results": limit,
    }
    return f"{base}/api/query?{query_string(params)}"


def url(options: Options, base: str, now: datetime) -> str:
    return _url(base, options.text("query"), options.number("limit"))


def day_url(options: Options, base: str, day: date) -> str:
    stamp = f"{day:%Y%m%d}"
    query = f"({options.text('query')}) AND submittedDate:[{stamp}0000 TO {stamp}2359]"
    return _url(base, query, options.number("limit"))


def last_day(options: Options, now: datetime) -> date:
    return now.date()


SOURCE = Source(
    "arxiv-api",
    "the newest results of an arXiv API query",
    FORMAT,
    keys=(QUERY, LIMIT),
    server=ARXIV_API,
    url=url,
    history=History(day_url, last_day),
)
