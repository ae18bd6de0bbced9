"""Settings: one typed, validated object read from the one file, mkdocs.yml.

MkDocs' own keys give the site's identity (site_name, site_url, site_description); paperfeed's
settings sit under `extra.paperfeed`. Every mistake is reported at once, each with its key.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import yaml_load

from paperfeed.authors import Name, parse_name
from paperfeed.errors import ConfigError
from paperfeed.paper_ids import is_reserved_name
from paperfeed.sources import SOURCES, Options, Source, SourceURLs, Value

_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,49}")
CACHE_DIR = ".paperfeed-cache"  # beside mkdocs.yml; .gitignore and nightly.yml name it too

# The keys every listing takes, whatever its source, and what each expects. A source's own
# keys (query, category, date, ...) are declared in its module under paperfeed/sources/.
COMMON_KEYS: dict[str, tuple[type, str]] = {
    "name": (str, "the listing's name"),
    "source": (str, "the name of a source"),
    "title": (str, "the listing's title as text"),
    "url": (str, "a URL or a path, as text"),
    "include": (tuple, "a list of words"),
    "exclude": (tuple, "a list of words"),
    "backfill_days": (int, "a whole number of days, 0 or more"),
    "digest": (str, "daily or weekly"),
    "authors": (tuple, "a list of author names"),
    "require_code": (bool, "true or false"),
}


@dataclass(frozen=True, init=False)
class ListingConfig:
    """One followed listing. `name` names its feed and its site section; `options` holds the
    values of its source's own keys, defaults filled in."""

    name: str
    source: str
    title: str
    url: str  # an explicit URL or local path; otherwise built by the source
    include: tuple[str, ...]  # keep only papers whose title or abstract has one of these
    exclude: tuple[str, ...]  # drop papers whose title or abstract has one of these
    backfill_days: int  # past days fetched one by one on the listing's first run (0: none)
    digest: str  # "daily" or "weekly": also a feed with one entry per closed day or week
    authors: tuple[str, ...]  # keep only papers by one of these people (see authors.py)
    require_code: bool  # keep only papers with a code link (see enrich.py)
    options: Options

    def __init__(
        self,
        name: str,
        source: str,
        *,
        title: str = "",
        url: str = "",
        include: tuple[str, ...] = (),
        exclude: tuple[str, ...] = (),
        backfill_days: int | None = None,  # None: the source's default for these options
        digest: str = "",
        authors: tuple[str, ...] = (),
        require_code: bool = False,
        **options: Value,
    ) -> None:
        spec = SOURCES.get(source)
        if spec is None:
            raise ValueError(f"not a source: {source!r}")
        unknown = sorted(set(options) - set(spec.defaults))
        if unknown:
            raise ValueError(f"a {source} listing takes no {', '.join(unknown)}")
        values = Options.of({**spec.defaults, **options})
        given = {
            "name": name,
            "source": source,
            "title": title,
            "url": url,
            "include": tuple(include),
            "exclude": tuple(exclude),
            "backfill_days": spec.default_backfill(values, url) if backfill_days is None else backfill_days,
            "digest": digest,
            "authors": tuple(authors),
            "require_code": require_code,
            "options": values,
        }
        for key, value in given.items():  # frozen: set once, here
            object.__setattr__(self, key, value)

    @property
    def label(self) -> str:
        return self.title or self.name

    @property
    def followed(self) -> tuple[Name, ...]:
        """The followed authors' names, parsed for matching."""
        return tuple(name for author in self.authors if (name := parse_name(author)) is not None)

    @property
    def spec(self) -> Source:
        """What the listing's source declares."""
        return SOURCES[self.source]


@dataclass(frozen=True)
class ForYou:
    """Ranking by what the site's owner liked (for_you.py). Without a likes file there is no
    ranking, no For-you page and no For-you feed."""

    likes: Path | None = None  # a likes file: ids, links or titles a line, or a BibTeX export
    dislikes: Path | None = None  # the same, for papers the owner does not want more of
    threshold: float = 0.0  # a paper scoring above it is "for you": marked, and in the feed
    per_night: int = 0  # also the best N of each night, whatever their scores (0: none)
    like_link: bool = False  # a Like link on paper pages: a prefilled issue the like workflow reads


