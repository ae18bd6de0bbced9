"""The archive: every paper ever seen, as JSON Lines under data/papers/, one file a month.

Layout and format, chosen to diff well in git and load fast:
- data/papers/YYYY-MM.jsonl holds the records first seen in that month (UTC), one per line,
  sorted by id, keys sorted. A record never changes month, so a night's commit touches the
  files of the months it saw papers in, line by line.
- Saving is atomic across files: every changed file is written beside its target first, then
  a journal naming the renames is committed (itself by rename), then the renames happen and
  the journal goes. Loading finishes a journal left by a crash, or discards temp files that
  never made it into one. A crash therefore leaves the archive wholly old or wholly new.
"""

from __future__ import annotations

import gc
import json
import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from paperfeed.clock import format_instant, parse_instant
from paperfeed.errors import ArchiveError, PaperfeedError
from paperfeed.model import Paper, Record
from paperfeed.paper_ids import is_reserved_name, is_safe_id, normalise_arxiv_id
from paperfeed.text import first_illegal

PAPERS_DIR = "papers"
JOURNAL = ".archive-journal.json"
_SHARD = re.compile(r"\d{4}-\d{2}\.jsonl")
_TEMP_SUFFIX = ".tmp"
_LISTING_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,49}")  # as config.py requires of listing names

Archive = dict[str, Record]  # id -> record


def record_to_json(record: Record) -> dict[str, Any]:
    paper = record.paper
    data: dict[str, Any] = {
        "id": record.id,
        "title": paper.title,
        "authors": list(paper.authors),
        "abstract": paper.abstract,
        "first_seen": format_instant(record.first_seen),
        "last_seen": format_instant(record.last_seen),
        "listings": list(record.listings),
    }
    if record.score is not None:
        data["score"] = record.score
    if record.why:
        data["why"] = list(record.why)
    if record.similar:
        data["similar"] = list(record.similar)
    optional = {
        "arxiv_id": paper.arxiv_id,
        "published": paper.published.isoformat() if paper.published else None,
        "listed": paper.listed.isoformat() if paper.listed else None,
        "tags": list(paper.tags),
        "summary": paper.summary,
        "links": dict(paper.links),
        "comment": paper.comment,
        "journal_ref": paper.journal_ref,
    }
    data.update({key: value for key, value in optional.items() if value})
    return data


def _text(data: Mapping[str, Any], key: str, *, required: bool = False) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValueError(f"field {key!r} must be {'non-empty ' if required else ''}text")
    return value


def _strings(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"field {key!r} must be a list of text")
    return tuple(value)


def _check_characters(paper: Paper) -> None:
    """Refuse text holding a character pages and feeds cannot carry (sources remove them on
    the way in, so only a hand edit puts one here). One check of all the text, as loading
    100,000 records must stay fast; the field is looked for only when there is one."""
    fields = {
        "title": [paper.title], "abstract": [paper.abstract], "summary": [paper.summary], "authors": paper.authors,
        "comment": [paper.comment], "journal_ref": [paper.journal_ref],
        "tags": paper.tags, "links": [text for pair in paper.links for text in pair],
    }  # fmt: skip
    if first_illegal("".join(text for texts in fields.values() for text in texts)) is None:
        return
    for key, texts in fields.items():
        for text in texts:
            bad = first_illegal(text)
            if bad is not None:
                raise ValueError(
                    f"field {key!r} holds U+{ord(bad):04X}, a character pages and feeds cannot carry; remove it"
                )


def _day(data: Mapping[str, Any], key: str) -> date | None:
    value = _text(data, key)
    return date.fromisoformat(value) if value else None


def _listing_names(data: Mapping[str, Any]) -> tuple[str, ...]:
    names = _strings(data, "listings")
    for name in names:
        if not _LISTING_NAME.fullmatch(name) or is_reserved_name(name):
            raise ValueError(f"field 'listings' holds {_shown(name)}, which is not a listing name such as hf-daily")
    return names


