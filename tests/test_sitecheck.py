"""`paperfeed check` and `paperfeed stamp`: the feed check and the build stamp the nightly
uses to decide whether to deploy, on the fixture site built by the real commands."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from harness import serve_directory
from paperfeed.cli import main
from paperfeed.sitecheck import STAMP_FILE, check_feeds, live_stamp, site_stamp, write_stamp


@pytest.fixture
def site_copy(built_site, tmp_path: Path) -> Path:
    """A writable copy of the fixture site, with a mkdocs.yml whose site_dir is the copy."""
    shutil.copytree(built_site.site_dir, tmp_path / "site")
    (tmp_path / "mkdocs.yml").write_text(f"INHERIT: {built_site.config}\n", "utf-8")
    return tmp_path / "site"


def test_the_built_site_passes(built_site) -> None:
    report = check_feeds(built_site.site_dir, built_site.base_url)
    assert report.problems == ()
    assert report.atom_feeds >= 2  # the whole site's feed and one per listing
    assert any(feed.path == "feed.xml" and feed.entries > 0 for feed in report.feeds)
    assert "sitemap.xml" not in {feed.path for feed in report.feeds}


def _edit(path: Path, pattern: str, replacement: str, count: int = 1) -> None:
    text = path.read_text("utf-8")
    changed = re.sub(pattern, replacement, text, count=count, flags=re.DOTALL)
    assert changed != text, f"{pattern!r} not found in {path}"
    path.write_text(changed, "utf-8")


def test_every_problem_is_reported_at_once(site_copy: Path, built_site) -> None:
    feed = site_copy / "feed.xml"
    ids = re.findall(r"<entry>\s*<id>([^<]+)</id>", feed.read_text("utf-8"))
    assert len(ids) >= 2
    _edit(feed, re.escape(f"<id>{ids[1]}</id>"), f"<id>{ids[0]}</id>")  # a duplicate entry id
    _edit(feed, r"(<entry>.*?)<updated>[^<]*</updated>", r"\1")  # an entry without atom:updated
    (site_copy / "feeds" / "broken.xml").write_text("<feed><entry></feed>", "utf-8")
    report = check_feeds(site_copy, built_site.base_url)
    text = "\n".join(report.problems)
    assert f"entry id {ids[0]!r} is used twice" in text
    assert "entry 1: needs exactly one atom:updated, found 0" in text
    assert "feeds/broken.xml: not well-formed XML" in text


def test_links_must_point_into_the_site(built_site) -> None:
    report = check_feeds(built_site.site_dir, "https://someone.github.io/papers/")
    assert report.problems
    assert all("outside the site https://someone.github.io/papers/" in problem for problem in report.problems)


def test_a_site_without_a_feed_fails(site_copy: Path) -> None:
    for feed in site_copy.rglob("*.xml"):
        if feed.name != "sitemap.xml":
            feed.unlink()
    report = check_feeds(site_copy)
    assert any("no Atom feed found" in problem for problem in report.problems)


def test_the_stamp_ignores_what_every_build_rewrites(site_copy: Path) -> None:
    before = site_stamp(site_copy)
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", before)
    # A rebuild on another day: new <lastmod> dates, a new gzip copy, a stamp file.
    _edit(site_copy / "sitemap.xml", r"<lastmod>[^<]*</lastmod>", "<lastmod>2030-01-01</lastmod>", count=0)
    (site_copy / "sitemap.xml.gz").write_bytes(b"different bytes")
    write_stamp(site_copy)
    assert site_stamp(site_copy) == before
    _edit(site_copy / "index.html", r"</body>", "<p>new</p></body>")
    assert site_stamp(site_copy) != before


def test_the_live_stamp_decides_the_deploy(site_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outputs = tmp_path / "outputs.txt"
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    monkeypatch.delenv("PAPERFEED_FORCE_DEPLOY", raising=False)
    config = str(tmp_path / "mkdocs.yml")
    with serve_directory(tmp_path) as url:
        live = url + "live/"
        assert live_stamp(live)[0] is None  # nothing deployed yet: deploy
        assert main(["stamp", "--config", config, "--live", live]) == 0
        assert outputs.read_text("utf-8").splitlines()[-1] == "deploy=true"

        shutil.copytree(site_copy, tmp_path / "live")  # "deploy" it, stamp included
        assert live_stamp(live)[0] == (site_copy / STAMP_FILE).read_text("utf-8").strip()
        assert main(["stamp", "--config", config, "--live", live]) == 0
        assert outputs.read_text("utf-8").splitlines()[-1] == "deploy=false"

        monkeypatch.setenv("PAPERFEED_FORCE_DEPLOY", "true")
        assert main(["stamp", "--config", config, "--live", live]) == 0
        assert outputs.read_text("utf-8").splitlines()[-1] == "deploy=true"
        monkeypatch.delenv("PAPERFEED_FORCE_DEPLOY")

        _edit(site_copy / "index.html", r"</body>", "<p>tomorrow's papers</p></body>")
        assert main(["stamp", "--config", config, "--live", live]) == 0
        assert outputs.read_text("utf-8").splitlines()[-1] == "deploy=true"


def test_the_check_command_fails_on_a_broken_feed(
    site_copy: Path,
    built_site,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PAPERFEED_SITE_URL", built_site.base_url)
    config = str(tmp_path / "mkdocs.yml")
    assert main(["check", "--config", config]) == 0
    assert "no problems" in capsys.readouterr().out
    (site_copy / "feed.xml").write_text("<feed", "utf-8")
    assert main(["check", "--config", config]) == 1
    err = capsys.readouterr().err
    assert "paperfeed: check: feed.xml: not well-formed XML" in err
    assert "problem(s) in the feeds" in err
