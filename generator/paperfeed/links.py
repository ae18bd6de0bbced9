"""Where things live on the site: page paths, their URLs, relative hrefs, and paper links."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import quote_plus

from paperfeed.model import Record
from paperfeed.paper_ids import is_reserved_name
from paperfeed.text import readable

PAPERS = "papers"
DAYS = "days"
LISTINGS = "listings"
TAGS = "tags"
ARCHIVE = "archive"
FEEDS = "feeds"
FOR_YOU = "for-you"


def page_url(md_path: str) -> str:
    """The URL path (from the site root, no leading slash) MkDocs gives a Markdown file
    with use_directory_urls: papers/x.md -> papers/x/, listings/a/index.md -> listings/a/."""
    if not md_path.endswith(".md"):
        return md_path
    stem = md_path[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def href(from_md: str, to_path: str) -> str:
    """A relative href from the page built from `from_md` to a page or file of the site."""
    base = _url_parts(from_md)[0]  # every page URL is a directory
    target, is_dir = _url_parts(to_path)
    rel = _relpath(target, base)
    if is_dir:
        rel = "./" if rel == "." else rel + "/"
    return rel


@lru_cache(maxsize=1 << 14)  # the same day, listing and tag pages are linked from page after page
def _url_parts(md_path: str) -> tuple[tuple[str, ...], bool]:
    """The parts of the page's URL, and whether it is a directory (or the site root)."""
    url = page_url(md_path)
    return tuple(part for part in url.split("/") if part), url.endswith("/") or not url


def _relpath(to_parts: tuple[str, ...], from_parts: tuple[str, ...]) -> str:
    """posixpath.relpath between the clean relative paths page_url gives (no "." or ".."
    parts). posixpath.relpath makes both paths absolute first, and a 100,000-paper render
    makes over a million hrefs, so this works on parts split once (_url_parts)."""
    common = 0
    for mine, theirs in zip(to_parts, from_parts, strict=False):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(from_parts) - common) + list(to_parts[common:])) or "."


def paper_path(record_id: str) -> str:
    return f"{PAPERS}/{record_id}.md"


def for_you_path(page: int = 1) -> str:
    return f"{FOR_YOU}/index.md" if page == 1 else f"{FOR_YOU}/page-{page}.md"


def day_path(day: str, page: int = 1) -> str:
    return f"{DAYS}/{day}.md" if page == 1 else f"{DAYS}/{day}-p{page}.md"


def section_path(kind: str, name: str, page: int = 1) -> str:
    """listings/<name>/index.md, tags/<slug>/index.md and their further pages."""
    return f"{kind}/{name}/index.md" if page == 1 else f"{kind}/{name}/page-{page}.md"


@lru_cache(maxsize=1 << 16)  # a few thousand distinct tags, slugged ~10 times a paper
def tag_slug(tag: str) -> str:
    """A file-safe, stable slug for a tag; tags that slug the same share a page. A slug that
    would be a reserved name (CON, aux, sitemap) gets "-tag" added."""
    text = unicodedata.normalize("NFKD", tag).encode("ascii", "ignore").decode().lower()
    slug = "-".join(re.findall(r"[a-z0-9]+", text))[:60].strip("-")
    return f"{slug}-tag" if is_reserved_name(slug) else slug


def tag_slugs(tags: Iterable[str]) -> dict[str, str]:
    """Slug -> tag for a paper's tags, in order, once per slug ("AI" and "ai" are one tag,
    shown as the first) and without tags that have no slug."""
    found: dict[str, str] = {}
    for tag in tags:
        slug = tag_slug(tag)
        if slug:
            found.setdefault(slug, tag)
    return found


def paper_links(record: Record) -> list[tuple[str, str]]:
    """(label, URL) for every outside link of a paper, in a fixed order."""
    paper = record.paper
    found: list[tuple[str, str]] = []
    if paper.arxiv_id:
        found += [
            ("arXiv", f"https://arxiv.org/abs/{paper.arxiv_id}"),
            ("PDF", f"https://arxiv.org/pdf/{paper.arxiv_id}"),
            ("Hugging Face", f"https://huggingface.co/papers/{paper.arxiv_id}"),
        ]
    else:
        # Known by title alone (a listing saved as text): help the reader find it.
        title = quote_plus(readable(paper.title))
        found += [
            ("Find on arXiv", f"https://arxiv.org/search/?searchtype=title&query={title}"),
            ("Find on Hugging Face", f"https://huggingface.co/papers?q={title}"),
        ]
    labels = {"code": "Code", "project": "Project page", "doi": "DOI", "hf": "Hugging Face", "source": "Source"}
    known_urls = {url for _, url in found}
    for kind, given in paper.links:
        url = f"https://doi.org/{given}" if kind == "doi" and not given.startswith("http") else given
        if _safe_url(url) and url not in known_urls:
            found.append((labels.get(kind, kind.title()), url))
            known_urls.add(url)
    return found


def _safe_url(url: str) -> bool:
    """Only absolute http(s) URLs without spaces or quotes are ever linked."""
    return bool(re.fullmatch(r"https?://[^\s\"'<>`\\]+", url))
