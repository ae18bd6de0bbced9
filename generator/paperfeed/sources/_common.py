"""Helpers the payload parsers share: typed field access, dates, links and safe XML.

Nothing here does I/O. Every failure is a SourceError naming the payload's origin.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import quote
from xml.etree import ElementTree

from paperfeed.errors import SourceError
from paperfeed.text import clean

T = TypeVar("T")


def get(obj: Mapping[str, Any], key: str, kind: type[T]) -> T | None:
    """`obj[key]` when it is a `kind`, else None: a wrong type counts as missing.

    A bool is not taken for an int, and an empty or blank string counts as missing.
    """
    value = obj.get(key)
    if kind is int and isinstance(value, bool):
        return None
    if not isinstance(value, kind):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def texts(values: Any) -> tuple[str, ...]:
    """The cleaned, non-empty strings of a list, in order and without repeats; items of
    another type are left out, and anything but a list gives ()."""
    if not isinstance(values, list):
        return ()
    cleaned = (clean(item) for item in values if isinstance(item, str))
    return tuple(dict.fromkeys(item for item in cleaned if item))


def iso_day(value: str | None) -> date | None:
    """The UTC day of an ISO 8601 time or date ("2026-06-12T00:00:00.000Z"), or None."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
    return parsed.date()


def rfc822_day(value: str | None) -> date | None:
    """The day an RFC 822 date ("Thu, 24 Sep 2026 00:00:00 -0400") names, in its own zone."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value.strip()).date()
    except (TypeError, ValueError, IndexError):
        return None


_HTTP_URL = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)


def http_url(value: str | None) -> str | None:
    """`value` when it is one plain http(s) URL (so never javascript: or data:), else None."""
    if not value:
        return None
    value = value.strip()
    return value if _HTTP_URL.fullmatch(value) else None


_DOI = re.compile(r"10\.\d{4,9}/\S+")


def doi_url(value: str | None) -> str | None:
    """The https://doi.org/ link for the first DOI in `value`, or None."""
    if not value:
        return None
    match = _DOI.search(value)
    if not match:
        return None
    return "https://doi.org/" + quote(match.group(0), safe="/:;()[]._-~")


def load_json(data: bytes, origin: str, what: str) -> Any:
    """Decode a JSON payload; an unreadable one is a one-line SourceError."""
    try:
        return json.loads(data)
    except UnicodeDecodeError:
        raise SourceError(f"{origin}: {what} is not UTF-8 JSON; the source's format may have changed") from None
    except (ValueError, RecursionError) as err:
        detail = str(err).split("\n")[0][:120]
        raise SourceError(
            f"{origin}: {what} is not valid JSON ({detail}); the source may have answered "
            "with an error page, try again later or check the URL in a browser"
        ) from None


def json_head(data: bytes) -> bytes:
    """The start of a payload with a BOM and leading whitespace removed, for sniffing."""
    return data[:4096].removeprefix(b"\xef\xbb\xbf").lstrip()


class _RefusedDoctype(Exception):
    pass


class _TreeBuilder(ElementTree.TreeBuilder):
    """Builds the tree, refusing any DOCTYPE the moment it starts: no DTD means no entity
    can be declared, so none is ever expanded (billion laughs) or fetched (XXE); an
    undeclared entity is a parse error. No feed paperfeed reads carries a DOCTYPE."""

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise _RefusedDoctype(name)


def xml_root(data: bytes, origin: str, what: str) -> ElementTree.Element:
    """Parse XML safely; malformed XML or a DOCTYPE is a one-line SourceError."""
    parser = ElementTree.XMLParser(target=_TreeBuilder())  # noqa: S314 - DOCTYPEs refused above
    try:
        parser.feed(data)
        root = parser.close()
    except _RefusedDoctype:
        raise SourceError(f"{origin}: {what} carries a DOCTYPE, which paperfeed refuses; check the URL") from None
    except (ElementTree.ParseError, ValueError, LookupError) as err:  # LookupError: an unknown encoding
        detail = str(err).split("\n")[0][:120]
        raise SourceError(
            f"{origin}: {what} is not well-formed XML ({detail}); the source may have answered "
            "with an error page, try again later or check the URL in a browser"
        ) from None
    return root


def xml_head_root(data: bytes) -> bytes:
    """The name (with any prefix) of the first element of an XML payload, for sniffing."""
    match = re.search(rb"<([A-Za-z_][\w.:-]*)", re.sub(rb"<[?!][^>]*>", b"", json_head(data)))
    return match.group(1) if match else b""


def split_tag(tag: str) -> tuple[str, str]:
    """("namespace", "local") of an ElementTree tag such as "{http://...}entry"."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def element_text(element: ElementTree.Element | None) -> str:
    """The cleaned text of an element and its children, or "" when there is none."""
    if element is None:
        return ""
    return clean("".join(element.itertext()))
