"""The corpus through the real pipeline: every error case on its own, every case that parses
in one `paperfeed run` with the real `mkdocs build --strict`, then the faults; and the check
that each paper of the built site shows its title and abstract literally, on its page and in
every feed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from lxml import etree

from harness import make_project
from paperfeed.archive import load_archive
from paperfeed.feed_identity import load_identity
from paperfeed.feeds import defuse_tags
from paperfeed.ingest import adhoc_listing
from paperfeed.text import readable, split_math

from .cases_payloads import PAYLOAD_CASES
from .cases_text import FILE_NAME_CASES, TEXT_CASES
from .faults import FAULTS, Fault, small_listing
from .inputs import Case, visible
from .running import relative, run_cli, run_subprocess
from .scan import html_fragment

CASES: tuple[Case, ...] = (*TEXT_CASES, *PAYLOAD_CASES, *FILE_NAME_CASES)


@dataclass
class Outcome:
    """What one case did: the exit code and message of its own run, and for papers, how they
    show on the site."""

    case: Case
    code: int
    message: str = ""  # the one error line, paths made relative
    lines: int = 0  # lines the run wrote to stderr
    listing: str = ""  # the listing name its papers were filed under
    papers: int = 0
    problems: list[str] = field(default_factory=list)  # checks of the built site that failed

    @property
    def result(self) -> str:
        if self.code != 0:
            where = "one line" if self.lines == 1 else f"{self.lines} lines"
            return f"error, exit {self.code}, {where}: {self.message}"
        shown = "; ".join(self.problems) if self.problems else "shown literally on its page and in every feed"
        named = f" (listing `{self.listing}`)" if self.case.file_name else ""
        return f"{self.papers} paper{'s' if self.papers != 1 else ''}{named}; {shown}"


@dataclass
class CorpusRun:
    project: Path  # the site built from every case that parses
    outcomes: list[Outcome]
    faults: list[tuple[Fault, int, str]]
    stdout: str
    untouched: Path  # the project every error case ran in: it must still be empty


def run_corpus(work: Path) -> CorpusRun:
    """Every error case on its own (in process), then every case that parses in one real
    `paperfeed run` (a subprocess, with the real mkdocs build), then the faults."""
    listings = work / "listings"
    listings.mkdir(parents=True)
    project = make_project(work / "site-project")
    outcomes = []
    for case in CASES:
        (listings / case.file).write_bytes(case.data)
    untouched = make_project(work / "error-project")  # errors stop a run before it writes: one serves all
    for case in (c for c in CASES if c.expect == "error"):
        code, _, err = run_cli(untouched, "update", "--listing", str(listings / case.file))
        lines = err.strip().splitlines()
        outcomes.append(Outcome(case, code, relative(lines[-1] if lines else "", listings), len(lines)))
    good = [case for case in CASES if case.expect == "papers"]
    arguments = [argument for case in good for argument in ("--listing", str(listings / case.file))]
    code, stdout, stderr = run_subprocess(project, "run", *arguments)
    if code != 0:
        raise AssertionError(f"the run of every parsing case failed:\n{stdout}\n{stderr}")
    archive = load_archive(project / "data")
    for case in good:
        name = adhoc_listing(str(listings / case.file)).name
        count = sum(1 for record in archive.values() if name in record.listings)
        outcomes.append(Outcome(case, 0, listing=name, papers=count))
    order = {case.key: number for number, case in enumerate(CASES)}
    outcomes.sort(key=lambda outcome: order[outcome.case.key])
    check_papers(project, outcomes)
    base = make_project(work / "fault-base")  # a project that ran once on a small listing; each fault copies it
    code, _, err = run_cli(base, "run", "--no-build", "--listing", str(small_listing(base)))
    assert code == 0, err
    faults = [(fault, *fault.run(base, work / "faults" / fault.key)) for fault in FAULTS]
    return CorpusRun(project, outcomes, faults, stdout, untouched)


ATOM_NS = {"a": "http://www.w3.org/2005/Atom"}


def _text(element: lxml.html.HtmlElement | None) -> str:
    return " ".join(element.text_content().split()) if element is not None else ""


def expected_text(text: str) -> str | None:
    """How `text` must read on the site: as `readable` makes it, or None when it holds math
    that is typeset (MathML reads differently)."""
    if any(kind == "math" for kind, _ in split_math(text)):
        return None
    return " ".join(readable(text).split())


def check_papers(project: Path, outcomes: list[Outcome]) -> None:
    """For every paper of every case that parsed: its title and abstract read literally as the
    text of its page's heading and abstract, and of its entries in the listing's Atom, RSS and
    JSON feeds. What differs is added to the outcome's problems."""
    archive = load_archive(project / "data")
    identity = load_identity(project / "data")
    assert identity is not None
    site = project / "site"
    for outcome in (o for o in outcomes if o.code == 0):
        feeds = site / "feeds"
        atom = etree.parse(str(feeds / f"{outcome.listing}.xml")).getroot()
        rss = etree.parse(str(feeds / f"{outcome.listing}.rss")).getroot()
        json_feed = json.loads((feeds / f"{outcome.listing}.json").read_text("utf-8"))
        for record in (r for r in archive.values() if outcome.listing in r.listings):
            title, abstract = expected_text(record.paper.title), expected_text(record.paper.abstract)
            page = lxml.html.parse(str(site / "papers" / record.id / "index.html")).getroot()
            entry_id = identity.entry_id(record.id)
            atom_entry = next(
                e for e in atom.iterfind("a:entry", ATOM_NS) if e.findtext("a:id", "", ATOM_NS) == entry_id
            )
            rss_item = next(i for i in rss.iter("item") if i.findtext("guid") == entry_id)
            json_item = next(i for i in json_feed["items"] if i["id"] == entry_id)
            shown = {
                "page heading": _text(page.find(".//article/h1")),
                "Atom title": " ".join(atom_entry.findtext("a:title", "", ATOM_NS).split()),
                "RSS title": " ".join(rss_item.findtext("title", "").split()),
                "JSON Feed title": " ".join(json_item["title"].split()),
            }
            for where, text in shown.items():
                # Feeds defuse what looks like an HTML tag in a title; pages show it as it is.
                wanted = title if title is None or where == "page heading" else " ".join(defuse_tags(title).split())
                if wanted is not None and text != wanted:
                    outcome.problems.append(f"{where} of {record.id} reads {visible(text, 60)!r}")
            if abstract:
                bodies = {
                    "page abstract": _text(page.find(".//div[@class='pf-abstract']/p")),
                    "Atom content": _text(html_fragment(atom_entry.findtext("a:content", "", ATOM_NS))),
                    "RSS description": _text(html_fragment(rss_item.findtext("description", ""))),
                    "JSON Feed content": _text(html_fragment(json_item["content_html"])),
                }
                for where, text in bodies.items():
                    if abstract not in text:
                        outcome.problems.append(f"{where} of {record.id} lacks the abstract")
