"""What pyproject.toml declares is what the code imports, and the lock pins nothing else:
generator/ imports only runtime dependencies, tests/ and benchmarks/ also test ones, and every
package in requirements-lock.txt is a declared one or something a declared one requires."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterable
from importlib import metadata

from harness import ROOT

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# The project's own modules and packages: paperfeed, the benchmarks, and the tests' helpers.
_LOCAL = {
    "paperfeed",
    "benchmarks",
    *(path.stem for path in (ROOT / "tests").glob("*.py")),
    *(path.parent.name for path in (ROOT / "tests").glob("*/__init__.py")),
}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _names(requirements: Iterable[str]) -> set[str]:
    return {_normal(found.group(0)) for found in map(_NAME.match, requirements) if found}


def _declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return _names(project["dependencies"]), _names(project["optional-dependencies"]["test"])


def _imported(*folders: str) -> dict[str, set[str]]:
    """The distributions of the third-party modules imported in `folders`, each with its files."""
    modules: dict[str, set[str]] = {}
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in _LOCAL:
                        modules.setdefault(top, set()).add(path.relative_to(ROOT).as_posix())
    distributions = metadata.packages_distributions()
    found: dict[str, set[str]] = {}
    for module, files in modules.items():
        for distribution in distributions.get(module, [f"(no installed distribution has {module})"]):
            found.setdefault(_normal(distribution), set()).update(files)
    return found


def test_generator_imports_only_runtime_dependencies() -> None:
    runtime, _ = _declared()
    imported = _imported("generator")
    assert {"mkdocs", "jinja2", "pyyaml", "lxml", "feedgen"} <= set(imported)  # the scan works
    assert {name: files for name, files in imported.items() if name not in runtime} == {}


def test_tests_and_benchmarks_import_only_declared_packages() -> None:
    runtime, test = _declared()
    imported = _imported("tests", "benchmarks")
    assert {"pytest", "hypothesis", "feedparser", "playwright"} <= set(imported)
    assert {name: files for name, files in imported.items() if name not in runtime | test} == {}


def test_the_lock_pins_only_what_the_declarations_need() -> None:
    runtime, test = _declared()
    needed, todo = set(), [*runtime, *test]
    while todo:  # every requirement of what is installed, whatever its markers (all platforms)
        name = todo.pop()
        if name in needed:
            continue
        needed.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # for another platform or Python than this one
        todo += _names(requirement for requirement in requires if "extra ==" not in requirement)
    locked = _names(line for line in (ROOT / "requirements-lock.txt").read_text("utf-8").splitlines())
    assert runtime | test <= locked
    assert locked - needed == set()
