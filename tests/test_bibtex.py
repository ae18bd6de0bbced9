"""BibTeX entries: arXiv's shape, stable unique keys, and text that cannot break out of an entry.

Every entry is read back by bibtexparser, a BibTeX parser in wide use, so "valid" means what a
reference manager would make of it, not what our own writer believes.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date, timedelta

import bibtexparser
from hypothesis import given
from hypothesis import strategies as st

from harness import fixture_settings
from paperfeed import bibtex
from paperfeed.feed_identity import Identity
from paperfeed.render import render_site
from records import T0, record

PAGE = "https://example.org/papers/x/"


def parse_one(text: str) -> dict[str, str]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    assert len(library.entries) == 1
    found = library.entries[0]
    return {"ENTRYTYPE": found.entry_type, "ID": found.key, **{f.key: f.value for f in found.fields}}


def test_an_arxiv_paper_gets_arxivs_own_shape() -> None:
    paper = record(
        "2411.01234",
        "Attention Is All You Need",
        authors=("Ashish Vaswani", "Noam Shazeer"),
        arxiv_id="2411.01234",
        published=date(2024, 11, 2),
        tags=("language models", "cs.CL", "cs.LG"),
    )
    key = bibtex.citation_keys([paper])[paper.id]
    assert key == "vaswani2024attention"
    fields = parse_one(bibtex.entry(paper, key, PAGE))
    assert fields == {
        "ENTRYTYPE": "misc",
        "ID": "vaswani2024attention",
        "title": "Attention Is All You Need",
        "author": "Ashish Vaswani and Noam Shazeer",
        "year": "2024",
        "eprint": "2411.01234",
        "archivePrefix": "arXiv",
        "primaryClass": "cs.CL",
        "url": "https://arxiv.org/abs/2411.01234",
        "doi": "10.48550/arXiv.2411.01234",
    }


def test_a_paper_known_by_title_links_to_its_page_here() -> None:
    paper = record("a-title-1234abcd", "On the Shape of $\\mathcal{O}(n)$ Things", authors=("Jürgen Müller",))
    fields = parse_one(bibtex.entry(paper, "k", PAGE))
    assert fields["url"] == PAGE
    assert fields["title"] == "On the Shape of $\\mathcal{O}(n)$ Things"  # TeX kept
    assert "eprint" not in fields and "doi" not in fields
    assert bibtex.base_key(paper) == f"muller{T0.year}shape"


def test_keys_are_unique_and_a_later_namesake_never_renames_an_earlier_one() -> None:
    first = record("2401.00001", "Learning Things", authors=("Li Wang",), published=date(2026, 1, 5))
    second = record("2401.00002", "Learning Other Things", authors=("Wei Wang",), published=date(2026, 1, 6))
    second = replace(second, first_seen=T0 + timedelta(days=1))
    third = replace(
        record("2401.00003", "Learning More", authors=("Y. Wang",), published=date(2026, 1, 7)),
        first_seen=T0 + timedelta(days=2),
    )
    before = bibtex.citation_keys([first, second])
    after = bibtex.citation_keys([third, second, first])
    assert before == {"2401.00001": "wang2026learning", "2401.00002": "wang2026learninga"}
    assert after == {**before, "2401.00003": "wang2026learningb"}


def test_suffixes_go_on_past_z() -> None:
    assert [bibtex._suffix(i) for i in (0, 1, 26, 27, 28)] == ["", "a", "z", "aa", "ab"]


@given(st.text(max_size=60))
def test_a_field_value_has_every_brace_paired_and_none_escaped(text: str) -> None:
    value = bibtex.field_value(text)
    assert "\\{" not in value and "\\}" not in value and not value.endswith("\\")
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


# Text as hostile sources or hand edits may hold it: braces, entry syntax, TeX and "and".
pieces = st.sampled_from([*'ab Z{}@,=\\"%#~$^_é', " and ", "}, author = {x", "@misc{evil,", "\\}"])
hostile = st.lists(pieces, min_size=1, max_size=12).map("".join).map(lambda text: text if text.strip() else "t")


@given(
    title=hostile,
    authors=st.lists(hostile, max_size=3),
    arxiv_id=st.sampled_from((None, "2401.01234", "hep-th/9901001")),
    tags=st.lists(st.sampled_from(("cs.LG", "math.AG", "hep-th", "transformers", "cs.")), max_size=2),
)
def test_any_text_gives_one_entry_a_parser_reads_back(
    title: str, authors: list[str], arxiv_id: str | None, tags: list[str]
) -> None:
    paper = record("x", title, authors=tuple(authors), arxiv_id=arxiv_id, tags=tuple(tags))
    key = bibtex.citation_keys([paper])["x"]
    fields = parse_one(bibtex.entry(paper, key, PAGE))
    assert fields["ID"] == key and key.isascii() and key.isalnum()
    assert fields["title"] == bibtex.field_value(title)
    assert fields.get("eprint") == arxiv_id
    assert set(fields) <= {"ENTRYTYPE", "ID", "title", "author", "year", "eprint", "archivePrefix"} | {
        "primaryClass",
        "url",
        "doi",
    }
    if authors:
        assert fields["author"].count(" and ") >= len(authors) - 1


def test_a_paper_page_shows_bibtex_a_parser_reads_back_and_a_day_page_links_its_papers_bib() -> None:
    """Through the real render: the page's entry reads back with the right eprint and DOI; each
    day page links a .bib holding exactly the papers it shows."""
    first = record("2411.01234", "Attention Again", arxiv_id="2411.01234", authors=("Ada Lovelace",))
    second = record("2411.05678", "Attention Elsewhere", arxiv_id="2411.05678", authors=("Alan Turing",))
    later = replace(record("2411.09999", "Another Day", arxiv_id="2411.09999"), first_seen=T0 + timedelta(days=1))
    archive = {item.id: item for item in (first, second, later)}
    files = render_site(archive, fixture_settings(), Identity("example.org", "2026-11-01"))
    page = files["papers/2411.01234.md"]
    block = re.search(r'<pre class="pf-bibtex"><code>(.*?)</code></pre>', page, re.S)
    assert block is not None
    fields = parse_one(html.unescape(block.group(1)))
    assert fields["eprint"] == "2411.01234" and fields["doi"] == "10.48550/arXiv.2411.01234"
    day = T0.date().isoformat()
    assert f'href="../{day}.bib"' in files[f"days/{day}.md"]
    library = bibtexparser.parse_string(files[f"days/{day}.bib"])
    assert sorted(entry.fields_dict["eprint"].value for entry in library.entries) == ["2411.01234", "2411.05678"]


def test_venue_and_comments_show_on_the_page() -> None:
    paper = record(
        "2411.01234", "Accepted Work", arxiv_id="2411.01234",
        comment="Accepted at NeurIPS 2026; 22 pages", journal_ref="Advances in NeurIPS 39 (2026)",
    )  # fmt: skip
    page = render_site({paper.id: paper}, fixture_settings(), Identity("example.org", "2026-11-01"))[
        "papers/2411.01234.md"
    ]
    assert "<dt>Comments</dt><dd>Accepted at NeurIPS 2026; 22 pages</dd>" in page
    assert "<dt>Published in</dt><dd>Advances in NeurIPS 39 (2026)</dd>" in page
