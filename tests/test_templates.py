"""A paper page's body comes from the theme's template: a fork edits one file to change it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paperfeed.config import load_settings
from paperfeed.errors import OutputError
from paperfeed.mkdocs_hooks import is_raw_html_page
from paperfeed.pages import paper_page
from paperfeed.templates import THEME_DIR
from records import RICH, record

HOSTILE = "<script>alert(1)</script> {{ 7*7 }} *bold* [link](x)"


def fork_with_template(tmp_path: Path, edit: str) -> Path:
    """A project whose mkdocs.yml names its own copy of the theme, with paper-body.html edited."""
    theme = tmp_path / "overrides"
    shutil.copytree(THEME_DIR, theme)
    body = theme / "paper-body.html"
    body.write_text(edit.replace("ORIGINAL", body.read_text("utf-8")), "utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Papers I follow\ntheme:\n  name: material\n  custom_dir: overrides\n", "utf-8")
    return config


def body_of(page: str) -> str:
    return page.split("\n---\n\n", 1)[1]


def test_the_page_shows_what_the_fork_s_template_says(tmp_path: Path) -> None:
    config = fork_with_template(tmp_path, 'ORIGINAL<p class="mine">Upvote {{ paper.arxiv_id }} on HF</p>\n')
    item = record("2411.01234", "A Paper", arxiv_id="2411.01234")
    page = paper_page(item, load_settings(config), (None, None))
    assert '<p class="mine">Upvote 2411.01234 on HF</p>' in body_of(page)
    assert '<article class="pf-paper">' in body_of(page)  # the rest of the template as it was


def test_any_value_a_template_prints_is_escaped(tmp_path: Path) -> None:
    config = fork_with_template(tmp_path, "ORIGINAL<p>{{ paper.abstract }}</p><p>{{ paper.title }}</p>\n")
    item = record("x1", HOSTILE, abstract=HOSTILE)
    body = body_of(paper_page(item, load_settings(config), (None, None)))
    assert "<script>" not in body
    assert "{{" not in body and "*bold*" not in body and "[link]" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#123;&#123; 7&#42;7 &#125;&#125;" in body


def test_blank_lines_in_a_template_do_not_break_the_raw_html_block(tmp_path: Path) -> None:
    config = fork_with_template(tmp_path, "\n\nORIGINAL\n\n   \n<p>after a gap</p>\n\n")
    body = body_of(paper_page(record("x1", **{"abstract": RICH.abstract}), load_settings(config), (None, None)))
    assert "\n\n" not in body and "<p>after a gap</p>" in body
    assert is_raw_html_page(body)


def test_a_misspelled_name_fails_naming_the_template_and_line(tmp_path: Path) -> None:
    config = fork_with_template(tmp_path, "ORIGINAL\n<p>{{ paper.abstrct }}</p>\n")
    settings = load_settings(config)
    with pytest.raises(OutputError, match=r"overrides/paper-body\.html:\d+: .*abstrct.*fix the template"):
        paper_page(record("x2"), settings, (None, None))


def test_a_syntax_error_fails_naming_the_template_and_line(tmp_path: Path) -> None:
    config = fork_with_template(tmp_path, "ORIGINAL\n{% if paper.title %}<p>unclosed</p>\n")
    with pytest.raises(OutputError, match=r"paper-body\.html:\d+: .*fix the template"):
        paper_page(record("x3"), load_settings(config), (None, None))
