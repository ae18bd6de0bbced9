"""What a source module declares: its payload `Format`, its listing `Source`, the `Key`s a
listing of it takes, and the `Server` it talks to. Plain frozen records; nothing here does I/O.

A *format* is a kind of payload (the Daily Papers JSON, an arXiv Atom feed): how to recognise
its bytes and how to turn them into papers. A *source* is what a listing in mkdocs.yml names
(`source: hf-daily`): the keys it takes, the URL it reads and the format of what comes back.
A source names its format, so a format can serve several sources.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from paperfeed.model import Paper

Value = str | int | bool | tuple[str, ...]
Parser = Callable[[bytes, str], tuple[list[Paper], int]]


@dataclass(frozen=True)
class Key:
    """One setting a listing of a source takes, beyond the keys every listing takes.

    Its type is the type of its default (a tuple means a list of words). `meaning` finishes
    the sentence "a hf-search listing needs ..." and "expected ...", so it reads as a noun.
    """

    name: str
    default: Value
    meaning: str
    required: bool = False  # unless the listing gives a `url`
    check: Callable[[Value], str] | None = None  # what is wrong with a value of the right type, or ""

    @property
    def kind(self) -> type:
        return type(self.default)


@dataclass(frozen=True)
class Options:
    """A listing's values for its source's keys, each present (defaults filled in)."""

    values: tuple[tuple[str, Value], ...] = ()

    @classmethod
    def of(cls, values: Mapping[str, Value]) -> Options:
        return cls(tuple(sorted(values.items())))

    def get(self, name: str, default: Value) -> Value:
        return dict(self.values).get(name, default)

    def __contains__(self, name: object) -> bool:
        return any(key == name for key, _ in self.values)

    def __iter__(self) -> Iterator[tuple[str, Value]]:
        return iter(self.values)

    def _value(self, name: str) -> Value:
        return dict(self.values)[name]  # a KeyError here is a bug: the source did not declare it

    def text(self, name: str) -> str:
        value = self._value(name)
        if not isinstance(value, str):
            raise TypeError(f"option {name!r} is {value!r}, not text")
        return value

    def number(self, name: str) -> int:
        value = self._value(name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"option {name!r} is {value!r}, not a whole number")
        return value

    def flag(self, name: str) -> bool:
        value = self._value(name)
        if not isinstance(value, bool):
            raise TypeError(f"option {name!r} is {value!r}, not true or false")
        return value


@dataclass(frozen=True)
class Server:
    """A server sources read from. `key` names its base URL under extra.paperfeed.sources, so
    a fork or a test can point it elsewhere; `interval` is the pause its operators ask for
    between two requests, kept whenever the real server (the default's host) is asked."""

    key: str
    default: str
    interval: float = 0.0


class SourceURLs:
    """Base URLs set under extra.paperfeed.sources, by server key; the rest are the defaults."""

    __slots__ = ("_urls",)

    def __init__(self, **urls: str) -> None:
        self._urls = {key: url.rstrip("/") for key, url in urls.items()}

    def base(self, server: Server) -> str:
        return self._urls.get(server.key, server.default.rstrip("/"))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SourceURLs) and self._urls == other._urls

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._urls.items())))

    def __repr__(self) -> str:
        return f"SourceURLs({', '.join(f'{k}={v!r}' for k, v in sorted(self._urls.items()))})"


@dataclass(frozen=True)
class Format:
    """A kind of payload. `parse` returns the papers in the payload's order and the number of
    records it left out (withdrawn papers, replacements, unreadable entries); it raises a
    ListingError or SourceError naming the origin when the payload is unusable.

    `says_when_empty`: an empty payload (an empty JSON list, an RSS channel without items)
    means a quiet day, and a shape the parser does not know raises "format drifted". For the
    other formats zero papers may mean drift, so the caller checks.

    Its test cases live in tests/fixtures/sources/<name>/: each payload beside the papers it
    must give, `<case>.<ext>` and `<case>.expected.json`.
    """

    name: str
    detect: Callable[[bytes], bool]
    parse: Parser
    says_when_empty: bool
    fallback: bool = False  # tried after every other format: it accepts almost anything

    @property
    def fixtures(self) -> str:
        return f"tests/fixtures/sources/{self.name}"


def _always(options: Options) -> bool:
    return True


def _two_weeks(options: Options) -> int:
    return 14


@dataclass(frozen=True)
class History:
    """How a source reads the listing of a past day, so a new site can start with weeks of
    papers (a backfill).

    `url` builds the address of one day's listing; `last_day` is the newest day a backfill
    covers (the day the listing's own settings name); `applies` says whether a listing with
    these options has a history at all (Hugging Face's trending page has none);
    `default_days` is the listing's `backfill_days` when it sets none.
    """

    url: Callable[[Options, str, date], str]  # (options, base URL, day)
    last_day: Callable[[Options, datetime], date]
    applies: Callable[[Options], bool] = _always
    default_days: Callable[[Options], int] = _two_weeks


@dataclass(frozen=True)
class Source:
    """What a listing's `source:` names.

    `url` builds the listing's address from its options, its server's base URL and the run's
    clock; a source without one (plain text) reads the listing's own `url`. `format` is the
    payload it reads; None means the format is detected from the bytes.
    """

    name: str
    summary: str  # what a listing of it follows, in a few words
    format: Format | None
    keys: tuple[Key, ...] = ()
    server: Server | None = None
    url: Callable[[Options, str, datetime], str] | None = None  # (options, base URL, now)
    history: History | None = None  # None: the source shows only the present

    @property
    def defaults(self) -> dict[str, Value]:
        return {key.name: key.default for key in self.keys}

    def key(self, name: str) -> Key | None:
        return next((key for key in self.keys if key.name == name), None)

    def has_history(self, options: Options, url: str = "") -> bool:
        """Whether a listing with these options (and this explicit url) can read past days."""
        return self.history is not None and not url and self.history.applies(options)

    def default_backfill(self, options: Options, url: str = "") -> int:
        """The days a listing backfills on its first run when it does not say."""
        if self.history is None or not self.has_history(options, url):
            return 0
        return self.history.default_days(options)