def _shown(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


def record_from_json(data: Any) -> Record:
    """A record from its JSON line. Anything a page, feed or file name is made from is checked,
    so a hand-edited line cannot make paperfeed write outside its folders or into markup."""
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    record_id = _text(data, "id", required=True)
    if not is_safe_id(record_id):
        raise ValueError(
            f"the id {_shown(record_id)} cannot name a page: use lowercase letters, digits, '.' and '-' "
            "(at most 100, no '..', no reserved name such as aux)"
        )
    links = data.get("links", {})
    if not isinstance(links, dict) or not all(isinstance(v, str) for v in links.values()):
        raise ValueError("field 'links' must map kinds to URLs")
    arxiv_id = _text(data, "arxiv_id")
    if arxiv_id and normalise_arxiv_id(arxiv_id) != arxiv_id:
        raise ValueError(f"field 'arxiv_id' is {_shown(arxiv_id)}, not an arXiv id such as 2401.01234")
    paper = Paper(
        title=_text(data, "title", required=True),
        abstract=_text(data, "abstract"),
        authors=_strings(data, "authors"),
        arxiv_id=arxiv_id or None,
        published=_day(data, "published"),
        listed=_day(data, "listed"),
        tags=_strings(data, "tags"),
        summary=_text(data, "summary"),
        links=tuple(sorted(links.items())),
        comment=_text(data, "comment"),
        journal_ref=_text(data, "journal_ref"),
    )
    _check_characters(paper)
    try:
        first_seen = parse_instant(_text(data, "first_seen", required=True), where="first_seen")
        last_seen = parse_instant(_text(data, "last_seen", required=True), where="last_seen")
    except PaperfeedError as err:
        raise ValueError(str(err)) from None
    return Record(
        id=record_id,
        paper=paper,
        first_seen=first_seen,
        last_seen=last_seen,
        listings=_listing_names(data),
        score=_score(data),
        why=_why(data),
        similar=_similar(data),
    )


def _score(data: Mapping[str, Any]) -> float | None:
    value = data.get("score")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"field 'score' is {_shown(str(value))}, not a number")
    return float(value)


def _why(data: Mapping[str, Any]) -> tuple[str, ...]:
    terms = _strings(data, "why")
    bad = first_illegal("".join(terms))
    if bad is not None:
        raise ValueError(f"field 'why' holds U+{ord(bad):04X}, a character pages and feeds cannot carry; remove it")
    return terms


def _similar(data: Mapping[str, Any]) -> tuple[str, ...]:
    ids = _strings(data, "similar")
    for paper_id in ids:
        if not is_safe_id(paper_id):
            raise ValueError(f"field 'similar' holds {_shown(paper_id)}, which is not a paper id")
    return ids


