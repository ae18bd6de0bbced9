"""Settings: one typed, validated object read from the one file, mkdocs.yml.

MkDocs' own keys give the site's identity (site_name, site_url, site_description); paperfeed's
settings sit under `extra.paperfeed`. Every mistake is reported at once, each with its key.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils import yaml_load

from paperfeed.errors import ConfigError
from paperfeed.ids import is_reserved_name

SOURCES = ("text", "hf-daily", "hf-page", "hf-search", "arxiv-api", "arxiv-rss")
# Keys the `date` rule of a Hugging Face daily listing accepts, besides a YYYY-MM-DD date.
DATE_RULES = ("today", "yesterday", "week", "month")
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,49}")


@dataclass(frozen=True)
class ListingConfig:
    """One followed listing. `name` names its feed and its site section."""

    name: str
    source: str
    title: str = ""
    url: str = ""  # an explicit URL or local path; otherwise built from the source's base URL
    query: str = ""  # hf-search, arxiv-api
    category: str = ""  # arxiv-rss: one or more categories joined by '+', e.g. cs.LG+stat.ML
    date: str = "today"  # hf-daily: today, yesterday, week, month or YYYY-MM-DD
    sort: str = ""  # hf-daily: e.g. trending
    limit: int = 100
    include: tuple[str, ...] = ()  # keep only papers whose title or abstract has one of these
    exclude: tuple[str, ...] = ()  # drop papers whose title or abstract has one of these
    min_upvotes: int = 0
    expect_papers: bool = True  # zero papers is an error unless the source says it is a quiet day

    @property
    def label(self) -> str:
        return self.title or self.name


@dataclass(frozen=True)
class SourceURLs:
    """Base URLs of the sources, configurable so a fork or a test can point them elsewhere."""

    hf: str = "https://huggingface.co"
    arxiv_api: str = "https://export.arxiv.org"
    arxiv_rss: str = "https://rss.arxiv.org"


@dataclass(frozen=True)
class Settings:
    site_name: str
    site_url: str
    site_description: str = ""
    site_author: str = ""
    repo_url: str = ""
    feed_entries: int = 100
    home_papers: int = 60
    page_size: int = 500
    keep_raw: int = 30  # raw responses kept under data/raw/, newest first
    tag_min_papers: int = 2  # a tag gets a page and a feed once this many papers carry it
    site_budget_mb: float = 1000  # the built site's size limit (GitHub Pages': 1 GB); see budget.py
    listings: tuple[ListingConfig, ...] = ()
    sources: SourceURLs = field(default_factory=SourceURLs)
    config_path: Path = Path("mkdocs.yml")
    data_dir: Path = Path("data")
    docs_dir: Path = Path("docs")
    site_dir: Path = Path("site")

    @property
    def root(self) -> Path:
        return self.config_path.parent

    def listing(self, name: str) -> ListingConfig | None:
        return next((item for item in self.listings if item.name == name), None)


# What each key of extra.paperfeed takes: (type, description for messages).
_TOP = {
    "feed_entries": (int, "a whole number of feed entries, at least 1"),
    "home_papers": (int, "a whole number of papers on the home page, at least 1"),
    "page_size": (int, "a whole number of papers per index page, at least 10"),
    "keep_raw": (int, "a whole number of raw responses to keep, 0 or more"),
    "tag_min_papers": (int, "a whole number of papers, at least 1"),
    "site_budget_mb": (float, "the site's size limit in MB, at least 1 (GitHub Pages allows 1000)"),
    "listings": (list, "a list of listings"),
    "sources": (dict, "a mapping of source base URLs"),
    "data_dir": (str, "the archive folder, relative to mkdocs.yml"),
}


def _type_name(kind: type) -> str:
    return {int: "a whole number", str: "text", list: "a list", dict: "a mapping", bool: "true or false"}[kind]


def _check(value: Any, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if kind is tuple:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    return isinstance(value, kind)


def _name_problem(name: str) -> str:
    """What is wrong with a listing's name (it names a folder and feeds), or ""."""
    if not _NAME.fullmatch(name):
        return "must be lowercase letters, digits and '-', e.g. hf-daily"
    if is_reserved_name(name):
        return "is a reserved file name (Windows devices, sitemap); choose another"
    return ""


def _listing(raw: Any, where: str, errors: list[str]) -> ListingConfig | None:  # noqa: PLR0912 - one check per key, in order
    if not isinstance(raw, dict):
        errors.append(f"{where}: expected a mapping with at least name and source")
        return None
    known = {f.name: f for f in fields(ListingConfig)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            errors.append(f"{where}.{key}: unknown key; known keys: {', '.join(known)}")
            continue
        kind = {"int": int, "str": str, "bool": bool}.get(str(known[key].type), tuple)
        if not _check(value, kind):
            expected = "a list of words" if kind is tuple else _type_name(kind)
            errors.append(f"{where}.{key}: expected {expected}, got {value!r}")
            continue
        values[key] = tuple(value) if kind is tuple else value
    for key in ("name", "source"):
        if key not in raw:
            errors.append(f"{where}.{key}: missing; every listing needs a name and a source")
    name, source = values.get("name"), values.get("source")
    if isinstance(name, str) and (problem := _name_problem(name)):
        errors.append(f"{where}.name: {name!r} {problem}")
    if isinstance(source, str) and source not in SOURCES:
        errors.append(f"{where}.source: {source!r} is not a source; use one of: {', '.join(SOURCES)}")
    if source in ("hf-search", "arxiv-api") and not values.get("query") and not values.get("url"):
        errors.append(f"{where}.query: a {source} listing needs a query (or a url)")
    if source == "arxiv-rss" and not values.get("category") and not values.get("url"):
        errors.append(f"{where}.category: an arxiv-rss listing needs a category such as cs.LG")
    if source == "text" and not values.get("url"):
        errors.append(f"{where}.url: a text listing needs the path or URL of the listing file")
    date = values.get("date", "today")
    if not (date in DATE_RULES or re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(date))):
        errors.append(f"{where}.date: {date!r}; use one of {', '.join(DATE_RULES)} or YYYY-MM-DD")
    for key in ("limit", "min_upvotes"):
        if isinstance(values.get(key), int) and values[key] < (1 if key == "limit" else 0):
            errors.append(f"{where}.{key}: {values[key]} is too small")
    if "name" not in values or "source" not in values:
        return None
    return ListingConfig(**values)


