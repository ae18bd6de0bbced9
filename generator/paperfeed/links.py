"""Where things live on the site: page paths, their URLs, relative hrefs, and paper links."""

from __future__ import annotations

import posixpath
import re
import unicodedata

from paperfeed.model import Record

PAPERS = "papers"
DAYS = "days"
LISTINGS = "listings"
TAGS = "tags"
ARCHIVE = "archive"
FEEDS = "feeds"


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
    here = page_url(from_md)
    target = page_url(to_path)
    base = here.rstrip("/")  # every page URL is a directory
    rel = posixpath.relpath(target or ".", base or ".")
    if target.endswith("/") or not target:
        rel = "./" if rel == "." else rel + "/"
    return rel


def paper_path(record_id: str) -> str:
    return f"{PAPERS}/{record_id}.md"


def day_path(day: str, page: int = 1) -> str:
    return f"{DAYS}/{day}.md" if page == 1 else f"{DAYS}/{day}-p{page}.md"


def section_path(kind: str, name: str, page: int = 1) -> str:
    """listings/<name>/index.md, tags/<slug>/index.md and their further pages."""
    return f"{kind}/{name}/index.md" if page == 1 else f"{kind}/{name}/page-{page}.md"


def tag_slug(tag: str) -> str:
    """A file-safe, stable slug for a tag; tags that slug the same share a page."""
    text = unicodedata.normalize("NFKD", tag).encode("ascii", "ignore").decode().lower()
    slug = "-".join(re.findall(r"[a-z0-9]+", text))[:60].strip("-")
    return slug


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
    labels = {"code": "Code", "project": "Project page", "doi": "DOI", "hf": "Hugging Face", "source": "Source"}
    known_urls = {url for _, url in found}
    for kind, url in paper.links:
        if kind == "doi" and not url.startswith("http"):
            url = f"https://doi.org/{url}"
        if _safe_url(url) and url not in known_urls:
            found.append((labels.get(kind, kind.title()), url))
            known_urls.add(url)
    return found


def _safe_url(url: str) -> bool:
    """Only absolute http(s) URLs without spaces or quotes are ever linked."""
    return bool(re.fullmatch(r"https?://[^\s\"'<>`\\]+", url))
