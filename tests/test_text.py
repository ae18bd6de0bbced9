"""TeX as arXiv abstracts carry it becomes readable text; real math becomes MathML."""

from __future__ import annotations

from dataclasses import replace

import pytest

from harness import fixture_settings
from paperfeed.feed_identity import Identity
from paperfeed.htmlbits import esc, math_html, rich_text
from paperfeed.merge import merge_listing
from paperfeed.render import render_site
from paperfeed.text import clean, readable, split_math, xml_safe
from records import RICH, T0


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"the Fr\'echet distance", "the Fréchet distance"),
        (r"an apparently na\"{\i}ve method", "an apparently naïve method"),
        (r"G\"odel and Erd\H{o}s", "Gödel and Erdős"),
        (r"Fran\c{c}ois and \v{S}ar\'{\i}k", "François and Šarík"),
        (r"76.5\% and 75.1\%", "76.5% and 75.1%"),
        (r"{\em while keeping} it", "while keeping it"),
        (r"(\{de,es,it\}-en)", "({de,es,it}-en)"),
        (r"i.e.\ the bitrate", "i.e. the bitrate"),
        (r"a CrossViT~a la Chen", "a CrossViT a la Chen"),
        (r"{D}en{o}ising {T}raining", "Denoising Training"),
        (r"an $\epsilon$-greedy policy", "an ε-greedy policy"),
        (r"in $O(n^2)$ time at $10^{-3}$", "in O(n²) time at 10⁻³"),
        (r"\epsilon-style symbols", "ε-style symbols"),
        ("  spaced \n\t out  ", "spaced out"),
    ],
)
def test_readable(tex: str, text: str) -> None:
    assert readable(tex) == text


def test_urls_and_approximate_tildes_are_left_alone() -> None:
    source = r"see www.robots.ox.ac.uk/~vgg/research and 5.5 ~ 221.3X faster, about (~50%)"
    assert readable(source) == source


def test_real_math_stays_math_and_becomes_mathml() -> None:
    parts = split_math(r"loss $\mathcal{L} = \frac{a}{b}$ here")
    assert parts == [("text", "loss "), ("math", r"\mathcal{L} = \frac{a}{b}"), ("text", " here")]
    html = rich_text(r"loss $\frac{a}{b}$ here")
    assert "<math" in html and "<mfrac>" in html
    assert readable(r"loss $\frac{a}{b}$ here") == r"loss $\frac{a}{b}$ here"


def test_unparseable_math_is_shown_as_source() -> None:
    assert math_html(r"\frac{a}{").startswith('<code class="pf-tex">')


def test_escaped_dollars_are_not_math() -> None:
    assert split_math(r"costs \$5 and \$6") == [("text", "costs $5 and $6")]


def test_clean_removes_xml_illegal_characters_and_folds_space() -> None:
    assert clean("a\x00b\x0bc\u0085d\ufffe e\n\n f") == "abcd e f"
    assert xml_safe("ok\x07") == "ok"


def test_esc_neutralises_html_markdown_and_jinja() -> None:
    out = esc("<script>{{ config }}</script> [x](javascript:alert(1)) *a* `b` _c_")
    for dangerous in ("<", ">", "{", "}", "[", "]", "*", "`", "_"):
        assert dangerous not in out


# --- TeX dashes and excerpts with typeset math -------------------------------------


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        ("Spanish--English and pages 10--20", "Spanish–English and pages 10–20"),
        ("a---b and a --- b", "a—b and a — b"),
        ("run it with --no-cache, not ----", "run it with --no-cache, not ----"),  # an option, a rule
        ("x --> y <-- z", "x --> y <-- z"),  # arrows
        ("see https://example.org/a--b and 1--2", "see https://example.org/a--b and 1–2"),  # URLs
        (r"the $a--b$ case", "the a--b case"),  # math is left to math
    ],
)
def test_tex_dashes(tex: str, text: str) -> None:
    assert readable(tex) == text


def test_rich_excerpt_cuts_text_at_a_word_and_never_inside_math() -> None:
    from paperfeed.htmlbits import rich_excerpt  # noqa: PLC0415 - kept inside this block

    source = r"We bound it by $\frac{1}{\sqrt{T}}$ and then say a great deal more about it"
    short = rich_excerpt(source, 20)
    assert short.endswith("…") and "<mfrac>" in short and short.count("<math") == short.count("</math>") == 1
    assert rich_excerpt(source, 8) == "We bound…"
    assert rich_excerpt(source, 1000) == rich_text(source)  # short enough: whole, no ellipsis
    assert rich_excerpt("a & b; c d e f g", 6) == "a &amp; b…"  # cut on the text, then escaped


def test_author_names_read_as_names_on_pages_and_in_feeds() -> None:
    paper = replace(RICH, authors=('Bernhard Sch\\"olkopf', "Fran\\c{c}ois Chollet"))
    archive = merge_listing({}, "daily", [paper], T0).archive
    files = render_site(archive, fixture_settings(), Identity("example.org", "2026-11-01"))
    for path in ("papers/2411.01234.md", "feed.xml", "feed.json", "days/2026-11-20.md"):
        content = files[path]
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        assert "Schölkopf" in text and "François" in text, path
        # The one ASCII spelling is the citation key, which BibTeX needs plain.
        assert "olkopf" not in text.replace("Schölkopf", "").replace("scholkopf2026learning", ""), path
