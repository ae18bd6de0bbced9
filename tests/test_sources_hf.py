"""Hugging Face payloads: the Daily Papers API, the Papers page and the search API.

Hand-written fixtures under tests/fixtures/sources/ cover the hostile cases; trimmed real
payloads under tests/fixtures/captured/hf/ are checked against values read off the files by hand.
"""

from __future__ import annotations

from datetime import date

import pytest

from harness import CAPTURED, FIXTURES
from paperfeed.errors import SourceError
from paperfeed.sources import hf_api, hf_html, hf_search

SOURCES = FIXTURES / "sources"


def _read(relative: str) -> tuple[bytes, str]:
    path = SOURCES / relative
    return path.read_bytes(), str(path)


# -- the Daily Papers API --------------------------------------------------------------------


def test_hostile_entries_are_read_defensively() -> None:
    papers, skipped = hf_api.parse_counted(*_read("hf-api/hostile.json"))
    # withdrawn, no id and no title, and a stray string: skipped and counted
    assert skipped == 3
    assert [p.arxiv_id for p in papers] == ["2606.00001", "2606.00002", None, "hep-th/9901001"]

    first = papers[0]
    assert first.title == "Hard Wrapped Paper Title From arXiv"
    assert first.abstract == "An abstract that arXiv also wrapped, with $\\alpha$ kept as TeX."
    assert first.authors == ("Ada Lovelace", "Émilie du Châtelet")  # hidden and malformed left out
    assert first.published == date(2026, 6, 10)  # paper.publishedAt, not the entry's
    assert first.listed == date(2026, 6, 12)
    assert first.upvotes == 17
    assert first.links == (("code", "https://github.com/example/hard-wrapped"),)  # no javascript:
    assert first.tags == ("transformers", "diffusion")
    assert first.summary == "A one-line summary."


def test_wrong_types_count_as_missing() -> None:
    papers = hf_api.parse(*_read("hf-api/hostile.json"))
    second = papers[1]
    assert second.title == "Only The Paper Title Is Given"  # entry title 12 is not text
    assert second.abstract == "The entry-level summary stands in for a missing paper summary."
    assert second.authors == ()
    assert second.published is None
    assert second.listed is None
    assert second.upvotes is None  # true is not a number of upvotes
    assert second.links == (("project", "https://example.org/project"),)
    assert second.tags == ()
    assert second.summary == ""
    assert papers[2].title == "A Paper Known Only By Its Title"
    assert papers[2].upvotes is None  # negative counts are nonsense


def test_an_empty_day_is_an_empty_list() -> None:
    assert hf_api.parse_counted(*_read("hf-api/empty-day.json")) == ([], 0)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("hf-api-error.json", "is an error: 'Invalid date: 2026-02-30'"),
        ("hf-api-object.json", "format drifted: the Hugging Face Daily Papers API response should be a JSON list"),
        ("hf-api-no-titles.json", "format drifted: none of the 2 entries has a title"),
        ("not-json.html", "is not valid JSON"),
    ],
)
def test_drifted_payloads_are_one_line_errors(name: str, message: str) -> None:
    data, origin = _read(f"drifted/{name}")
    with pytest.raises(SourceError) as caught:
        hf_api.parse(data, origin)
    text = str(caught.value)
    assert text.startswith(origin)
    assert message in text
    assert "\n" not in text


def test_bytes_that_are_not_utf8_are_an_error_not_a_traceback() -> None:
    with pytest.raises(SourceError, match="not UTF-8 JSON"):
        hf_api.parse(b'["\xff\xfe\xfa"]', "x")


def test_only_withdrawn_papers_is_a_quiet_day() -> None:
    data = b'[{"paper": {"id": "2601.00001", "title": "Gone", "withdrawnAt": "2026-01-02"}}]'
    assert hf_api.parse_counted(data, "x") == ([], 1)


def test_real_daily_papers_response() -> None:
    path = CAPTURED / "hf" / "daily_papers_api_2026-06-12.json"
    papers, skipped = hf_api.parse_counted(path.read_bytes(), str(path))
    assert (len(papers), skipped) == (5, 0)
    assert all(p.listed == date(2026, 6, 12) for p in papers)
    first = papers[0]
    assert first.arxiv_id == "2606.00467"
    assert first.title == (
        "On the Limits of LLM Adaptability: Impact of Model-Internalized Priors on Annotation Task Performance"
    )
    assert first.authors == ("Etienne Casanova", "Rafal Kocielnik", "R. Michael Alvarez")
    assert first.published == date(2026, 5, 30)
    assert first.upvotes == 0
    assert first.links == ()
    assert first.tags[:2] == ("zero-shot annotation", "LLM-as-a-judge")
    assert first.summary.startswith("Large language models exhibit limited ability")
    by_id = {p.arxiv_id: p for p in papers}
    # one hidden author of ten (Dengyang Jiang) is left out
    hidden = by_id["2606.12575"]
    assert len(hidden.authors) == 9
    assert "Dengyang Jiang" not in hidden.authors
    msa = by_id["2606.13392"]
    assert (msa.title, msa.upvotes) == ("MiniMax Sparse Attention", 103)
    assert msa.links == (("code", "https://github.com/MiniMax-AI/MSA"),)
    both = by_id["2606.10423"]
    assert dict(both.links) == {
        "code": "https://github.com/jayoohwang1/webchallenger",
        "project": "https://jayoohwang1.github.io/webchallenger-site/",
    }
    assert papers[-1].arxiv_id == "2606.13106"


