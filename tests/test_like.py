"""`paperfeed like`: a paper id into the likes file, from a terminal or an issue title, and
nothing else, ever; committed alone when asked."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from harness import fixture_settings, make_project, paperfeed
from paperfeed.config import ForYou
from paperfeed.errors import PaperfeedError
from paperfeed.like import from_issue_title, paper_of
from paperfeed.merge import merge_listing
from paperfeed.pages import paper_page, site_facts
from records import RICH, T0

FOR_YOU = "extra:\n  paperfeed:\n    for_you: {likes: likes.txt, dislikes: dislikes.txt}\n"


@pytest.mark.parametrize(
    ("text", "paper"),
    [
        ("2401.01234v2", "2401.01234"),
        ("https://arxiv.org/abs/2401.01234", "2401.01234"),
        ("https://huggingface.co/papers/2401.01234", "2401.01234"),
        ("a-title-1234abcd", "a-title-1234abcd"),
    ],
)
def test_a_paper_is_named_by_id_or_link(text: str, paper: str) -> None:
    assert paper_of(text) == paper
    assert from_issue_title(f"like: {text}") == ("like", paper)
    assert from_issue_title(f"Dislike:{text}") == ("dislike", paper)


@pytest.mark.parametrize(
    "title",
    ["like: $(rm -rf /)", "like: 2401.01234\nmore", "like: ../../etc/passwd", "please like 2401.01234", "like:"],
)
def test_anything_but_a_paper_id_is_refused(title: str) -> None:
    with pytest.raises(PaperfeedError):
        from_issue_title(title)


def test_like_adds_once_and_commits_the_file_alone(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FOR_YOU)
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for args in (["init", "--quiet"], ["commit", "--quiet", "--allow-empty", "-m", "0"]):
        subprocess.run([*git, *args], check=True)
    (project / "unrelated.txt").write_text("work in progress\n", "utf-8")
    subprocess.run([*git, "add", "unrelated.txt"], check=True)

    first = paperfeed(project, "like", "--issue-title", "like: https://arxiv.org/abs/2401.01234v3", "--commit")
    assert first.returncode == 0, first.stderr
    likes = (project / "likes.txt").read_text("utf-8")
    assert likes.startswith("# Papers liked") and likes.endswith("\n2401.01234\n")
    shown = subprocess.run([*git, "show", "--name-only", "--format=%s"], capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["likes:", "2401.01234", "likes.txt"]  # the likes file alone
    staged = subprocess.run([*git, "diff", "--cached", "--name-only"], capture_output=True, text=True, check=True)
    assert staged.stdout.split() == ["unrelated.txt"]  # the owner's work in progress, left as it was

    again = paperfeed(project, "like", "2401.01234")
    assert again.returncode == 0 and "already" in again.stdout
    assert (project / "likes.txt").read_text("utf-8") == likes

    disliked = paperfeed(project, "like", "--dislike", "2402.00001")
    assert disliked.returncode == 0
    assert (project / "dislikes.txt").read_text("utf-8").endswith("\n2402.00001\n")

    refused = paperfeed(project, "like", "--issue-title", "like: <script>")
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert (project / "likes.txt").read_text("utf-8") == likes


def test_like_without_a_likes_file_configured_says_what_to_set(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    result = paperfeed(project, "like", "2401.01234")
    assert result.returncode == 1
    assert "set extra.paperfeed.for_you.likes" in result.stderr


def test_paper_pages_link_a_prefilled_like_issue_only_when_asked_and_on_actions() -> None:
    (record,) = merge_listing({}, "daily", [RICH], T0).archive.values()
    archive = {record.id: replace(record, score=0.4)}
    record = archive[record.id]
    actions = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "someone/papers"}
    asked = fixture_settings(for_you=ForYou(likes=Path("likes.txt"), like_link=True))
    page = paper_page(record, asked, (None, None), facts=site_facts(archive, actions))
    assert 'href="https://github.com/someone/papers/issues/new?title=like%3A+2411.01234&amp;body=' in page
    assert "Like this paper" not in paper_page(record, asked, (None, None), facts=site_facts(archive, {}))
    unasked = fixture_settings(for_you=ForYou(likes=Path("likes.txt")))
    assert "Like this paper" not in paper_page(record, unasked, (None, None), facts=site_facts(archive, actions))
