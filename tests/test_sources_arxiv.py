"""arXiv payloads: the API's Atom feed and the announcement RSS.

Hand-written fixtures under tests/fixtures/sources/ cover the hostile cases; real captured
payloads under tests/fixtures/captured/arxiv/ are checked against values read off the files by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from harness import CAPTURED, FIXTURES, fixture_settings
from paperfeed.config import ListingConfig
from paperfeed.errors import SourceError
from paperfeed.ingest import read_listing
from paperfeed.sources import arxiv_api, arxiv_rss

NOW = datetime(2026, 11, 27, 6, 17, tzinfo=UTC)

SOURCES = FIXTURES / "sources"


def _read(relative: str) -> tuple[bytes, str]:
    path = SOURCES / relative
    return path.read_bytes(), str(path)


# -- the API ---------------------------------------------------------------------------------


def test_api_entries() -> None:
    papers, skipped = arxiv_api.parse_counted(*_read("arxiv-api/query.xml"))
    assert skipped == 1  # the entry whose id is not an arXiv id
    assert [p.arxiv_id for p in papers] == ["hep-th/9901001", "2606.00010", "2606.00011"]
    old = papers[0]
    assert old.title == "An Old-Style Identifier & a Wrapped Title"
    assert old.abstract == "Strings with $\\alpha'$ corrections and a wrapped abstract."
    assert old.authors == ("Edward Witten", "Second Author")
    assert old.published == date(1999, 1, 4)
    assert old.tags == ("hep-th", "gr-qc")  # the primary category first
    assert old.links == (("doi", "https://doi.org/10.1016/S0550-3213(99)00001-X"),)
    assert old.listed is None
    assert papers[1].published == date(2026, 6, 11)  # the UTC day, not shifted
    odd = papers[2]
    assert (odd.published, odd.abstract, odd.authors, odd.tags, odd.links) == (None, "", (), (), ())


def test_api_no_results_is_an_empty_list() -> None:
    data, origin = _read("arxiv-api/no-results.xml")
    assert arxiv_api.detect(data)
    assert arxiv_api.parse_counted(data, origin) == ([], 0)


def test_api_error_feed_is_an_error() -> None:
    data, origin = _read("arxiv-api/error.xml")
    assert arxiv_api.detect(data)
    with pytest.raises(SourceError) as caught:
        arxiv_api.parse(data, origin)
    assert str(caught.value) == (
        f"{origin}: the arXiv API answered with an error: incorrect id format for 1234.12345; fix the listing's query"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("arxiv-truncated.xml", "is not well-formed XML"),
        ("arxiv-entities.xml", "carries a DOCTYPE, which paperfeed refuses"),
        ("arxiv-rss-no-channel.xml", "format drifted: the arXiv API response should be an Atom feed"),
    ],
)
def test_api_drift_and_hostile_xml(name: str, message: str) -> None:
    data, origin = _read(f"drifted/{name}")
    with pytest.raises(SourceError, match=message) as caught:
        arxiv_api.parse(data, origin)
    assert "\n" not in str(caught.value)


def test_api_entries_without_ids_are_drift() -> None:
    data = b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>urn:x</id><title>T</title></entry></feed>'
    with pytest.raises(SourceError, match="none of the 1 entries has an arXiv id"):
        arxiv_api.parse(data, "x")


def test_real_api_response() -> None:
    path = CAPTURED / "arxiv" / "api_query_transformer_cs.LG_2026-06-14.atom.xml"
    papers, skipped = arxiv_api.parse_counted(path.read_bytes(), str(path))
    assert skipped == 0
    assert [p.arxiv_id for p in papers] == ["2606.13677", "2606.13591", "2606.13568", "2606.13515", "2606.13501"]
    mana = papers[0]
    assert mana.title == "Mana: Dexterous Manipulation of Articulated Tools"
    assert mana.authors == ("Zhao-Heng Yin", "Guanya Shi", "Pieter Abbeel", "C. Karen Liu")
    assert mana.published == date(2026, 6, 11)
    assert mana.tags == ("cs.RO", "cs.AI", "cs.CV", "cs.LG")
    assert "(<1 minute per tool)" in mana.abstract  # &lt; decoded
    assert papers[2].tags == ("cs.LG", "math-ph")
    assert papers[3].tags[0] == "cs.CV"  # primary category, listed after cs.LG in the entry
    assert papers[4].title == "GF-DiT: Scheduling Parallelism for Diffusion Transformer Serving"
    assert len(papers[4].authors) == 9
    assert all(p.links == () for p in papers)  # no DOI in this response


# -- the RSS ---------------------------------------------------------------------------------


def test_rss_keeps_new_and_cross_skips_replacements() -> None:
    papers, skipped = arxiv_rss.parse_counted(*_read("arxiv-rss/mixed.xml"))
    assert skipped == 2  # replace and replace-cross
    assert [p.arxiv_id for p in papers] == ["2611.00001", "hep-th/9901001", "2611.00005"]
    new = papers[0]
    assert new.title == "A New Paper"
    assert new.abstract == "The first line of the abstract, and its second line."
    assert new.authors == ("Ann One", "Bob Two", "Cy Three")
    assert new.listed == date(2026, 11, 10)  # the announcement day in arXiv's own zone
    assert new.published is None
    assert new.tags == ("cs.LG", "stat.ML")
    cross = papers[1]
    assert cross.links == (("doi", "https://doi.org/10.1000/xyz123"),)  # arxiv:DOI, upper case
    assert cross.tags == ("hep-th", "cs.LG")
    plain = papers[2]
    assert (plain.abstract, plain.authors, plain.listed) == ("Just an abstract.", (), None)


def test_rss_weekend_is_an_empty_list() -> None:
    data, origin = _read("arxiv-rss/weekend.xml")
    assert arxiv_rss.detect(data)
    assert arxiv_rss.parse_counted(data, origin) == ([], 0)


def test_rss_only_replacements_is_a_quiet_day() -> None:
    data = (
        b'<rss xmlns:arxiv="http://arxiv.org/schemas/atom" version="2.0"><channel><item>'
        b"<title>Old</title><guid>oai:arXiv.org:2001.00001v3</guid>"
        b"<arxiv:announce_type>replace</arxiv:announce_type></item></channel></rss>"
    )
    assert arxiv_rss.parse_counted(data, "x") == ([], 1)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("arxiv-rss-no-channel.xml", "format drifted: the arXiv RSS feed should be RSS with a <channel>"),
        ("arxiv-rss-no-ids.xml", "format drifted: none of the 2 items has an arXiv id"),
        ("arxiv-entities.xml", "carries a DOCTYPE"),
        ("not-json.html", "should be RSS with a <channel> but its root is <html>"),
    ],
)
def test_rss_drift_and_hostile_xml(name: str, message: str) -> None:
    data, origin = _read(f"drifted/{name}")
    with pytest.raises(SourceError, match=message):
        arxiv_rss.parse(data, origin)


def test_real_rss_single_category() -> None:
    path = CAPTURED / "arxiv" / "rss_cs.AI_2026-04-27.xml"
    papers, skipped = arxiv_rss.parse_counted(path.read_bytes(), str(path))
    assert skipped == 0
    assert [p.arxiv_id for p in papers] == ["2604.21935", "2604.21936", "2604.21937"]
    assert papers[0].title == "Math Takes Two: A test for emergent mathematical reasoning in communication"
    assert papers[0].authors == ("Michael Cooper", "Samuel Cooper")
    assert papers[0].abstract.startswith("Although language models demonstrate remarkable proficiency")
    assert papers[1].tags == ("cs.AI", "cs.CV", "cs.MA")
    assert len(papers[1].authors) == 18
    assert all(p.listed == date(2026, 4, 27) for p in papers)


def test_real_rss_multi_category_with_cross_and_replace() -> None:
    path = CAPTURED / "arxiv" / "rss_multi_cs.LG-cs.AI-cs.CL-stat.ML_2026-09-24.xml"
    papers, skipped = arxiv_rss.parse_counted(path.read_bytes(), str(path))
    assert skipped == 1  # 2009.13987, announce type replace
    assert [p.arxiv_id for p in papers] == ["2609.26811", "2609.26820", "2205.06398"]
    assert papers[0].title == "The Drift Contract: Spectral Updates for Depth-Robust Local Learning"
    assert papers[0].authors == ("Fabien Polly",)
    assert papers[0].abstract.startswith("Local learning trains each layer")
    cross = papers[2]
    assert cross.title == "Outlier Detection for Multi-Network Data"
    assert cross.authors == ("Pritam Dey", "Zhengwu Zhang", "David B. Dunson")
    assert cross.tags == ("stat.ME", "stat.AP", "stat.ML")
    assert cross.links == (("doi", "https://doi.org/10.1093/bioinformatics/btac431"),)
    assert all(p.listed == date(2026, 9, 24) for p in papers)


def test_include_selects_papers_by_a_word_of_their_comment() -> None:
    """`include: [neurips]` on the arXiv API fixture keeps the one paper whose comment says so."""
    query = FIXTURES / "sources" / "arxiv-api" / "query.xml"
    listing = ListingConfig(name="accepted", source="text", url=str(query), include=("neurips",))
    read = read_listing(listing, fixture_settings(), NOW)
    assert [paper.comment for paper in read.papers] == ["Accepted at NeurIPS 2026; 22 pages, 5 figures"]


@pytest.mark.parametrize("parse", [arxiv_api.parse_counted, arxiv_rss.parse_counted])
def test_an_unknown_encoding_is_a_one_line_source_error(parse) -> None:
    """A damaged declaration (found by the property tests: "UTA-8") is bad input, not a bug."""
    with pytest.raises(SourceError, match="unknown encoding: UTA-8"):
        parse(b'<?xml version="1.0" encoding="UTA-8"?><feed xmlns="http://www.w3.org/2005/Atom"/>', "feed.xml")
