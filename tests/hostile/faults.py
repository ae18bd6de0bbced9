"""Faults (the environment or the data is wrong) and crash leftovers (what a killed run
leaves behind, made by hand), each run in a copy of a project that has already run once."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from paperfeed.archive import load_archive

from .inputs import ABSTRACT, titles
from .running import relative, run_cli


def small_listing(project: Path) -> Path:
    path = project / "small.txt"
    path.write_bytes(titles("A Small Paper", "Another Small Paper"))
    return path


def _archive_shard(project: Path) -> Path:
    return project / "data" / "papers" / "2025-11.jsonl"


def _edit_first_record(project: Path, **changes: object) -> None:
    shard = _archive_shard(project)
    lines = shard.read_text("utf-8").splitlines()
    record = json.loads(lines[0])
    record.update(changes)
    lines[0] = json.dumps(record)
    shard.write_text("\n".join(lines) + "\n", "utf-8")


def _then_run(project: Path) -> tuple[int, str, str]:
    return run_cli(project, "run", "--no-build", "--listing", str(project / "small.txt"))


@dataclass(frozen=True)
class Fault:
    key: str
    kind: str  # "fault" (the environment or data is wrong) or "crash" (what a killed run leaves)
    what: str
    prepare: Callable[[Path], None]  # given a project that already ran once on the small listing
    act: Callable[[Path], tuple[int, str, str]] = _then_run
    expect: int = 1
    after: Callable[[Path], str] = lambda project: ""  # extra facts to report, checked by tests

    def run(self, base: Path, project: Path) -> tuple[int, str]:
        shutil.copytree(base, project, symlinks=True)
        self.prepare(project)
        code, _, err = self.act(project)
        lines = err.strip().splitlines() or [""]
        message = f"{len(lines)} lines: {lines[-1]}" if len(lines) > 1 else lines[0]
        facts = self.after(project)
        message = relative(message, project)
        return code, f"{message} {facts}".strip()


def _replace_with_file(relative: str) -> Callable[[Path], None]:
    def prepare(project: Path) -> None:
        target = project / relative
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
        target.write_text("a file where a folder must be\n", "utf-8")

    return prepare


def _archive_state(project: Path) -> str:
    try:
        return f"(archive: {len(load_archive(project / 'data'))} papers)"
    except Exception as err:  # noqa: BLE001 - reported in the page, checked by the tests
        return f"(archive unreadable: {err})"


def _leftovers(project: Path) -> str:
    found = sorted(
        str(path.relative_to(project))
        for path in project.rglob("*")
        if path.name.endswith(".tmp")
        or path.name.startswith(".archive-journal")
        or path.name.endswith((".building", ".old"))
    )
    return f"{_archive_state(project)[:-1]}; leftovers: {', '.join(found) or 'none'})"


def _kill_before_commit(project: Path) -> None:
    """What a run killed while writing the new shards leaves: temp files, no journal."""
    shard = _archive_shard(project)
    (shard.parent / "2025-12.jsonl.tmp").write_text('{"half a line', "utf-8")
    (shard.parent / (shard.name + ".tmp")).write_text(shard.read_text("utf-8")[:40], "utf-8")
    (project / "data" / ".archive-journal.json.tmp").write_text('["2025-1', "utf-8")


def _kill_after_commit(project: Path, done: int) -> None:
    """What a run killed after committing its journal leaves: the journal, and the renames
    it names, `done` of them already made."""
    folder = _archive_shard(project).parent
    old = _archive_shard(project).read_text("utf-8")
    december = json.loads(old.splitlines()[0])
    december.update(
        id="a-december-paper-0000000a",
        title="A December Paper",
        first_seen="2025-12-01T00:00:00Z",
        last_seen="2025-12-01T00:00:00Z",
    )
    new = {"2025-11.jsonl": old.replace(ABSTRACT, ABSTRACT + " Revised."), "2025-12.jsonl": json.dumps(december) + "\n"}
    for number, (name, text) in enumerate(sorted(new.items())):
        target = folder / name if number < done else folder / (name + ".tmp")
        target.write_text(text, "utf-8")
    (project / "data" / ".archive-journal.json").write_text(json.dumps(sorted(new)), "utf-8")


def _half_written_docs(project: Path) -> None:
    docs = project / "docs"
    (docs / ".index.md.tmp").write_text("---\ntitle: half", "utf-8")
    (docs / ".feed.xml.tmp").write_text("<feed", "utf-8")
    (docs / "papers" / ".x.md.tmp").write_text("half", "utf-8")
    (docs / "papers" / "a-stale-page.md").write_text("stale", "utf-8")
    page = next((docs / "papers").glob("a-small-paper-*.md"))
    page.write_text(page.read_text("utf-8")[:50], "utf-8")


def _half_built_site(project: Path) -> None:
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("old site", "utf-8")
    (project / "site.building" / "papers").mkdir(parents=True)
    (project / "site.building" / "index.html").write_text("<html>half", "utf-8")


def _between_swaps(project: Path) -> None:
    """Killed between the build's two renames: site/ gone, site.old/ and site.building/ there."""
    (project / "site.old").mkdir()
    (project / "site.old" / "index.html").write_text("old site", "utf-8")
    (project / "site.building").mkdir()
    (project / "site.building" / "index.html").write_text("new site", "utf-8")


def _after_swap(project: Path) -> None:
    """Killed after the new site was swapped in, while the old one was being removed."""
    code, _, err = run_cli(project, "build")
    assert code == 0, err
    (project / "site.old" / "papers").mkdir(parents=True)
    (project / "site.old" / "papers" / "index.html").write_text("half removed", "utf-8")


def _build(project: Path) -> tuple[int, str, str]:
    return run_cli(project, "build")