# extra.paperfeed.for_you: key -> (types accepted, what it expects).
_FOR_YOU: dict[str, tuple[tuple[type, ...], str]] = {
    "likes": ((str,), "the path of a likes file, relative to mkdocs.yml"),
    "dislikes": ((str,), "the path of a dislikes file, relative to mkdocs.yml"),
    "threshold": ((int, float), "a number (scores above 0 lean to what you liked)"),
    "per_night": ((int,), "a whole number of papers, 0 or more"),
    "like_link": ((bool,), "true or false"),
}


def _of_kind(value: Any, kinds: tuple[type, ...]) -> bool:
    """isinstance, except that true and false are not numbers."""
    return isinstance(value, kinds) and (bool in kinds or not isinstance(value, bool))


def _for_you(raw: Any, root: Path, errors: list[str]) -> ForYou:
    if not isinstance(raw, dict):
        errors.append("extra.paperfeed.for_you: expected a mapping such as {likes: likes.txt}")
        return ForYou()
    values: dict[str, Any] = {}
    value: Any
    for key, value in raw.items():
        if key not in _FOR_YOU:
            errors.append(f"extra.paperfeed.for_you.{key}: unknown key; known keys: {', '.join(_FOR_YOU)}")
            continue
        kinds, expected = _FOR_YOU[key]
        if not _of_kind(value, kinds) or (key == "per_night" and value < 0) or value == "":
            errors.append(f"extra.paperfeed.for_you.{key}: expected {expected}, got {value!r}")
            continue
        values[key] = root / value if key in ("likes", "dislikes") else value
    if values.get("dislikes") and not values.get("likes"):
        errors.append("extra.paperfeed.for_you.dislikes: needs a likes file too (for_you.likes)")
    if "threshold" in values:
        values["threshold"] = float(values["threshold"])
    return ForYou(**values)


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
    keep_raw: int = 30  # raw responses kept per listing in the cache folder, newest first
    tag_min_papers: int = 2  # a tag gets a page and a feed once this many papers carry it
    feed_math: str = "text"  # math in feed entries: "text" (Unicode, else TeX) or "mathml"
    digest: str = ""  # "daily" or "weekly": a digest feed of everything, beside the combined feed
    find_code: bool = True  # look for code links of new arXiv papers (code_links.py)
    for_you: ForYou = field(default_factory=ForYou)
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

    @property
    def cache_dir(self) -> Path:
        """Local state that is not the archive (raw responses, HTTP validators, the model's
        features): git ignores it and the nightly workflow keeps it in the Actions cache, so
        its path is fixed."""
        return self.root / CACHE_DIR

    def listing(self, name: str) -> ListingConfig | None:
        return next((item for item in self.listings if item.name == name), None)


# What each key of extra.paperfeed takes: (type, description for messages).
_TOP = {
    "feed_entries": (int, "a whole number of feed entries, at least 1"),
    "home_papers": (int, "a whole number of papers on the home page, at least 1"),
    "page_size": (int, "a whole number of papers per index page, at least 10"),
    "keep_raw": (int, "a whole number of raw responses to keep, 0 or more"),
    "tag_min_papers": (int, "a whole number of papers, at least 1"),
    "feed_math": (str, "text or mathml: how feed entries carry math"),
    "digest": (str, "daily or weekly: the cadence of a digest feed of every paper"),
    "find_code": (bool, "true or false: look for code links of new papers"),
    "for_you": (dict, "a mapping of For-you settings, such as {likes: likes.txt}"),
    "site_budget_mb": (float, "the site's size limit in MB, at least 1 (GitHub Pages allows 1000)"),
    "listings": (list, "a list of listings"),
    "sources": (dict, "a mapping of source base URLs"),
    "data_dir": (str, "the archive folder, relative to mkdocs.yml"),
}


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


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _value_problem(value: Any, kind: type, meaning: str) -> str:
    """The complaint about `value` when it is not of `kind` ("expected ..., got ..."), else ""."""
    return "" if _check(value, kind) else f"expected {meaning}, got {value!r}"


