"""The size budget: when the built site would pass extra.paperfeed.site_budget_mb, the oldest
papers get compact pages until it fits; a site that still cannot fit is never published."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from harness import paperfeed
from paperfeed.archive import load_archive, save_archive
from paperfeed.budget import MARGIN, MB, Line, Plan, plan_pages, summary, warning
from paperfeed.config import load_settings, settings_from_mapping
from paperfeed.errors import ConfigError, OutputError
from paperfeed.feed_identity import Identity
from paperfeed.merge import merge_listing
from paperfeed.nightly import warn
from paperfeed.pages import newest_first
from paperfeed.render import iter_site
from paperfeed.sitecheck import check_size, site_bytes
from records import RICH, T0, paper, record

DAYS = 8
PER_DAY = 6


def archive_of_days() -> dict:
    """DAYS days of PER_DAY papers each, with abstracts, authors, arXiv ids, math and tags."""
    archive: dict = {}
    for day in range(DAYS):
        papers = [
            paper(
                f"Paper {day}-{number}: learning $\\alpha$-divergences at scale",
                abstract=RICH.abstract * 6,
                authors=("Ada Lovelace", "Alan Turing", "Grace Hopper"),
                arxiv_id=f"2411.{day:02d}{number:03d}",
                tags=("reinforcement learning", "bandits"),
            )
            for number in range(PER_DAY)
        ]
        archive = merge_listing(archive, "daily", papers, T0 + timedelta(days=day)).archive
    return archive


def cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return paperfeed(project, *args)


def set_budget(project: Path, budget_mb: float) -> None:
    """The project's settings (harness.make_project) with `site_budget_mb` set."""
    (project / "mkdocs.yml").write_text(
        f"INHERIT: base.yml\nextra:\n  paperfeed:\n    site_budget_mb: {budget_mb}\n", "utf-8"
    )


def planned(project: Path) -> Plan:
    """The render's plan for the project as it is configured, without writing anything."""
    settings = load_settings(project / "mkdocs.yml")
    plans: list[Plan] = []
    for _ in iter_site(
        load_archive(settings.data_dir), settings, Identity("example.org", "2026-11-01"), on_plan=plans.append
    ):
        pass
    return plans[0]


def is_compact(site: Path, record_id: str) -> bool:
    page = (site / "papers" / record_id / "index.html").read_text("utf-8")
    return 'class="pf-paper pf-compact"' in page


@pytest.mark.slow
def test_a_tiny_budget_makes_the_oldest_pages_compact_and_the_site_fit(project: Path) -> None:
    save_archive(project / "data", archive_of_days())
    full = planned(project)
    assert not full.compact  # the default budget, 1,000 MB, leaves every page full
    # A budget halfway between the site with every page compact and with none.
    budget_mb = round((full.least + full.estimate) / 2 / (1 - MARGIN) / MB, 3)
    set_budget(project, budget_mb)

    rendered = cli(project, "render")
    assert rendered.returncode == 0, rendered.stderr
    assert "site budget: about" in rendered.stdout and "compact pages for the" in rendered.stdout
    assert "warning:" in rendered.stderr and "site_budget_mb" in rendered.stderr  # over 80%: says what happens
    assert cli(project, "build").returncode == 0
    checked = cli(project, "check")
    assert checked.returncode == 0, checked.stderr
    assert f"of its {budget_mb:g} MB budget" in checked.stdout

    site = project / "site"
    assert site_bytes(site) <= budget_mb * MB
    records = newest_first(load_archive(project / "data").values())
    for item in records:  # every paper keeps its URL
        assert (site / "papers" / item.id / "index.html").is_file(), item.id
    kinds = [is_compact(site, item.id) for item in records]
    assert 0 < sum(kinds) < len(kinds)
    assert kinds == sorted(kinds)  # full pages for the newest, compact for the oldest only
    newest, oldest = records[0], records[-1]
    assert "pf-abstract" in (site / "papers" / newest.id / "index.html").read_text("utf-8")
    compact = (site / "papers" / oldest.id / "index.html").read_text("utf-8")
    assert "Ada Lovelace" in compact and f"https://arxiv.org/abs/{oldest.paper.arxiv_id}" in compact
    assert "../../days/" in compact and "pf-abstract" not in compact
    oldest_day = (site / "days" / oldest.day.isoformat() / "index.html").read_text("utf-8")
    assert f"papers/{oldest.id}/" in oldest_day and "pf-excerpt" not in oldest_day  # compact cards too

    again = cli(project, "render")  # the same archive and settings give the same pages
    assert "0 files written" in again.stdout


@pytest.mark.slow
def test_a_site_over_budget_even_compact_stops_at_the_check_in_one_line(project: Path) -> None:
    save_archive(project / "data", archive_of_days())
    set_budget(project, 1)  # less than Material's own assets
    rendered = cli(project, "render")
    assert rendered.returncode == 0
    assert "even with every paper's page compact" in rendered.stderr
    assert cli(project, "build").returncode == 0
    checked = cli(project, "check")
    assert checked.returncode == 1
    errors = [line for line in checked.stderr.splitlines() if line.startswith("paperfeed: error:")]
    assert len(errors) == 1, checked.stderr
    assert "over its 1 MB budget" in errors[0] and "raise extra.paperfeed.site_budget_mb" in errors[0]
    assert "not published" in errors[0]


