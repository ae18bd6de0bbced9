"""Property tests: every parser, the merge, the page renderer and the feed writer
keep their promises on inputs hypothesis makes up, salted with the hostile corpus's payloads.

The profile (tests/conftest.py) runs 500 examples a property when CI=true, 60 otherwise.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import feedparser
import lxml.html
import markdown
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from mkdocs.utils import yaml_load
from mkdocs.utils.meta import get_data

from feedcheck import validate_atom
from harness import PROJECT
from hostile.inputs import CHROME, PWNED, arxiv_entry, arxiv_feed, rss_feed, rss_item
from hostile.scan import html_fragment, scan_markup
from paperfeed.archive import encode_record, record_from_json
from paperfeed.config import Settings
from paperfeed.errors import OutputError, PaperfeedError
from paperfeed.feed_identity import Identity
from paperfeed.feeds import FEED_FORMATS, FeedSpec
from paperfeed.htmlbits import esc
from paperfeed.links import tag_slug
from paperfeed.merge import merge_listing
from paperfeed.model import LINK_KINDS, Paper, Record
from paperfeed.pages import _DUMP_OPTIONS, front_matter, paper_card, paper_page
from paperfeed.paper_ids import is_safe_id, normalise_arxiv_id, paper_id_from_title, title_key
from paperfeed.sources import FORMATS as LISTING_FORMATS
from paperfeed.sources import parse_listing
from paperfeed.text import clean, readable, readable_names, split_math, xml_safe
from paperfeed.writer import check_relative, write_tree

SETTINGS = Settings(site_name="paperfeed", site_url="https://example.org/papers/")
IDENTITY = Identity(authority="example.org", date="2026-01-01")
T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
with (PROJECT / "mkdocs.yml").open("rb") as _config:  # the test site's Markdown extensions
    MARKDOWN_EXTENSIONS = [
        name
        for item in yaml_load(_config)["markdown_extensions"]
        for name in ([item] if isinstance(item, str) else item)
    ]

# Pieces of the corpus's payloads, and characters that are trouble somewhere.
FRAGMENTS = (
    "<script>",
    "</script>",
    PWNED,
    "<img src=x onerror=alert(1)>",
    '"',
    "'",
    "`",
    "<",
    ">",
    "&",
    "&amp;",
    "&lt;",
    "javascript:",
    "[x](javascript:alert(1))",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "---",
    "...",
    "\n",
    "\r\n",
    "\n\n",
    "# ",
    "title: x",
    "- ",
    "|",
    "*",
    "_",
    "~",
    "\\",
    "$",
    "$x$",
    "$\\frac{1}{2}$",
    "\\(",
    "\\)",
    "{",
    "}",
    "\x00",
    "\x1b",
    "\x85",
    "\u2028",
    "\u202e",
    "\u200d",
    "\ufeff",
    "\ufffe",
    "\ue000",
    "\ufdd0",
    "é",
    "e\u0301",
    "👩\u200d👩\u200d👧",
    "ورقة",
    "CON",
    "aux",
    "..",
    "/",
    "https://example.org/a?b=1&c=<2>",
    "@",
    "!!",
    "%",
    "\t",
)
hostile_text = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=5).map("".join),
    st.text(max_size=12),
    st.tuples(st.text(max_size=6), st.sampled_from(FRAGMENTS), st.text(max_size=6)).map("".join),
)
# Text as sources give it: cleaned, never empty.
source_text = hostile_text.map(lambda text: clean(text) or "x")
# Text as the archive may hold it (a hand edit included): anything XML can carry.
archive_text = hostile_text.map(xml_safe)
# Titles that meet when case, accents and punctuation are ignored, or that have no words.
TITLES = ("A Paper", "a paper!", "A  PAPER", "À Päper", "Another Paper", "🚀", "🔥", "???", "!!!", "---", "$x$", "{}")
ARXIV_IDS = ("2401.01234", "2401.01234v3", "arXiv:2401.01235", "hep-th/9901001", "math.AG/0601001v2", "junk", "")
urls = st.sampled_from(
    (
        "https://example.org/x",
        "https://example.org/a?b=1&c=2",
        "javascript:alert(1)",
        'https://evil.example/" onclick="alert(1)',
        "10.1234/abc",
        "http://x.example/<script>",
    )
)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


def papers(
    text: st.SearchStrategy[str] = source_text, title: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Paper]:
    return st.builds(
        Paper,
        title=st.one_of(st.sampled_from(TITLES), text) if title is None else title,
        abstract=st.one_of(st.just(""), text),
        authors=st.lists(text, max_size=2).map(tuple),
        arxiv_id=st.sampled_from(ARXIV_IDS).map(lambda raw: normalise_arxiv_id(raw) if raw else None),
        published=st.one_of(st.none(), days),
        listed=st.one_of(st.none(), days),
        tags=st.lists(st.one_of(st.sampled_from(("AI", "ai", "CON", "Sitemap")), text), max_size=3).map(tuple),
        summary=st.one_of(st.just(""), text),
        links=st.lists(st.tuples(st.sampled_from(LINK_KINDS), urls), max_size=3).map(tuple),
    )


def _assert_clean_papers(result: list[Paper]) -> None:
    """What a parser promises of each paper: text as `clean` leaves it, a title, a normalised
    arXiv id, and only http(s) links."""
    for paper in result:
        assert paper.title and clean(paper.title) == paper.title
        for text in (paper.abstract, paper.summary, *paper.authors, *paper.tags):
            assert clean(text) == text and xml_safe(text) == text
        assert all(paper.authors) and all(paper.tags)
        assert paper.arxiv_id is None or normalise_arxiv_id(paper.arxiv_id) == paper.arxiv_id
        assert all(kind in LINK_KINDS and re.match(r"https?://", url) for kind, url in paper.links)


# -- Parsers ---------------------------------------------------------------------------------


@given(data=st.binary(max_size=4096), name=st.sampled_from(sorted(LISTING_FORMATS)))
def test_any_bytes_in_any_format_give_papers_or_a_paperfeed_error(data: bytes, name: str) -> None:
    """Any bytes, read as any listing format, give papers that hold the parser's promises, or
    a PaperfeedError whose message is one line naming the origin; never another exception."""
    try:
        result, skipped = LISTING_FORMATS[name].parse(data, "hostile.bin")
    except PaperfeedError as err:
        assert str(err).startswith("hostile.bin") and "\n" not in str(err)
        return
    assert skipped >= 0
    _assert_clean_papers(result)


FIXTURES = sorted(
    path
    for path in (Path(__file__).parent / "fixtures" / "sources").rglob("*")
    if path.is_file() and not path.name.endswith(".expected.json")
)


@given(
    fixture=st.sampled_from(FIXTURES),
    cut=st.one_of(st.none(), st.floats(min_value=0, max_value=1)),
    flips=st.lists(st.tuples(st.floats(min_value=0, max_value=1), st.integers(0, 255)), max_size=4),
)
def test_damaged_real_payloads_give_papers_or_a_paperfeed_error(
    fixture: Path, cut: float | None, flips: list[tuple[float, int]]
) -> None:
    """Real captured payloads, truncated anywhere and with bytes changed, give clean papers
    or a PaperfeedError, whether read as their format or sniffed."""
    data = bytearray(fixture.read_bytes())
    for where, byte in flips:
        if data:
            data[int(where * (len(data) - 1))] = byte
    if cut is not None:
        data = data[: int(cut * len(data))]
    for name in (fixture.parent.name if fixture.parent.name in LISTING_FORMATS else None, None):
        try:
            _assert_clean_papers(parse_listing(bytes(data), "payload", name))
        except PaperfeedError as err:
            assert "\n" not in str(err)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), hostile_text),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(hostile_text, inner, max_size=4)),
    max_leaves=12,
)
HF_KEYS = (
    "id",
    "title",
    "summary",
    "authors",
    "publishedAt",
    "submittedOnDailyAt",
    "upvotes",
    "githubRepo",
    "projectPage",
    "ai_keywords",
    "ai_summary",
    "withdrawnAt",
    "name",
    "hidden",
)
hf_objects = st.dictionaries(st.sampled_from(HF_KEYS), st.one_of(json_values, st.sampled_from(ARXIV_IDS)), max_size=8)
hf_entries = st.one_of(hf_objects, st.builds(lambda paper, extra: {**extra, "paper": paper}, hf_objects, hf_objects))


@given(entries=st.lists(st.one_of(hf_entries, json_values), max_size=4), page=st.booleans())
def test_any_hugging_face_payload_gives_papers_or_a_paperfeed_error(entries: list[object], page: bool) -> None:
    """Daily Papers JSON and Papers pages of any shape and types, with hostile strings, give
    clean papers or a PaperfeedError, whether read by name or sniffed."""
    payload = json.dumps(entries)
    if page:
        props = json.dumps({"date": "2026-01-01", "dailyPapers": entries}).replace("&", "&amp;").replace('"', "&quot;")
        data = f'<!doctype html><html><div data-target="DailyPapers" data-props="{props}"></div></html>'.encode()
    else:
        data = payload.encode()
    for name in ("hf-html" if page else "hf-api", "hf-search", None):
        try:
            _assert_clean_papers(parse_listing(data, "payload", name))
        except PaperfeedError as err:
            assert "\n" not in str(err)


def _xml_text(text: str, raw: bool) -> str:
    return text if raw else text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@given(
    fields=st.lists(st.tuples(hostile_text, hostile_text, hostile_text, st.sampled_from(ARXIV_IDS)), max_size=3),
    raw=st.booleans(),
    rss=st.booleans(),
)
def test_any_arxiv_payload_gives_papers_or_a_paperfeed_error(
    fields: list[tuple[str, str, str, str]], raw: bool, rss: bool
) -> None:
    """arXiv API and RSS payloads with hostile text in every field, escaped or raw (so often
    not well-formed), give clean papers or a PaperfeedError."""
    entries = []
    for raw_title, raw_summary, raw_author, arxiv_id in fields:
        title, summary, author = (_xml_text(t, raw) for t in (raw_title, raw_summary, raw_author))
        if rss:
            entries.append(rss_item(arxiv_id, title, summary, author, f"<category>{author}</category>"))
        else:
            extra = f'<category term="{_xml_text(raw_author, False).replace(chr(34), "&quot;")}"/>'
            entries.append(arxiv_entry(arxiv_id, title, summary, (author,), extra))
    data = rss_feed("".join(entries)) if rss else arxiv_feed("".join(entries))
    for name in ("arxiv-rss" if rss else "arxiv-api", None):
        try:
            _assert_clean_papers(parse_listing(data, "payload", name))
        except PaperfeedError as err:
            assert "\n" not in str(err)


@given(lines=st.lists(hostile_text, max_size=12))
def test_any_text_listing_gives_papers_or_an_error_naming_the_file(lines: list[str]) -> None:
    """Text listings of hostile lines give clean papers, or one line naming the file."""
    data = "\n".join([CHROME, *lines]).encode("utf-8", errors="surrogatepass")
    try:
        _assert_clean_papers(parse_listing(data, "listing.txt"))
    except PaperfeedError as err:
        assert str(err).startswith("listing.txt") and "\n" not in str(err)


# -- Merge -----------------------------------------------------------------------------------


@given(
    first=st.lists(papers(), max_size=5),
    second=st.lists(papers(), max_size=5),
    gap=st.integers(min_value=0, max_value=400),
)
def test_merge_is_idempotent_never_shrinks_and_first_seen_never_moves(
    first: list[Paper], second: list[Paper], gap: int
) -> None:
    """Merging a listing twice is merging it once; no record leaves, none changes its id or
    first-seen time; every paper given is in the archive afterwards, under a safe id; and the
    archive survives its own file format unchanged."""
    later = T0 + timedelta(hours=gap)
    base = merge_listing({}, "first", first, T0).archive
    once = merge_listing(base, "second", second, later)
    twice = merge_listing(once.archive, "second", second, later)
    assert twice.archive == once.archive and twice.added == ()
    merged = once.archive
    for record_id, record in base.items():
        assert merged[record_id].first_seen == record.first_seen and merged[record_id].id == record_id
        assert merged[record_id].last_seen >= record.last_seen
    for paper in [*first, *second]:
        assert any(
            (paper.arxiv_id and r.paper.arxiv_id == paper.arxiv_id)
            or title_key(r.paper.title) == title_key(paper.title)
            for r in merged.values()
        )
    assert all(is_safe_id(record_id) for record_id in merged)
    assert len({record_id.casefold() for record_id in merged}) == len(merged)
    for record in merged.values():
        assert record_from_json(json.loads(encode_record(record))) == record


# -- Page renderer ---------------------------------------------------------------------------


def records() -> st.SearchStrategy[Record]:
    """Records as a hand-edited archive may hold them: any text that loads (anything XML can
    carry; a title with something visible), any id and listing names that load."""
    titles = st.one_of(st.sampled_from(TITLES), archive_text.map(lambda value: value if value.strip() else "t"))
    return st.builds(
        Record,
        id=st.sampled_from(("2401.01234", "hep-th-9901001", "a-title-1234abcd", "x")),
        paper=papers(archive_text, titles),
        first_seen=st.just(T0),
        last_seen=st.just(T0),
        listings=st.lists(st.sampled_from(("hf-daily", "a", "arxiv-cs-lg")), max_size=2, unique=True).map(tuple),
    )


def _front_matter(page: str) -> tuple[str, dict[str, object]]:
    body, meta = get_data(page)  # MkDocs' own reader
    assert page.startswith("---\n") and body.startswith("<")
    return body, meta


def _words(text: str) -> str:
    return " ".join(text.split())


def _as_markdown_reads(html: str) -> str:
    """`html` after Python-Markdown's own clean-up of its input (line ends, tabs, blank-ish
    lines), which changes no markup: what its output must then equal."""
    text = html.replace("\x02", "").replace("\x03", "").replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    return re.sub(r"(?<=\n) +\n", "\n", text).strip()


def _passes_markdown_untouched(html: str) -> bool:
    return markdown.markdown(html, extensions=MARKDOWN_EXTENSIONS) == _as_markdown_reads(html)


@given(record=records(), neighbour=records())
def test_any_record_renders_a_page_that_reads_back_and_runs_nothing(record: Record, neighbour: Record) -> None:
    """Any record's page: MkDocs reads its front matter back with the same title, and its body
    is one raw HTML block that Markdown passes through untouched, with no <script, no
    javascript: link and no {{ or {% for a template engine, whose heading reads as the title."""
    page = paper_page(record, SETTINGS, (neighbour, neighbour))
    body, meta = _front_matter(page)
    title = readable(record.paper.title)
    assert meta["title"] == esc(title)
    citation = meta["citation"]
    assert isinstance(citation, dict) and citation["title"] == title
    assert [_words(a) for a in citation["authors"]] == [_words(a) for a in readable_names(record.paper.authors)]
    assert yaml.safe_load(page.split("---\n")[1]) is not None
    lowered = body.lower()
    assert "<script" not in lowered and not re.search(r"href=[\"']?\s*javascript:", lowered)
    assert "{{" not in body and "{%" not in body and "{#" not in body
    assert _passes_markdown_untouched(body)
    heading = lxml.html.fragment_fromstring(body, create_parent="div").find(".//h1")
    if not any(kind == "math" for kind, _ in split_math(record.paper.title)):
        assert _words(heading.text_content()) == _words(title)
    card = paper_card(record, "index.md")
    assert "<script" not in card.lower() and "{{" not in card
    assert _passes_markdown_untouched(card)


# Front matter as pages give it: text, flags, lists and mappings of them (keys sorted).
front_values = st.recursive(
    st.one_of(hostile_text, st.booleans(), st.sampled_from(("yes", "1.5", "2401.01234", "2026-01-01", "~", ""))),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(("title", "href", "on", "y")), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(meta=st.dictionaries(st.sampled_from(("title", "citation", "feeds", "hide", "search")), front_values))
def test_front_matter_is_what_yaml_dump_writes(meta: dict[str, object]) -> None:
    """pages.front_matter writes simple front matter itself: byte for byte what
    yaml.dump with libyaml writes, or yaml.dump's own output."""
    try:
        expected = yaml.dump(meta, **_DUMP_OPTIONS)
    except yaml.YAMLError:
        return
    assert front_matter(meta) == f"---\n{expected}---\n\n"


# -- Feed writer -----------------------------------------------------------------------------


@given(drawn=st.lists(records(), max_size=4))
def test_any_archive_gives_valid_feeds_that_carry_no_code(drawn: list[Record]) -> None:
    """Any archive gives an Atom feed valid against RFC 4287's schema, and RSS and JSON Feed
    that read without error; no entry's HTML holds a script, frame or event handler."""
    archive = [replace(record, id=f"paper-{number}") for number, record in enumerate(drawn)]
    spec = FeedSpec("all", "paperfeed <all> & {{ everything }}", "index.md", tuple(archive), "feed")
    written = {fmt.name: fmt.write(spec, SETTINGS, IDENTITY) for fmt in FEED_FORMATS}
    parsed = validate_atom(written["atom"])
    assert len(parsed.entries) == len(archive)
    rss = feedparser.parse(written["rss"])
    assert rss.bozo == 0 and len(rss.entries) == len(archive)
    json_feed = json.loads(written["json"])
    assert len(json_feed["items"]) == len(archive)
    problems = []
    for name, data in written.items():
        if name == "json":
            bodies = [item["content_html"] for item in json_feed["items"]]
        else:
            root = etree.fromstring(data)
            bodies = [
                e.text or ""
                for e in root.iter()
                if isinstance(e.tag, str) and e.tag.endswith(("content", "description"))
            ]
        problems += [p for body in bodies for p in scan_markup(html_fragment(body), name)]
    assert problems == []


# -- Names -----------------------------------------------------------------------------------


@given(text=st.text())
def test_names_made_from_input_are_safe_file_names(text: str) -> None:
    """Ids made from any title, and slugs made from any tag, are safe, lowercase, short file
    names that are not reserved (CON, aux, sitemap) and that the writer accepts."""
    paper_id = paper_id_from_title(text)
    assert is_safe_id(paper_id)
    check_relative(f"papers/{paper_id}.md")
    slug = tag_slug(text)
    if slug:
        assert slug == slug.lower() and len(slug) <= 64
        check_relative(f"tags/{slug}/index.md")
        check_relative(f"feeds/tags/{slug}.xml")
        assert slug != "sitemap"


UNSAFE_PATHS = (
    "../x.md", "/etc/passwd", "papers/../../x.md", "papers/./../x.md", "CON", "papers/aux.md", "x/NUL.xml",
    "a\\b.md", "", ".", "papers/a.", "papers/.hidden.md", "p" * 121 + ".md", "papers/ä.md", "papers/a b.md",
)  # fmt: skip


def test_the_writer_refuses_every_unsafe_path(tmp_path: Path) -> None:
    """The one writer refuses paths that leave its folder, reserved and hidden names, names too
    long for common filesystems (writing nothing), and two names that differ only in case."""
    for path in UNSAFE_PATHS:
        with pytest.raises(OutputError):
            write_tree(tmp_path, [(path, "x")])
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(OutputError, match="differ only in case"):
        write_tree(tmp_path, [("papers/Ab.md", "x"), ("papers/aB.md", "y")])
