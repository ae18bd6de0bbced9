"""The plain-text listing parser: the (trimmed) seed listing, the page chrome, and broken files."""

from __future__ import annotations

import pytest

from harness import CAPTURED, FIXTURES, SAMPLE_LISTING
from paperfeed.errors import ListingError
from paperfeed.sources import detect_format, parse_listing
from paperfeed.sources.plaintext import parse

ABSTRACT = "An abstract long enough to pass for one: it says what was done, how, and with what result."


def test_seed_listing_has_its_papers_in_order() -> None:
    path = CAPTURED / "listings" / "seed-listing.txt"
    papers = parse(path.read_bytes(), str(path))
    assert len(papers) == 12
    # The first title is glued to the page's "Subscribe" button; the last line has no newline.
    assert papers[0].title == "MeDSLIP: Medical Dual-Stream Language-Image Pre-training for Fine-grained Alignment"
    assert papers[1].title == (
        "Joint rotational invariance and adversarial training of a dual-stream Transformer yields "
        "state of the art Brain-Score for Area V4"
    )
    assert papers[-1].title == "High-Fidelity Simultaneous Speech-To-Speech Translation"
    lines = path.read_text("utf-8").splitlines()
    # Each abstract is the whole line that follows its title, nothing cut.
    assert papers[0].abstract == lines[3].strip()
    assert papers[-1].abstract == lines[-1].strip()
    assert all(len(p.abstract) > 400 for p in papers)
    assert len({p.title for p in papers}) == 12


def test_chrome_lines_and_glued_subscribe_are_dropped() -> None:
    text = f"Get trending papers in your email inbox once a day!\nSubscribeGraph Title\n{ABSTRACT}\n"
    [paper] = parse(text.encode(), "x.txt")
    assert paper.title == "Graph Title"
    assert paper.abstract == ABSTRACT


def test_a_listing_without_chrome_parses_too() -> None:
    text = f"First Title\n{ABSTRACT}\n\nSecond Title\n{ABSTRACT} More.\n"
    papers = parse(text.encode(), "x.txt")
    assert [p.title for p in papers] == ["First Title", "Second Title"]


def test_a_title_that_merely_starts_with_subscribe_later_is_kept() -> None:
    text = f"Title One\n{ABSTRACT}\nSubscribers and Their Feeds\n{ABSTRACT}\n"
    assert parse(text.encode(), "x.txt")[1].title == "Subscribers and Their Feeds"


def test_missing_abstract_is_an_error_naming_the_line() -> None:
    path = FIXTURES / "listings" / "misaligned.txt"
    with pytest.raises(ListingError) as caught:
        parse(path.read_bytes(), str(path))
    message = str(caught.value)
    assert f"{path}:5:" in message  # the third title sits where the second abstract belongs
    assert "\n" not in message


def test_last_title_without_abstract_is_an_error_naming_the_line() -> None:
    text = f"Title One\n{ABSTRACT}\nDangling Title\n"
    with pytest.raises(ListingError, match=r"x\.txt:3: title 'Dangling Title' has no abstract"):
        parse(text.encode(), "x.txt")


def test_abstract_in_a_title_slot_is_an_error() -> None:
    text = "Title One\n" + ABSTRACT + "\n" + ("word " * 100) + "\n" + ABSTRACT + "\n"
    with pytest.raises(ListingError, match=r"x\.txt:3: expected a title"):
        parse(text.encode(), "x.txt")


def test_not_utf8_is_an_error_naming_the_line() -> None:
    data = f"Title One\n{ABSTRACT}\nBad \xff title\n{ABSTRACT}\n".encode("latin-1")
    with pytest.raises(ListingError, match=r"x\.txt:3: not UTF-8"):
        parse(data, "x.txt")


def test_empty_listing_is_an_error() -> None:
    with pytest.raises(ListingError, match="no papers found"):
        parse(b"Get trending papers in your email inbox!\n\n", "x.txt")


def test_leading_arxiv_id_on_the_title_line_is_read() -> None:
    [paper] = parse(f"2401.01234v2 A Titled Paper\n{ABSTRACT}\n".encode(), "x.txt")
    assert (paper.arxiv_id, paper.title) == ("2401.01234", "A Titled Paper")


def test_the_shipped_sample_listing_is_detected_as_text_and_parses() -> None:
    data = SAMPLE_LISTING.read_bytes()
    assert detect_format(data, "sample") == "text"
    papers = parse_listing(data, "sample")
    assert len(papers) == 6
    assert all(p.title and len(p.abstract) > 200 for p in papers)
