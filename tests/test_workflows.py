"""The GitHub workflows: least privilege, pinned actions, no logic of their own, and zizmor.

These are the properties a reviewer checks by eye; here a change that drops one fails CI.
zizmor (from its PyPI wheel, in the test extra) runs offline over .github/ and must report
nothing; without it the test skips, except under CI=true, where its absence fails.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness import ROOT, require_tool
from paperfeed.config import CACHE_DIR
from paperfeed.fetch import LATEST_DIR
from paperfeed.render import OWNED_FILES

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
NIGHTLY = ROOT / ".github" / "workflows" / "nightly.yml"
LIKE = ROOT / ".github" / "workflows" / "like.yml"
# The only jobs that keep a token in their checkout: each pushes one commit of its own.
PUSHING_JOBS = {("nightly.yml", "update"), ("like.yml", "like")}
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$", re.MULTILINE)
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")
VERSION_COMMENT = re.compile(r"^\s+# v\d+(\.\d+){0,2}\s*$")
# Hosts or accounts a fork would have to edit if the repository named them.
OWNER_URL = re.compile(r"github\.com/(?!actions/|orgs/|settings)[\w-]+/[\w.-]+|[\w-]+\.github\.io/[\w.-]+")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text("utf-8"))
    assert isinstance(data, dict), path
    # PyYAML reads the key `on` as True (YAML 1.1); put it back.
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, step) for name, job in workflow["jobs"].items() for step in job.get("steps", [])]


def test_there_are_workflows() -> None:
    assert {path.name for path in WORKFLOWS} >= {"nightly.yml", "ci.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    text = path.read_text("utf-8")
    found = list(USES.finditer(text))
    assert found, f"{path.name} uses no actions?"
    for match in found:
        assert PINNED.fullmatch(match["ref"]), f"{path.name}: {match['ref']} is not pinned to a full commit SHA"
        assert VERSION_COMMENT.match(match["rest"]), f"{path.name}: {match['ref']} needs a '# vX.Y.Z' comment"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_least_privilege_and_bounded_runs(path: Path) -> None:
    workflow = load(path)
    assert workflow.get("permissions") == {}, "top-level permissions must be {}: each job asks for its own"
    assert workflow.get("concurrency"), "runs must not interleave"
    for name, job in workflow["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int) and job["timeout-minutes"] <= 60, name
        assert "permissions" in job, f"job {name} must declare its permissions"
        assert "write-all" not in str(job["permissions"]) and "read-all" not in str(job["permissions"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_run_steps_hold_no_expressions_and_checkouts_keep_no_token(path: Path) -> None:
    for job, step in steps(load(path)):
        if "run" in step:
            assert "${{" not in step["run"], f"{path.name} job {job}: pass values to run: through env"
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            persist = step.get("with", {}).get("persist-credentials")
            pushes = (path.name, job) in PUSHING_JOBS
            assert persist is pushes, f"{path.name} job {job}: persist-credentials must be {str(pushes).lower()}"


def test_nightly_permissions_per_job() -> None:
    jobs = load(NIGHTLY)["jobs"]
    assert jobs["update"]["permissions"] == {"contents": "write", "pages": "read"}
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["environment"]["name"] == "github-pages"
    # The job holding the Pages token runs nothing of ours: only the deploy action.
    assert [step.get("uses", "").split("@")[0] for step in jobs["deploy"]["steps"]] == ["actions/deploy-pages"]


def test_nightly_triggers_and_order() -> None:
    workflow = load(NIGHTLY)
    (schedule,) = workflow["on"]["schedule"]
    minute = schedule["cron"].split()[0]
    assert minute not in ("0", "00", "30"), "an odd minute: the top of the hour is when GitHub drops runs"
    assert "UTC" in NIGHTLY.read_text("utf-8"), "say the time is UTC"
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    jobs = workflow["jobs"]
    assert jobs["build"]["needs"] == "update" and jobs["deploy"]["needs"] == "build"
    assert "needs.update.outputs.sha" in jobs["build"]["steps"][0]["with"]["ref"]
    assert "deploy" in jobs["deploy"]["if"]


def test_every_step_calls_the_project() -> None:
    """Each run: is a make target (or git push): the logic lives in the package."""
    makefile = (ROOT / "Makefile").read_text("utf-8")
    for path in WORKFLOWS:
        for job, step in steps(load(path)):
            if "run" not in step:
                continue
            for line in step["run"].strip().splitlines():
                command = line.split()
                if command[0] == "make":
                    assert re.search(rf"^{re.escape(command[1])}:", makefile, re.MULTILINE), line
                else:
                    assert command[0] in ("git", ".ci/run"), f"{path.name} job {job}: {line!r} belongs in the Makefile"


def test_the_local_nightly_runs_what_the_workflow_runs() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    recipe = re.search(r"^nightly:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe, "the Makefile needs a nightly target"
    local = re.findall(r"\$\(MAKE\) (?:--no-print-directory )?([\w-]+)", recipe.group(1))
    ran = [step["run"].split()[1] for _, step in steps(load(NIGHTLY)) if step.get("run", "").startswith("make ")]
    # The workflow runs these plus deploy-check (the deploy, which make nightly leaves out).
    assert [target for target in ran if target != "deploy-check"] == local == ["update", "commit-data", "publish"]


def test_nothing_names_an_owner_a_fork_would_have_to_edit() -> None:
    """The files a fork inherits, not the pages paperfeed generates into docs/ (those link to
    the papers' own repositories)."""
    checked = [*WORKFLOWS, ROOT / ".github" / "dependabot.yml", ROOT / "mkdocs.yml", ROOT / "Makefile"]
    checked += sorted(path for path in (ROOT / "docs").glob("*.md") if path.name not in OWNED_FILES)
    for path in checked:
        found = OWNER_URL.findall(path.read_text("utf-8"))
        assert not found, f"{path.relative_to(ROOT)} names {found}: a fork would have to edit it"


def _zizmor() -> str | None:
    beside = Path(sys.executable).parent / "zizmor"
    return str(beside) if beside.exists() else shutil.which("zizmor")


def test_zizmor_finds_nothing() -> None:
    zizmor = _zizmor()
    require_tool(zizmor is not None, "zizmor (pip install zizmor; it is in the test extra)")
    assert zizmor is not None
    result = subprocess.run(
        [zizmor, "--offline", "--no-progress", "--color", "never", str(ROOT / ".github")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout, result.stdout


def test_the_like_workflow_acts_only_for_the_owner_and_passes_the_title_through_env() -> None:
    workflow = load(LIKE)
    assert workflow["on"] == {"issues": {"types": ["opened"]}}
    (job,) = workflow["jobs"].values()
    assert "github.event.issue.user.login == github.repository_owner" in job["if"]
    assert job["permissions"] == {"contents": "write", "issues": "write"}
    runs = [step for step in job["steps"] if "run" in step]
    assert runs[0]["run"] == "make like" and runs[0]["env"]["ISSUE_TITLE"] == "${{ github.event.issue.title }}"


def test_the_nightly_keeps_raw_responses_out_of_git() -> None:
    """The cache folder is ignored by git, carried between nights by the Actions cache (saved
    under a new key each run, the newest restored) and uploaded as an artifact that expires."""
    assert f"/{CACHE_DIR}/" in (ROOT / ".gitignore").read_text("utf-8").splitlines()
    update = load(NIGHTLY)["jobs"]["update"]["steps"]
    used = {step.get("uses", "").split("@")[0]: (number, step) for number, step in enumerate(update)}
    (restore_at, restore), (save_at, save) = used["actions/cache/restore"], used["actions/cache/save"]
    fetch_at = next(n for n, step in enumerate(update) if step.get("run") == "make update")
    assert restore_at < fetch_at < save_at
    assert restore["with"]["path"] == save["with"]["path"] == CACHE_DIR
    assert restore["with"]["key"] == save["with"]["key"]
    assert "github.run_id" in save["with"]["key"] and save["with"]["key"].startswith(restore["with"]["restore-keys"])
    _, upload = used["actions/upload-artifact"]
    assert upload["with"]["path"].rstrip("/") == f"{CACHE_DIR}/{LATEST_DIR}"
    assert 1 <= int(upload["with"]["retention-days"]) <= 90
    assert upload["continue-on-error"] is True