def encode_record(record: Record) -> str:
    return json.dumps(record_to_json(record), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def shard_name(first_seen: datetime) -> str:
    return f"{first_seen:%Y-%m}.jsonl"


def _papers_dir(data_dir: Path) -> Path:
    return data_dir / PAPERS_DIR


def recover(data_dir: Path) -> None:
    """Finish a save a crash interrupted, or discard one that never committed."""
    folder = _papers_dir(data_dir)
    journal = data_dir / JOURNAL
    if journal.exists():
        try:
            renames = json.loads(journal.read_text("utf-8"))
            if not isinstance(renames, list) or not all(isinstance(n, str) and _SHARD.fullmatch(n) for n in renames):
                raise ValueError("not a list of shard names")  # never rename anything but a shard
        except (OSError, ValueError) as err:
            raise ArchiveError(
                f"{journal}: unreadable save journal ({err}); restore data/ from git "
                "(git checkout -- data) and run again"
            ) from None
        for name in renames:
            temp = folder / (name + _TEMP_SUFFIX)
            if temp.exists():
                os.replace(temp, folder / name)
        journal.unlink()
        _fsync_dir(data_dir)
    if folder.is_dir():
        for stray in folder.glob("*" + _TEMP_SUFFIX):
            if stray.is_file():
                stray.unlink()
    if data_dir.is_dir():
        (data_dir / (JOURNAL + _TEMP_SUFFIX)).unlink(missing_ok=True)  # a journal never committed


def load_archive(data_dir: Path) -> Archive:
    """Load every record. A damaged line is an error naming the file and line."""
    recover(data_dir)
    archive: Archive = {}
    folder = _papers_dir(data_dir)
    if not folder.is_dir():
        return archive
    with _collector_paused():
        for path in sorted(folder.iterdir()):
            if not _SHARD.fullmatch(path.name):
                continue
            try:
                _load_shard(path, archive)
            except (OSError, UnicodeDecodeError) as err:
                detail = err.strerror if isinstance(err, OSError) else f"not UTF-8 at byte {err.start}"
                raise ArchiveError(
                    f"{path}: cannot read the archive file: {detail}; restore it from git (git checkout -- data)"
                ) from None
    return archive


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the archive loads, and what was loaded frozen.

    Loading creates a million containers that all stay alive for the run, and the collector
    would walk them again and again for garbage they cannot hold (records have no cycles):
    while loading, at its first pass after, and in each full collection of the merge and
    render. gc.freeze() leaves them out of every later collection; they
    are still freed as usual when no longer referenced. It also keeps forked render workers
    from writing to (and so copying) the memory they share."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _load_shard(path: Path, archive: Archive) -> None:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = record_from_json(json.loads(line))
            except (ValueError, RecursionError) as err:
                raise ArchiveError(
                    f"{path}:{number}: damaged record: {err}; fix the line or restore the "
                    "file from git (git checkout -- data)"
                ) from None
            if record.id in archive:
                raise ArchiveError(
                    f"{path}:{number}: the id {record.id!r} is archived twice; remove one of the two lines"
                )
            archive[record.id] = record


def render_shards(archive: Archive) -> dict[str, str]:
    """The text of every shard file, by file name."""
    groups: dict[str, list[Record]] = {}
    for record in archive.values():
        groups.setdefault(shard_name(record.first_seen), []).append(record)
    return {
        name: "".join(encode_record(r) + "\n" for r in sorted(records, key=lambda r: r.id))
        for name, records in sorted(groups.items())
    }


def save_archive(data_dir: Path, archive: Archive, *, changed_ids: Iterable[str] | None = None) -> list[str]:
    """Write the shards whose text changed, atomically as one. Returns the file names written.

    `changed_ids`, when given, limits the comparison to the shards holding those records (a
    speed-up for large archives); without it every shard is compared with the disk.
    """
    folder = _papers_dir(data_dir)
    if changed_ids is None:
        shards = render_shards(archive)
    else:
        # Encode only the shards that can have changed: encoding every record to keep one
        # month's costs seconds and hundreds of MB in a large archive.
        wanted = {shard_name(archive[i].first_seen) for i in changed_ids if i in archive}
        shards = render_shards({i: r for i, r in archive.items() if shard_name(r.first_seen) in wanted})
    pending = {}
    for name, text in shards.items():
        target = folder / name
        try:
            current = target.read_text("utf-8") if target.exists() else None
        except OSError as err:
            raise ArchiveError(f"{target}: cannot read: {err.strerror}") from None
        if current != text:
            pending[name] = text
    if not pending:
        return []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in pending.items():
            _write_synced(folder / (name + _TEMP_SUFFIX), text)
        journal_temp = data_dir / (JOURNAL + _TEMP_SUFFIX)
        _write_synced(journal_temp, json.dumps(sorted(pending)))
        os.replace(journal_temp, data_dir / JOURNAL)  # the commit point
        _fsync_dir(data_dir)
    except OSError as err:
        for name in pending:
            temp = folder / (name + _TEMP_SUFFIX)
            if temp.is_file():
                temp.unlink()
        (data_dir / (JOURNAL + _TEMP_SUFFIX)).unlink(missing_ok=True)
        raise ArchiveError(
            f"{err.filename or data_dir}: cannot save the archive: {err.strerror}; nothing was "
            "changed; free disk space or fix permissions and run again"
        ) from None
    recover(data_dir)
    return sorted(pending)


def _write_synced(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
