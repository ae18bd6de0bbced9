"""Listing sources and payload formats, one module each. None of them does I/O.

Every public module of this package declares a `SOURCE` (what a listing's `source:` names:
its keys, its URL, its history) and usually the `FORMAT` it reads (how to detect a payload
and parse it into papers); see _types.py. They are found here by themselves, so adding a
source is adding a module. `parse_listing` picks a format by name or by sniffing the bytes.
"""

from __future__ import annotations

import importlib
import pkgutil

from paperfeed.errors import ListingError
from paperfeed.model import Paper
from paperfeed.sources._types import Format, History, Key, Options, Server, Source, SourceURLs, Value

__all__ = [
    "FORMATS",
    "SOURCES",
    "Format",
    "History",
    "Key",
    "Options",
    "Server",
    "Source",
    "SourceURLs",
    "Value",
    "detect_format",
    "get_format",
    "parse_listing",
]


def _discover() -> tuple[dict[str, Format], dict[str, Source]]:
    """Every FORMAT and SOURCE declared by the package's public modules. Formats are in
    detection order: by module name, the fallback (plain text) last."""
    formats: list[Format] = []
    sources: dict[str, Source] = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda found: found.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        fmt, source = getattr(module, "FORMAT", None), getattr(module, "SOURCE", None)
        if not isinstance(fmt, Format | None) or not isinstance(source, Source | None) or (fmt, source) == (None, None):
            raise TypeError(f"{module.__name__} must declare a SOURCE (a Source) and/or a FORMAT (a Format)")
        if fmt is not None:
            formats.append(fmt)
        if source is not None:
            if source.name in sources:
                raise TypeError(f"{module.__name__}: a source named {source.name!r} exists already")
            sources[source.name] = source
    by_name = {fmt.name: fmt for fmt in sorted(formats, key=lambda fmt: fmt.fallback)}
    if len(by_name) != len(formats):
        raise TypeError("two source modules declare formats of the same name")
    return by_name, sources


FORMATS, SOURCES = _discover()


def detect_format(data: bytes, origin: str) -> str:
    """The name of the first format whose detector accepts `data`."""
    for fmt in FORMATS.values():
        if fmt.detect(data):
            return fmt.name
    raise ListingError(
        f"{origin}: cannot tell what kind of listing this is: neither UTF-8 text whose first line is a title "
        "(not starting with '<', '[' or '{') nor a payload of a format paperfeed reads (paperfeed parse "
        "--help lists them); check the file"
    )


def get_format(data: bytes, origin: str, format_name: str | None = None) -> Format:
    """The named format, or the detected one."""
    name = format_name or detect_format(data, origin)
    if name not in FORMATS:
        raise ListingError(f"{origin}: unknown format {name!r}; use one of: {', '.join(FORMATS)}")
    return FORMATS[name]


def parse_listing(data: bytes, origin: str, format_name: str | None = None) -> list[Paper]:
    """Parse a listing's bytes with the named format, or the detected one."""
    return get_format(data, origin, format_name).parse(data, origin)[0]