def test_real_response_without_ai_fields() -> None:
    path = CAPTURED / "hf" / "daily_papers_api_2026-07-31.json"
    papers = hf_api.parse(path.read_bytes(), str(path))
    assert [p.arxiv_id for p in papers] == ["2607.23193", "2607.27958", "2607.28582", "2607.16922"]
    assert papers[1].title == "Σ-Mem: An Online Reliability Memory for LLM-based Multi-Agent Systems"
    assert papers[2].title == "β-OPSD: Deriving with Policy Optimization, Training with Self-Distillation"
    assert papers[1].authors == ("Peilin Feng", "Suorong Yang", "Soujanya Poria")
    assert papers[2].links == (("project", "https://umd-huang-lab.github.io/beta-opsd/"),)
    assert (papers[0].published, papers[0].listed) == (date(2026, 7, 28), date(2026, 7, 31))
    assert [p.upvotes for p in papers] == [3, 11, 17, 0]
    assert all(p.tags == () and p.summary == "" for p in papers)


# -- the Papers page ---------------------------------------------------------------------------


def test_page_props_are_unescaped_and_read() -> None:
    papers, skipped = hf_html.parse_counted(*_read("hf-html/daily.html"))
    assert skipped == 0
    assert [p.title for p in papers] == ["Tables & <Chairs>: A Study", "Second Paper"]
    assert papers[0].abstract == 'An abstract with "quotes" & ampersands.'
    assert papers[0].authors == ("Ann Author",)
    # no submittedOnDailyAt: the page's own date stands in; an entry's own date wins
    assert papers[0].listed == date(2024, 8, 1)
    assert papers[1].listed == date(2024, 7, 31)


def test_other_targets_with_a_papers_list_are_accepted() -> None:
    papers = hf_html.parse(*_read("hf-html/trending.html"))
    assert [(p.arxiv_id, p.upvotes) for p in papers] == [("2501.00009", 250)]


def test_an_empty_page_is_an_empty_list() -> None:
    assert hf_html.parse_counted(*_read("hf-html/empty-day.html")) == ([], 0)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("hf-page-no-props.html", "format drifted: no DailyPapers data-props"),
        ("hf-page-bad-props.html", "format drifted: the DailyPapers data-props is not a JSON object"),
    ],
)
def test_a_page_without_props_has_drifted(name: str, message: str) -> None:
    data, origin = _read(f"drifted/{name}")
    with pytest.raises(SourceError, match=message):
        hf_html.parse(data, origin)


def test_real_papers_page() -> None:
    path = CAPTURED / "hf" / "papers_page_2024-08-01.html"
    papers, skipped = hf_html.parse_counted(path.read_bytes(), str(path))
    assert (len(papers), skipped) == (4, 0)  # as many as the page shows <article> cards
    assert papers[0].arxiv_id == "2407.21705"
    assert papers[0].title == "Tora: Trajectory-oriented Diffusion Transformer for Video Generation"
    assert (papers[0].upvotes, papers[0].published) == (24, date(2024, 7, 31))
    assert all(p.listed == date(2024, 8, 1) for p in papers)  # the page's date
    # paper.title is hard-wrapped; the entry's title is not
    assert papers[1].title == "MoMa: Efficient Early-Fusion Pre-training with Mixture of Modality-Aware Experts"
    humanoid = next(p for p in papers if p.arxiv_id == "2407.21781")
    # Xuanyu Huang, third in the list, is hidden
    assert humanoid.authors == ("Qiayuan Liao", "Bike Zhang", "Xiaoyu Huang", "Zhongyu Li", "Koushil Sreenath")
    assert papers[-1].arxiv_id == "2404.01300"
    assert papers[-1].published == date(2024, 4, 1)


# -- the search API ----------------------------------------------------------------------------


def test_search_results_nested_and_flat() -> None:
    papers, skipped = hf_search.parse_counted(*_read("hf-search/search.json"))
    assert skipped == 0
    assert [p.arxiv_id for p in papers] == ["2601.01234", "2602.05678"]
    assert papers[0].title == "Compilers for Everyone"
    assert papers[1].authors == ("Alan Turing",)
    assert papers[1].links == (("code", "https://github.com/example/flat"),)
    assert papers[1].published == date(2026, 2, 9)
    assert papers[1].upvotes == 0


def test_search_detects_flat_results() -> None:
    data, _ = _read("hf-search/flat.json")
    assert hf_search.detect(data)
    assert not hf_api.detect(data)
    assert [p.title for p in hf_search.parse(data, "x")] == ["Flat First"]


def test_search_with_no_results() -> None:
    assert hf_search.parse_counted(b"[]", "x") == ([], 0)