def _top_level(raw: Any, errors: list[str]) -> dict[str, Any]:
    """The plain keys of extra.paperfeed, each checked for its type and lower bound."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors.append("extra.paperfeed: expected a mapping of paperfeed settings")
        return {}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in _TOP:
            errors.append(f"extra.paperfeed.{key}: unknown key; known keys: {', '.join(_TOP)}")
            continue
        kind, description = _TOP[key]
        if not _check(value, kind) or (key in _MINIMUM and value < _MINIMUM[key]):
            errors.append(f"extra.paperfeed.{key}: expected {description}, got {value!r}")
            continue
        values[key] = value
    return values


_MINIMUM = {
    "feed_entries": 1,
    "home_papers": 1,
    "page_size": 10,
    "keep_raw": 0,
    "tag_min_papers": 1,
    "site_budget_mb": 1,
}


def _listings(raw: list[Any], errors: list[str]) -> tuple[ListingConfig, ...]:
    listings = []
    for index, item in enumerate(raw):
        listing = _listing(item, f"extra.paperfeed.listings[{index}]", errors)
        if listing:
            listings.append(listing)
    names = [item.name for item in listings]
    for name in sorted({n for n in names if names.count(n) > 1}):
        errors.append(f"extra.paperfeed.listings: the name {name!r} is used twice; names must be unique")
    return tuple(listings)


def _source_urls(raw: dict[str, Any], errors: list[str]) -> SourceURLs:
    known = {f.name for f in fields(SourceURLs)}
    good = {}
    for key, value in raw.items():
        if key not in known:
            errors.append(f"extra.paperfeed.sources.{key}: unknown key; known keys: {', '.join(sorted(known))}")
        elif not isinstance(value, str) or not re.match(r"https?://", value):
            errors.append(f"extra.paperfeed.sources.{key}: expected an http(s) URL, got {value!r}")
        else:
            good[key] = value.rstrip("/")
    return SourceURLs(**good)


def _site_keys(data: dict[str, Any], errors: list[str]) -> tuple[str, str]:
    """MkDocs' own keys that paperfeed reads: the site's name and URL."""
    site_name = data.get("site_name")
    if not isinstance(site_name, str) or not site_name.strip():
        errors.append("site_name: expected the site's name as text")
        site_name = ""
    site_url = data.get("site_url") or ""  # mkdocs.yml reads it from $PAPERFEED_SITE_URL
    if not isinstance(site_url, str) or (site_url and not re.match(r"https?://\S+$", site_url)):
        errors.append(f"site_url: expected an http(s) URL such as https://you.github.io/papers/, got {site_url!r}")
        site_url = ""
    return site_name.strip(), (site_url or "http://127.0.0.1:8000/").rstrip("/") + "/"


def _folders(data: dict[str, Any], data_dir: str, config_path: Path, errors: list[str]) -> dict[str, Path]:
    folders = {"data_dir": config_path.parent / data_dir}
    for key, default in (("docs_dir", "docs"), ("site_dir", "site")):
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            errors.append(f"{key}: expected a folder name, got {value!r}")
        else:
            folders[key] = config_path.parent / value
    return folders


def settings_from_mapping(data: dict[str, Any], config_path: Path) -> Settings:
    """Validate a loaded mkdocs.yml mapping; raise one ConfigError listing every mistake."""
    errors: list[str] = []
    extra = data.get("extra") or {}
    values = _top_level(extra.get("paperfeed") if isinstance(extra, dict) else None, errors)
    listings = _listings(values.pop("listings", []), errors)
    sources = _source_urls(values.pop("sources", {}), errors)
    folders = _folders(data, values.pop("data_dir", "data"), config_path, errors)
    site_name, site_url = _site_keys(data, errors)
    if errors:
        raise ConfigError(f"{config_path}: {len(errors)} problem(s): " + "; ".join(errors))
    return Settings(
        site_name=site_name,
        site_url=site_url,
        site_description=str(data.get("site_description") or ""),
        site_author=str(data.get("site_author") or ""),
        repo_url=str(data.get("repo_url") or ""),
        listings=listings,
        sources=sources,
        config_path=config_path,
        **folders,
        **values,
    )


def load_settings(path: Path) -> Settings:
    """Read and validate mkdocs.yml (with MkDocs' own loader: !ENV and INHERIT work)."""
    try:
        with path.open("rb") as handle:
            data = yaml_load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: not found; run paperfeed from the project root or pass --config") from None
    except (OSError, yaml.YAMLError, ConfigurationError) as err:
        detail = " ".join(str(err).split())
        raise ConfigError(f"{path}: cannot read it: {detail}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a YAML mapping of settings")
    return settings_from_mapping(data, path)