def _site_state(project: Path) -> str:
    index = project / "site" / "index.html"
    whole = index.is_file() and "</html>" in index.read_text("utf-8")
    return (
        f"(site/ {'whole' if whole else 'NOT whole'}; leftovers: "
        + (", ".join(name for name in ("site.building", "site.old") if (project / name).exists()) or "none")
        + ")"
    )


def _block_site(project: Path) -> None:
    _config("INHERIT: base.yml\nsite_dir: blocked/site\n")(project)
    (project / "blocked").write_text("a file where a folder must be\n", "utf-8")


def _shard_folder(project: Path) -> None:
    _archive_shard(project).unlink()
    _archive_shard(project).mkdir()


def _write_shard(text: bytes) -> Callable[[Path], None]:
    def prepare(project: Path) -> None:
        _archive_shard(project).write_bytes(text)

    return prepare


def _config(text: str) -> Callable[[Path], None]:
    def prepare(project: Path) -> None:
        (project / "mkdocs.yml").write_text(text, "utf-8")

    return prepare


FAULTS: tuple[Fault, ...] = (
    Fault("data-is-a-file", "fault", "data/papers is a file", _replace_with_file("data/papers")),
    Fault(
        "docs-is-a-file",
        "fault",
        "docs/papers is a file (pages cannot be written)",
        _replace_with_file("docs/papers"),
        after=_archive_state,
    ),
    Fault(
        "site-blocked", "fault", "the site folder's parent is a file (the build cannot write)", _block_site, act=_build
    ),
    Fault("shard-is-a-folder", "fault", "an archive file is a folder", _shard_folder),
    Fault("shard-not-utf8", "fault", "an archive file that is not UTF-8", _write_shard(b"\xff\xfe{}\n")),
    Fault("shard-damaged", "fault", "a damaged archive line", _write_shard(b'{"id": "x", "title": \n')),
    Fault(
        "record-unsafe-id",
        "fault",
        'a hand-edited record with id "../../etc/x"',
        lambda p: _edit_first_record(p, id="../../etc/x"),
    ),
    Fault("record-device-id", "fault", 'a hand-edited record with id "aux"', lambda p: _edit_first_record(p, id="aux")),
    Fault(
        "record-listing",
        "fault",
        "a hand-edited listing name with markup",
        lambda p: _edit_first_record(p, listings=['"><script>alert(1)</script>']),
    ),
    Fault(
        "record-arxiv-id",
        "fault",
        "a hand-edited arXiv id that is a URL",
        lambda p: _edit_first_record(p, arxiv_id="javascript:alert(1)"),
    ),
    Fault(
        "record-title",
        "fault",
        "a hand-edited title of control characters only",
        lambda p: _edit_first_record(p, title="\u0000\u0001"),
    ),
    Fault(
        "record-deep",
        "fault",
        "an archive line nested 100,000 deep",
        _write_shard(b"[" * 100_000 + b"]" * 100_000 + b"\n"),
    ),
    Fault(
        "identity-damaged",
        "fault",
        "a damaged data/identity.json",
        lambda p: (p / "data" / "identity.json").write_text("{", "utf-8"),
    ),
    Fault(
        "journal-damaged",
        "fault",
        "a save journal naming a file outside the archive",
        lambda p: (p / "data" / ".archive-journal.json").write_text('["../../etc/passwd"]', "utf-8"),
    ),
    Fault(
        "config-device-name",
        "fault",
        "a configured listing named con",
        _config(
            "INHERIT: base.yml\nextra:\n  paperfeed:\n    listings:\n"
            "      - {name: con, source: text, url: small.txt}\n"
        ),
    ),
    Fault("config-not-yaml", "fault", "mkdocs.yml that is not YAML", _config("site_name: [unclosed\n")),
    Fault(
        "clock-year-999",
        "fault",
        "--now in the year 999",
        lambda p: None,
        act=lambda p: run_cli(p, "update", "--now", "0999-12-31T00:00:00Z", "--listing", str(p / "small.txt")),
    ),
    Fault(
        "listing-is-a-folder",
        "fault",
        "--listing names a folder",
        lambda p: None,
        act=lambda p: run_cli(p, "update", "--listing", str(p / "docs")),
    ),
    Fault(
        "crash-before-commit",
        "crash",
        "killed while writing the new archive files (temp files, no journal)",
        _kill_before_commit,
        expect=0,
        after=_leftovers,
    ),
    Fault(
        "crash-after-commit",
        "crash",
        "killed after committing the journal, before any rename",
        lambda p: _kill_after_commit(p, 0),
        expect=0,
        after=_leftovers,
    ),
    Fault(
        "crash-mid-renames",
        "crash",
        "killed after committing the journal, one rename of two made",
        lambda p: _kill_after_commit(p, 1),
        expect=0,
        after=_leftovers,
    ),
    Fault(
        "crash-writing-docs",
        "crash",
        "killed while writing docs/ (temp files, a cut page, a stale page)",
        _half_written_docs,
        expect=0,
        after=_leftovers,
    ),
    Fault(
        "crash-mid-build",
        "crash",
        "killed during mkdocs build (a half-built site.building/)",
        _half_built_site,
        act=_build,
        expect=0,
        after=_site_state,
    ),
    Fault(
        "crash-after-swap",
        "crash",
        "killed while removing the old site after the swap (the next build has nothing to do)",
        _after_swap,
        act=_build,
        expect=0,
        after=_site_state,
    ),
    Fault(
        "crash-mid-swap",
        "crash",
        "killed between the build's two renames (no site/)",
        _between_swaps,
        act=_build,
        expect=0,
        after=_site_state,
    ),
)
