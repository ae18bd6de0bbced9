"""Paper identity: arXiv ids, title keys, and the filesystem-safe ids that name pages."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from paperfeed.text import readable

# New-style ids (0704.0001 onwards: YYMM.NNNN or YYMM.NNNNN) and old-style ones
# (archive[.SUBJ]/YYMMNNN), each with an optional version suffix.
_NEW_ID = re.compile(r"(?P<id>\d{4}\.\d{4,5})(?:v\d+)?")
_OLD_ID = re.compile(r"(?P<id>[a-z][a-z-]{0,19}(?:\.[A-Za-z]{2})?/\d{7})(?:v\d+)?")  # archive names are short
_PREFIXES = re.compile(r"^(?:arxiv:|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)", re.I)


def normalise_arxiv_id(raw: str) -> str | None:
    """The arXiv id without prefix, URL or version, or None when `raw` is not one.

    >>> normalise_arxiv_id("arXiv:2401.01234v3")
    '2401.01234'
    >>> normalise_arxiv_id("http://arxiv.org/abs/hep-th/9901001v2")
    'hep-th/9901001'
    """
    text = _PREFIXES.sub("", raw.strip())
    text = text.removesuffix(".pdf")
    for pattern in (_NEW_ID, _OLD_ID):
        match = pattern.fullmatch(text)
        if match:
            return match.group("id")
    return None


@lru_cache(maxsize=1 << 18)  # merging each listing indexes every archived title: 4 s at 100,000 papers
def title_key(title: str) -> str:
    """A key under which two spellings of one title meet: case, accents, punctuation,
    spacing and TeX markup are ignored."""
    if "\\" in title or "$" in title:
        title = readable(title)
    if title.isascii():
        # NFKD and combining marks change nothing in ASCII, and casefold is lower(): the
        # per-character loop below is the costly part of loading a large archive.
        text = title.lower()
    else:
        text = unicodedata.normalize("NFKD", title).casefold()
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    # A title without a single word character ("???", emoji only) is its own key, so two such
    # papers are never taken for one.
    return " ".join(re.findall(r"\w+", text)) or " ".join(text.split())


_MAX_SLUG_WORDS_CHARS = 60


def paper_id_from_arxiv(arxiv_id: str) -> str:
    """The page id of an arXiv paper: the id itself, with old-style slashes made safe."""
    return arxiv_id.replace("/", "-").lower()


def paper_id_from_title(title: str) -> str:
    """The page id of a paper known only by its title: a short readable slug plus a hash of
    the title key, so it is unique, stable, ASCII, case-insensitively distinct and never a
    reserved file name such as CON or aux."""
    key = title_key(title)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    ascii_words = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    slug = "-".join(re.findall(r"[a-z0-9]+", ascii_words))[:_MAX_SLUG_WORDS_CHARS].strip("-")
    return f"{slug}-{digest}" if slug else f"paper-{digest}"


SAFE_ID = re.compile(r"[a-z0-9][a-z0-9.-]{0,99}")
# Names Windows keeps for devices, whatever their extension (aux.md is as bad as aux).
DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})
# Names the site gives its own files beside pages and feeds (feeds/sitemap.xml).
SITE_NAMES = frozenset({"sitemap"})


def is_reserved_name(name: str) -> bool:
    """True when a page, feed or folder named from input must not be called `name`."""
    stem = name.partition(".")[0].lower()
    return stem in DEVICE_NAMES or stem in SITE_NAMES


def is_safe_id(paper_id: str) -> bool:
    """True when `paper_id` can name a file on any common filesystem without surprises:
    lowercase (so no two differ only in case), short, no '..', no reserved name, and no
    trailing dot (Windows drops it)."""
    return (
        bool(SAFE_ID.fullmatch(paper_id))
        and ".." not in paper_id
        and not paper_id.endswith(".")
        and not is_reserved_name(paper_id)
    )
