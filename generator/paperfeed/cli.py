"""The command line: `paperfeed run` does everything; one subcommand per stage.

Exit codes: 0 success; 1 bad input, data, configuration or source (the message says what,
where and what to do); 2 wrong usage; 70 a bug in paperfeed (with a traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from paperfeed import __version__, like, nightly
from paperfeed.archive import load_archive, record_to_json
from paperfeed.clock import resolve_now
from paperfeed.config import ListingConfig, Settings, load_settings
from paperfeed.errors import EXIT_BUG, EXIT_INPUT, EXIT_OK, PaperfeedError
from paperfeed.fetch import make_fetcher
from paperfeed.ingest import adhoc_listing
from paperfeed.pipeline import UpdateReport, build, render_docs, update_archive
from paperfeed.sources import FORMATS, parse_listing


def _say(message: str) -> None:
    print(message, flush=True)


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(Path(args.config))
    if getattr(args, "data", None):
        settings = replace(settings, data_dir=Path(args.data))
    return settings


def _listings(args: argparse.Namespace, settings: Settings) -> tuple[ListingConfig, ...]:
    if getattr(args, "listing", None):
        return tuple(adhoc_listing(path) for path in args.listing)
    if not settings.listings:
        raise PaperfeedError(
            f"{settings.config_path}: no listings configured under extra.paperfeed.listings; "
            "add one, or pass --listing PATH"
        )
    return settings.listings


BACKFILL_ENV = "PAPERFEED_BACKFILL_DAYS"


def _days(text: str) -> int:
    """argparse's reading of --backfill: a whole number of days, 0 or more."""
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days (0 or more)")
    return int(text)


