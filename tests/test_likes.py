"""Likes files: every way of naming a paper, BibTeX exports, matching and its reports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paperfeed.errors import LikesError, PaperfeedError
from paperfeed.likes import Like, LikeSet, arxiv_id_of, is_bibtex, load_likes, match_likes, read_likes_file
from paperfeed.paper_ids import paper_id_from_title
from records import record

LIKES = Path(__file__).resolve().parent / "fixtures" / "likes"


@pytest.mark.parametrize(
    "text",
    [
        "2401.01234",
        "2401.01234v3",
        "arXiv:2401.01234",
        "ARXIV:2401.01234v2",
        "https://arxiv.org/abs/2401.01234",
        "http://arxiv.org/abs/2401.01234v2?context=cs.LG",
        "https://www.arxiv.org/pdf/2401.01234v1",
        "https://arxiv.org/pdf/2401.01234v1.pdf",
        "arxiv.org/abs/2401.01234",
        "https://export.arxiv.org/abs/2401.01234",
        "https://arxiv.org/html/2401.01234v2",
        "https://huggingface.co/papers/2401.01234",
        "https://huggingface.co/papers/2401.01234#community",
        "huggingface.co/papers/2401.01234/",
        "https://hf.co/papers/2401.01234",
        "https://doi.org/10.48550/arXiv.2401.01234",
        "10.48550/ARXIV.2401.01234",
    ],
)
def test_every_way_of_naming_an_arxiv_paper(text: str) -> None:
    assert arxiv_id_of(text) == "2401.01234"


def test_old_style_ids_and_things_that_are_not_ids() -> None:
    assert arxiv_id_of("http://arxiv.org/abs/hep-th/9901001v2") == "hep-th/9901001"
    assert arxiv_id_of("https://huggingface.co/papers/hep-th/9901001") == "hep-th/9901001"
    for text in ("Dual PatchNorm", "https://openreview.net/forum?id=abc", "2401.012", "https://arxiv.org/list/cs.LG"):
        assert arxiv_id_of(text) is None


def test_text_file_lines_comments_and_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "likes.txt"
    path.write_text(
        "# papers I liked\n"
        "\n"
        "2401.01234  # the first one\n"
        "https://huggingface.co/papers/2402.00002#community\n"
        "   Dual   PatchNorm   \n"
        "C# for Scientific Computing\n"
        "https://openreview.net/forum?id=abc\n"
        "a-slug-of-a-page-1a2b3c4d\r\n"
        "\tStreaming  Speech Translation # why not\n",
        "utf-8",
    )
    likes, notes = read_likes_file(path)
    where = [like.where.rsplit(":", 1)[1] for like in likes]
    assert where == ["3", "4", "5", "6", "8", "9"]
    assert [like.arxiv_id for like in likes[:2]] == ["2401.01234", "2402.00002"]
    assert likes[2].text == "Dual PatchNorm"
    assert likes[2].title_key == "dual patchnorm"
    assert likes[2].page_id is None  # spaces: not a page id
    assert likes[3].title_key == "c for scientific computing"  # "#" inside a title is not a comment
    assert likes[4].page_id == "a-slug-of-a-page-1a2b3c4d"
    assert likes[5].text == "Streaming Speech Translation"
    assert notes == (
        f"{path}:7: 'https://openreview.net/forum?id=abc' is not an arXiv or Hugging Face paper link; "
        "write the paper's arXiv id or exact title instead",
    )


def test_zotero_export() -> None:
    likes, notes = read_likes_file(LIKES / "zotero.bib")
    assert notes == ()
    assert [(like.where.rsplit(":", 1)[1], like.arxiv_id, like.title_key) for like in likes] == [
        ("2", "1706.03762", "attention is all you need"),
        ("16", None, "deep residual learning for image recognition"),  # a DOI that is not arXiv's
        ("31", None, "toward causal representation learning"),
    ]
    assert likes[0].text == "Attention Is All You Need"  # braces gone from what reports show


def test_better_bibtex_export() -> None:
    likes, notes = read_likes_file(LIKES / "better-bibtex.bib")
    assert notes == ()
    assert [like.arxiv_id for like in likes] == ["2010.11929", "2103.00020", "hep-th/9905111", None]
    assert likes[0].title_key == "an image is worth 16x16 words transformers for image recognition at scale"
    assert likes[3].title_key == "a paper deposited elsewhere"  # a HAL eprint is not an arXiv id


def test_scholar_and_arxiv_exports_and_broken_entries() -> None:
    path = LIKES / "scholar-and-arxiv.bib"
    likes, notes = read_likes_file(path)
    assert [like.arxiv_id for like in likes] == ["2006.11239", "2212.04356"]
    assert notes == (
        f"{path}:19: not a complete BibTeX entry; it is skipped",
        f"{path}:22: the entry 'nothing' has no arXiv id and no title; it is skipped",
    )


def test_bibtex_parsing_is_quiet(capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    read_likes_file(LIKES / "scholar-and-arxiv.bib")
    assert capsys.readouterr() == ("", "")
    assert not [r for r in caplog.records if r.name.startswith("bibtexparser")]


def test_bibtex_is_detected_by_content_too(tmp_path: Path) -> None:
    path = tmp_path / "exported.txt"
    shutil.copy(LIKES / "zotero.bib", path)
    assert is_bibtex(path, path.read_text("utf-8"))
    assert [like.arxiv_id for like in read_likes_file(path)[0]][:1] == ["1706.03762"]
    plain = tmp_path / "likes.txt"
    plain.write_text("# a comment\n@someone's favourite paper\n", "utf-8")
    assert not is_bibtex(plain, plain.read_text("utf-8"))
    assert read_likes_file(plain)[0][0].text == "@someone's favourite paper"


def test_unreadable_files_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(LikesError, match=r"likes\.txt: cannot read the likes file: No such file"):
        read_likes_file(tmp_path / "likes.txt")
    bad = tmp_path / "bad.txt"
    bad.write_bytes("2401.01234\nTitle one\nCaf\xe9 ".encode("latin-1"))
    with pytest.raises(PaperfeedError) as caught:
        read_likes_file(bad)
    assert str(caught.value) == f"{bad}:3: not UTF-8 text (byte 24); save the file as UTF-8"
    assert "\n" not in str(caught.value)


def _archive() -> list:  # type: ignore[type-arg]
    return [
        record("2401.01234", "Streaming Speech Translation", arxiv_id="2401.01234"),
        record("2402.00002", "Dual PatchNorm", arxiv_id="2402.00002"),
        record(paper_id_from_title("Continual Learning in Neural Networks"), "Continual Learning in Neural Networks"),
        record("hep-th-9905111", "Large N Field Theories", arxiv_id="hep-th/9905111"),
    ]


def test_matching_by_id_title_and_page_id_with_reports(tmp_path: Path) -> None:
    likes = tmp_path / "likes.txt"
    page_id = paper_id_from_title("Continual Learning in Neural Networks")
    likes.write_text(
        "arXiv:2401.01234v2\n"
        "dual   patchnorm\n"  # title keys ignore case and spacing
        f"{page_id}\n"
        "A Paper Still To Come\n"
        "https://arxiv.org/abs/2501.99999\n",
        "utf-8",
    )
    dislikes = tmp_path / "dislikes.txt"
    dislikes.write_text("hep-th/9905111\n2402.00002\n2502.00001\n", "utf-8")
    before = (likes.read_bytes(), likes.stat().st_mtime_ns)
    matched = match_likes(load_likes(likes, dislikes), _archive())
    assert matched.liked == ("2401.01234", "2402.00002", page_id)
    assert matched.disliked == ("hep-th-9905111",)  # 2402.00002 is liked too: it counts as liked
    assert matched.reports == (
        f"{likes}:4: no paper in the archive matches 'A Paper Still To Come'; it is kept for when that paper arrives",
        f"{likes}:5: no paper in the archive matches 'https://arxiv.org/abs/2501.99999'; "
        "it is kept for when that paper arrives",
        f"{dislikes}:3: no paper in the archive matches '2502.00001'; it is kept for when that paper arrives",
        f"{dislikes}:2: '2402.00002' is also liked; it counts as liked",
    )
    assert (likes.read_bytes(), likes.stat().st_mtime_ns) == before  # never rewritten


def test_a_line_kept_for_later_matches_once_the_paper_arrives() -> None:
    like_set = LikeSet((Like("likes.txt:1", "A Paper Still To Come", title_key="a paper still to come"),))
    assert match_likes(like_set, _archive()).liked == ()
    arrived = [*_archive(), record("2503.00001", "A Paper Still to Come!", arxiv_id="2503.00001")]
    matched = match_likes(like_set, arrived)
    assert matched.liked == ("2503.00001",)
    assert matched.reports == ()


def test_bibtex_entries_match_by_arxiv_id_or_title() -> None:
    resnet = paper_id_from_title("Deep Residual Learning for Image Recognition")
    archive = [
        record("1706.03762", "Attention is all you need", arxiv_id="1706.03762"),
        record(resnet, "Deep residual learning for image recognition"),
    ]
    matched = match_likes(load_likes(LIKES / "zotero.bib"), archive)
    assert matched.liked == ("1706.03762", resnet)
    assert matched.reports == (
        f"{LIKES / 'zotero.bib'}:31: no paper in the archive matches 'Toward Causal Representation Learning'; "
        "it is kept for when that paper arrives",
    )
