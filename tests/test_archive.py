"""The archive on disk: round trips, atomic saves, crash recovery and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paperfeed.archive import JOURNAL, load_archive, save_archive
from paperfeed.errors import ArchiveError
from records import RICH, T0, T1, record


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    archive = {"2411.01234": record("2411.01234", seen=T0, **RICH.__dict__ | {"title": RICH.title})}
    archive["plain-abc"] = record("plain-abc", "Plain", seen=T1)
    assert save_archive(tmp_path, archive) == ["2026-11.jsonl"]
    assert load_archive(tmp_path) == archive


def test_format_is_one_sorted_line_per_paper(tmp_path: Path) -> None:
    archive = {i: record(i, f"Title {i}") for i in ("b-2", "a-1", "c-3")}
    save_archive(tmp_path, archive)
    lines = (tmp_path / "papers" / "2026-11.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a-1", "b-2", "c-3"]
    assert all(list(json.loads(line)) == sorted(json.loads(line)) for line in lines)


def test_saving_the_same_archive_writes_nothing(tmp_path: Path) -> None:
    archive = {"a-1": record("a-1")}
    save_archive(tmp_path, archive)
    shard = tmp_path / "papers" / "2026-11.jsonl"
    before = shard.stat().st_mtime_ns
    assert save_archive(tmp_path, archive) == []
    assert shard.stat().st_mtime_ns == before


def test_a_save_interrupted_after_its_journal_is_finished_on_load(tmp_path: Path) -> None:
    save_archive(tmp_path, {"a-1": record("a-1")})
    papers = tmp_path / "papers"
    # Simulate a crash between committing the journal and the renames.
    new_text = (papers / "2026-11.jsonl").read_text("utf-8").replace("A Paper", "A Better Paper")
    (papers / "2026-11.jsonl.tmp").write_text(new_text, "utf-8")
    (tmp_path / JOURNAL).write_text(json.dumps(["2026-11.jsonl"]), "utf-8")
    assert load_archive(tmp_path)["a-1"].paper.title == "A Better Paper"
    assert not (tmp_path / JOURNAL).exists()


def test_a_save_interrupted_before_its_journal_leaves_the_old_archive(tmp_path: Path) -> None:
    save_archive(tmp_path, {"a-1": record("a-1")})
    (tmp_path / "papers" / "2026-11.jsonl.tmp").write_text("half a fi", "utf-8")
    assert load_archive(tmp_path)["a-1"].paper.title == "A Paper"
    assert not (tmp_path / "papers" / "2026-11.jsonl.tmp").exists()


def test_damaged_line_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    save_archive(tmp_path, {"a-1": record("a-1"), "b-2": record("b-2")})
    shard = tmp_path / "papers" / "2026-11.jsonl"
    lines = shard.read_text("utf-8").splitlines()
    shard.write_text(lines[0] + "\n" + lines[1][:40] + "\n", "utf-8")
    with pytest.raises(ArchiveError, match=r"2026-11\.jsonl:2: damaged record"):
        load_archive(tmp_path)


def test_unwritable_archive_is_a_clear_error_and_leaves_the_old_files(tmp_path: Path) -> None:
    save_archive(tmp_path, {"a-1": record("a-1")})
    papers = tmp_path / "papers"
    before = (papers / "2026-11.jsonl").read_bytes()
    # A folder where the temp file must go makes the write fail even for root.
    (papers / "2026-11.jsonl.tmp").mkdir()
    with pytest.raises(ArchiveError, match=r"cannot save the archive: .*nothing was changed"):
        save_archive(tmp_path, {"a-1": record("a-1", "Changed")})
    assert (papers / "2026-11.jsonl").read_bytes() == before
    assert not (tmp_path / JOURNAL).exists()