def _backfill_days(args: argparse.Namespace) -> int | None:
    """--backfill, else $PAPERFEED_BACKFILL_DAYS (how the nightly's manual run passes it),
    else None: each listing decides."""
    if args.backfill is not None:
        return int(args.backfill)
    text = os.environ.get(BACKFILL_ENV, "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise PaperfeedError(f"{BACKFILL_ENV}: {text!r} is not a whole number of days; unset it or give e.g. 14")
    return int(text)


def _update(args: argparse.Namespace, settings: Settings) -> UpdateReport:
    now = resolve_now(args.now)
    listings = _listings(args, settings)
    return update_archive(listings, settings, now, make_fetcher(settings), _say, backfill_days=_backfill_days(args))


def cmd_update(args: argparse.Namespace) -> int:
    settings = _settings(args)
    report = _update(args, settings)
    _say(
        f"archive: {len(report.archive)} papers, {len(report.added)} new, {len(report.updated)} updated, "
        f"{report.seen_again} already known; files saved: {len(report.files_saved)}"
    )
    return EXIT_OK


def cmd_render(args: argparse.Namespace) -> int:
    render_docs(_settings(args), _say, warn=nightly.warn)
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    build(_settings(args), _say, force=args.force)
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    started = time.monotonic()
    report = _update(args, settings)
    _say(f"archive: {len(report.archive)} papers, {len(report.added)} new, {report.seen_again} already known")
    render_docs(settings, _say, report.archive, warn=nightly.warn)
    if not args.no_build:
        build(settings, _say, force=args.force)
    _say(f"done in {time.monotonic() - started:.1f} s")
    return EXIT_OK


def cmd_parse(args: argparse.Namespace) -> int:
    path = Path(args.path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise PaperfeedError(f"{path}: cannot read: {err.strerror}") from None
    papers = parse_listing(data, str(path), args.format)
    for paper in papers:
        row = {
            "title": paper.title,
            "arxiv_id": paper.arxiv_id,
            "authors": list(paper.authors),
            "abstract": paper.abstract,
        }
        print(json.dumps(row, ensure_ascii=False))
    print(f"{len(papers)} papers", file=sys.stderr)
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    archive = load_archive(_settings(args).data_dir)
    if args.id not in archive:
        raise PaperfeedError(f"no paper with id {args.id!r} in the archive")
    print(json.dumps(record_to_json(archive[args.id]), ensure_ascii=False, indent=2, sort_keys=True))
    return EXIT_OK


def cmd_config(args: argparse.Namespace) -> int:
    settings = _settings(args)
    _say(f"{settings.config_path}: valid; site {settings.site_name!r} at {settings.site_url}")
    for listing in settings.listings:
        defaults = listing.spec.defaults
        given = [f"{key}: {value}" for key, value in listing.options if value != defaults[key]]
        given += [f"url: {listing.url}"] if listing.url else []
        given += [f"backfill_days: {listing.backfill_days}"] if listing.backfill_days else []
        _say(f"  listing {listing.name}: {listing.source}" + (f" ({', '.join(given)})" if given else ""))
    return EXIT_OK


def cmd_like(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.issue_title is not None:
        kind, paper = like.from_issue_title(args.issue_title)
    else:
        kind, paper = ("dislike" if args.dislike else "like"), like.paper_of(args.paper or "")
    liked = like.add(settings, paper, kind=kind)
    if not liked.added:
        _say(f"{liked.path}: names {paper} already; nothing to do")
        return EXIT_OK
    _say(f"{liked.path}: added {paper}")
    if args.commit:
        sha = nightly.commit_file(liked.path, f"{kind}s: {paper}")
        _say(f"committed {sha[:12]}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paperfeed",
        description="Turn research-paper listings into an archive, a static site and feeds.",
    )
    parser.add_argument("--version", action="version", version=f"paperfeed {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", default="mkdocs.yml", help="the settings file (default: mkdocs.yml)")
    common.add_argument("--data", help="the archive folder (default: extra.paperfeed.data_dir, i.e. data)")
    clock = argparse.ArgumentParser(add_help=False)
    clock.add_argument("--now", help="the time of this run, ISO 8601 (default: $SOURCE_DATE_EPOCH, else the clock)")
    listing = argparse.ArgumentParser(add_help=False)
    listing.add_argument(
        "--listing", action="append", metavar="PATH",
        help="read this listing file instead of the configured listings (repeatable)",
    )  # fmt: skip
    listing.add_argument(
        "--backfill", type=_days, metavar="DAYS",
        help="read each of the last DAYS days of the listings whose source keeps a history, instead of "
        f"tonight's; 0: none (default: ${BACKFILL_ENV}, else each listing's backfill_days on its first run)",
    )  # fmt: skip
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str, func: Callable[[argparse.Namespace], int], help_text: str, parents: list[argparse.ArgumentParser]
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text, parents=parents)
        sub.set_defaults(func=func)
        return sub

    run = add(
        "run", cmd_run, "read the listings, update the archive, render docs/ and build site/", [common, clock, listing]
    )
    run.add_argument("--no-build", action="store_true", help="stop after writing docs/ (skip mkdocs build)")
    run.add_argument("--force", action="store_true", help="build even when docs/ and config are unchanged")
    add("update", cmd_update, "read the listings and merge them into the archive (data/)", [common, clock, listing])
    add("render", cmd_render, "render the archive into pages and feeds under docs/", [common])
    build_cmd = add("build", cmd_build, "run mkdocs build --strict into site/ (skipped when nothing changed)", [common])
    build_cmd.add_argument("--force", action="store_true", help="build even when docs/ and config are unchanged")
    add("config", cmd_config, "check the settings file and summarise it", [common])
    show = add("show", cmd_show, "print one archived paper as JSON", [common])
    show.add_argument("id", help="the paper's id, e.g. 2401.01234")
    parse = add("parse", cmd_parse, "parse a listing file and print its papers as JSON lines", [])
    parse.add_argument("path", help="a saved listing: text, JSON, HTML or XML")
    parse.add_argument("--format", choices=list(FORMATS), help="the listing's format (default: detected)")
    liking = add("like", cmd_like, "add a paper to the likes file (extra.paperfeed.for_you.likes)", [common])
    liking.add_argument("paper", nargs="?", help="an arXiv id or link, a Hugging Face paper link, or a page id")
    liking.add_argument("--dislike", action="store_true", help="add it to the dislikes file instead")
    liking.add_argument(
        "--issue-title", metavar="TITLE",
        help="read 'like: ID' or 'dislike: ID' from an issue title (the like workflow passes it)",
    )  # fmt: skip
    liking.add_argument("--commit", action="store_true", help="commit the file to git (nothing else)")
    # The nightly workflow's own steps (commit-data, check, stamp) live in nightly.py.
    nightly.register(add, common, _settings)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except PaperfeedError as err:
        print(f"paperfeed: error: {err}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("paperfeed: interrupted; the archive is whole (saves are atomic), run again", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (paperfeed parse FILE | head): not a bug
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the last flush is quiet
        print("paperfeed: error: output closed early (broken pipe); the rest was not printed", file=sys.stderr)
        return EXIT_INPUT
    except Exception:  # noqa: BLE001 - the last line of defence: report a bug, with its traceback
        traceback.print_exc()
        print(
            "paperfeed: internal error (a bug): please report it with the traceback above",
            file=sys.stderr,
        )
        return EXIT_BUG
    finally:
        sys.stdout.flush()