def _listing_values(raw: dict[str, Any], spec: Source | None, where: str, errors: list[str]) -> dict[str, Any]:
    """The listing's keys whose values have the right type and pass their source's check."""
    values: dict[str, Any] = {}
    for key, value in raw.items():
        declared = spec.key(key) if spec is not None else None
        if key in COMMON_KEYS:
            kind, meaning = COMMON_KEYS[key]
            problem = _value_problem(value, kind, meaning)
            if not problem and key == "backfill_days" and value < 0:
                problem = f"{value} is too small (at least 0)"
        elif declared is not None:
            problem = _value_problem(value, declared.kind, declared.meaning)
            if not problem and declared.check is not None:
                problem = declared.check(tuple(value) if declared.kind is tuple else value)
        elif spec is not None:
            known = ", ".join([*COMMON_KEYS, *(k.name for k in spec.keys)])
            listing = f"{_article(spec.name)} {spec.name} listing"
            errors.append(f"{where}.{key}: unknown key for {listing}; known keys: {known}")
            continue
        else:
            continue  # an unknown source is reported once; its keys cannot be judged
        if problem:
            errors.append(f"{where}.{key}: {problem}")
        else:
            values[key] = tuple(value) if isinstance(value, list) else value
    return values


def _needs(spec: Source, raw: dict[str, Any], values: dict[str, Any], where: str, errors: list[str]) -> None:
    """What a listing of `spec` must give, and a key it gave that its source cannot honour."""
    listing = f"{_article(spec.name)} {spec.name} listing"
    url = values.get("url", "")
    if spec.url is None and "url" not in raw:
        errors.append(f"{where}.url: {listing} needs the path or URL of its listing file")
    for key in spec.keys:
        if key.required and key.name not in raw and not url:
            errors.append(f"{where}.{key.name}: {listing} needs {key.meaning} (or a url)")
    options = Options.of({**spec.defaults, **{k: v for k, v in values.items() if k in spec.defaults}})
    if values.get("backfill_days", 0) > 0 and not spec.has_history(options, url):
        why = "with a url" if url else "like this one"
        errors.append(f"{where}.backfill_days: {listing} {why} keeps no history to backfill; remove the key")


def _listing(raw: Any, where: str, errors: list[str]) -> ListingConfig | None:
    if not isinstance(raw, dict):
        errors.append(f"{where}: expected a mapping with at least name and source")
        return None
    source = raw.get("source")
    spec = SOURCES.get(source) if isinstance(source, str) else None
    values = _listing_values(raw, spec, where, errors)
    for key in ("name", "source"):
        if key not in raw:
            errors.append(f"{where}.{key}: missing; every listing needs a name and a source")
    name = values.get("name")
    if isinstance(name, str) and (problem := _name_problem(name)):
        errors.append(f"{where}.name: {name!r} {problem}")
        values.pop("name")
    if isinstance(source, str) and spec is None:
        errors.append(f"{where}.source: {source!r} is not a source; use one of: {', '.join(SOURCES)}")
    if spec is None:
        return None
    _needs(spec, raw, values, where, errors)
    if values.get("digest", "daily") not in ("daily", "weekly"):
        errors.append(f"{where}.digest: {values['digest']!r}; use daily or weekly")
        values.pop("digest")
    if "name" not in values:
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
        if (
            not _check(value, kind)
            or (key in _MINIMUM and value < _MINIMUM[key])
            or (key in _CHOICES and value not in _CHOICES[key])
        ):
            errors.append(f"extra.paperfeed.{key}: expected {description}, got {value!r}")
            continue
        values[key] = value
    return values


_CHOICES = {"feed_math": ("text", "mathml"), "digest": ("daily", "weekly")}
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
    known = {spec.server.key for spec in SOURCES.values() if spec.server is not None}
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
    for_you = _for_you(values.pop("for_you", {}), config_path.parent, errors)
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
        for_you=for_you,
        sources=sources,
        config_path=config_path,
        data_dir=folders["data_dir"],
        docs_dir=folders.get("docs_dir", config_path.parent / "docs"),
        site_dir=folders.get("site_dir", config_path.parent / "site"),
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
