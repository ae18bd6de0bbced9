"""The paper search index: small files that a browser fetches only as a search needs them.

Material's search worker downloads one index of every page before it answers anything,
which at 100,000 papers is many MB even with one compact entry per paper (a title and a
page address alone are ~170 bytes; docs/benchmarks.md has the figures). So papers leave Material's
index altogether and get this one, which search_worker.js (paperfeed's wrapper around
Material's worker) reads:

- `manifest.json`: the layout below, the number of papers, the keys of the terms files
  that exist, and a version that changes whenever any file does (the worker asks for every
  file with it, so no browser mixes files of two builds).
- `terms/<key>.json`: every word whose first two characters are `key` (a one-character
  word is its own key), each with the papers that have it in their title (`t`) or in an
  author's name (`a`). A paper is its ordinal; a list holds gaps between ascending ordinals
  (`[3, 1, 40]` is papers 3, 4 and 44), which keeps common words small.
- `docs/<n>.json`: what a result shows, BLOCK papers a file: `[id, day, title, authors]`.

Ordinals count papers from the oldest first seen. The archive only grows, so a paper keeps
its ordinal from night to night, and only the newest docs file and the terms of new words
change. A search downloads the manifest, one terms file per word it has, and the docs files
of the results it shows (at most RESULTS papers): measured by `make bench`.

Words are case- and accent-folded the same way in words() here and in the worker; a test
runs both on the same texts.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache

from paperfeed.links import PAPERS
from paperfeed.model import Record
from paperfeed.text import readable, readable_names

FOLDER = "search/papers"
BLOCK = 64  # papers per docs file: ~10 KB, so that 20 results spread over 20 files stay small
RESULTS = 50  # the most results a search shows (the worker's limit, recorded in the manifest)
MIN_TERM = 2  # shorter query words are left out (a one-letter prefix matches nearly everything)
FORMAT = 1

_WORD = re.compile(r"[^\W_]+")  # letters and digits: the worker's /[\p{L}\p{N}]+/u
_ASCII_KEY = re.compile(r"[a-z0-9]{1,2}")


@cache
def _marks() -> dict[int, None]:
    """str.translate's table that deletes every combining mark (0.07 s, once a process)."""
    return {code: None for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)).startswith("M")}


def words(text: str) -> list[str]:
    """The words of `text` as search matches them: lower case, accents removed, split at
    everything but letters and digits. "Schölkopf's GAN-based" -> ["scholkopf", "s", "gan", "based"]."""
    folded = text.lower()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded).translate(_marks())
    return _WORD.findall(folded)


def term_key(word: str) -> str:
    """The terms file a word lives in: its first two characters, as a safe file name."""
    prefix = word[:2]
    if _ASCII_KEY.fullmatch(prefix):
        return prefix
    return "x-" + "-".join(f"{ord(char):x}" for char in prefix)  # "-" never appears in an ASCII key


def _gaps(ordinals: list[int]) -> list[int]:
    return [later - earlier for earlier, later in itertools.pairwise([0, *ordinals])]


def _dump(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def search_files(records: Iterable[Record]) -> Iterator[tuple[str, bytes]]:
    """Every file of the paper search index, by path relative to docs/."""
    ordered = sorted(records, key=lambda r: (r.first_seen, r.day, r.id))
    postings: dict[str, dict[str, list[int]]] = {"t": {}, "a": {}}  # field -> word -> ordinals
    docs: list[list[str]] = []
    for ordinal, record in enumerate(ordered):
        paper = record.paper
        title = readable(paper.title)
        authors = ", ".join(readable_names(paper.authors))
        title_words = words(f"{title} {paper.arxiv_id}" if paper.arxiv_id else title)  # an arXiv id finds its paper
        for field, found in (("t", title_words), ("a", words(authors))):
            by_word = postings[field]
            for word in set(found):
                by_word.setdefault(word, []).append(ordinal)
        docs.append([record.id, record.day.isoformat(), title, authors])

    shards: dict[str, dict[str, dict[str, list[int]]]] = {}  # key -> field -> word -> gaps
    for field, by_word in postings.items():
        for word, ordinals in by_word.items():
            shards.setdefault(term_key(word), {}).setdefault(field, {})[word] = _gaps(ordinals)
    files = {f"{FOLDER}/terms/{key}.json": _dump(shard) for key, shard in shards.items()}
    for start in range(0, len(docs), BLOCK):
        files[f"{FOLDER}/docs/{start // BLOCK}.json"] = _dump(docs[start : start + BLOCK])

    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode("utf-8") + b"\0" + files[path] + b"\0")
    manifest = {
        "format": FORMAT,
        "papers": len(docs),
        "block": BLOCK,
        "results": RESULTS,
        "min_term": MIN_TERM,
        "page": PAPERS + "/{id}/",
        "terms": sorted(shards),  # so a word in no paper costs no request (and no 404 in the console)
        "version": digest.hexdigest()[:12],
    }
    yield f"{FOLDER}/manifest.json", _dump(manifest)
    yield from sorted(files.items())