# -- the plan, on its own -------------------------------------------------------------------


def settings_with(budget_mb: float):
    data = {"site_name": "Papers", "extra": {"paperfeed": {"site_budget_mb": budget_mb}}}
    return settings_from_mapping(data, Path("mkdocs.yml"))


RECORDS = [
    record(f"2411.{n:05d}", f"Paper {n}", seen=T0 + timedelta(hours=n), abstract="x" * (200 + n)) for n in range(50)
]


def plan_for(budget_mb: float, other: int = 0) -> Plan:
    def render_both(item) -> tuple[int, int]:
        return 1_000 + len(item.paper.abstract), 300

    ordered = newest_first(RECORDS)
    return plan_pages(ordered, render_both, day_pages=5, other_bytes=other, settings=settings_with(budget_mb))


def test_a_roomy_budget_compacts_nothing() -> None:
    plan = plan_for(1000)
    assert plan.compact == frozenset() and plan.fits and plan.share < 0.01
    assert warning(plan) is None
    assert "compact" not in summary(plan)


def test_a_tighter_budget_compacts_the_oldest_first_and_fits() -> None:
    roomy = plan_for(1000)
    budget_mb = (roomy.least + roomy.estimate) / 2 / (1 - MARGIN) / MB
    plan = plan_for(budget_mb)
    newest = [item.id for item in newest_first(RECORDS)]
    count = len(plan.compact)
    assert 0 < count < len(RECORDS)
    assert plan.compact == frozenset(newest[-count:])
    assert plan.estimate <= plan.budget * (1 - MARGIN) and plan.fits
    assert plan_for(budget_mb) == plan  # the same inputs, the same plan
    tighter = plan_for(budget_mb * 0.99)
    assert tighter.compact >= plan.compact
    assert f"compact pages for the {count} oldest papers" in summary(plan)
    assert "raise extra.paperfeed.site_budget_mb" in (warning(plan) or "")


def test_a_budget_too_small_for_compact_pages_says_so() -> None:
    plan = plan_for(1, other=2 * MB)
    assert not plan.fits and len(plan.compact) == len(RECORDS)
    assert "even with every paper's page compact" in (warning(plan) or "")


def test_a_near_full_budget_warns_what_will_happen() -> None:
    roomy = plan_for(1000)
    plan = plan_for(roomy.estimate / 0.85 / MB)
    assert not plan.compact
    text = warning(plan) or ""
    assert "85%" in text and "the oldest papers get compact pages" in text


def test_a_line_fits_points_exactly_on_it() -> None:
    line = Line.fit([(10, 120), (20, 220), (40, 420)])
    assert line(30) == 320 and line(0) == 20
    assert Line.fit([(5, 7), (5, 9)])(5) == 8  # no spread: the mean
    assert Line.fit([])(100) == 0


# -- the setting and the check ----------------------------------------------------------------


def test_the_budget_setting_is_checked_with_the_others() -> None:
    assert settings_with(120).site_budget_mb == 120
    assert settings_with(3.5).site_budget_mb == 3.5
    assert settings_from_mapping({"site_name": "x"}, Path("mkdocs.yml")).site_budget_mb == 1000
    for bad in ("big", 0, 0.5, True, [1], float("nan")):
        data = {"site_name": "x", "extra": {"paperfeed": {"site_budget_mb": bad, "feed_entries": 0}}}
        with pytest.raises(ConfigError) as caught:
            settings_from_mapping(data, Path("mkdocs.yml"))
        message = str(caught.value)
        assert "extra.paperfeed.site_budget_mb: expected the site's size limit in MB" in message
        assert "extra.paperfeed.feed_entries" in message  # every mistake at once


def test_the_check_measures_the_site_against_its_budget(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "papers" / "a").mkdir(parents=True)
    (site / "index.html").write_bytes(b"x" * 600_000)
    (site / "papers" / "a" / "index.html").write_bytes(b"x" * 250_000)
    assert site_bytes(site) == 850_000

    roomy = check_size(site, 10)
    assert roomy.summary == "site: 0.8 MB of its 10 MB budget (8%)" and roomy.warning is None
    near = check_size(site, 1)
    assert "85%" in near.summary and near.warning and "compact pages" in near.warning
    with pytest.raises(OutputError) as caught:
        check_size(site, 0.8)
    assert "over its 0.8 MB budget" in str(caught.value) and "\n" not in str(caught.value)


def test_a_warning_is_an_annotation_under_github_actions(capsys: pytest.CaptureFixture[str]) -> None:
    warn("the site is at 85% of its 120 MB budget", environ={"GITHUB_ACTIONS": "true"})
    assert capsys.readouterr().out == "::warning title=paperfeed::the site is at 85%25 of its 120 MB budget\n"
    warn("the site is at 85% of its 120 MB budget", environ={})
    assert capsys.readouterr().err == "paperfeed: warning: the site is at 85% of its 120 MB budget\n"
