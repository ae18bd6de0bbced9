"""Checks every test applies to an Atom feed: the RFC 4287 schema and a real client."""

from __future__ import annotations

import functools

import feedparser
from lxml import etree

from harness import ATOM_SCHEMA

ATOM = "{http://www.w3.org/2005/Atom}"


@functools.cache
def atom_schema() -> etree.RelaxNG:
    """The RFC 4287 schema, parsed once (property tests validate hundreds of feeds)."""
    return etree.RelaxNG(etree.parse(str(ATOM_SCHEMA)))


def validate_atom(data: bytes) -> feedparser.FeedParserDict:
    """Validate against tests/schemas/atom.rng and read with feedparser; return the parse."""
    schema = atom_schema()
    document = etree.fromstring(data)
    assert schema.validate(document), schema.error_log.last_error
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    ids = [entry.id for entry in parsed.entries]
    assert len(ids) == len(set(ids)), "entry ids must be unique"
    for entry in parsed.entries:
        assert entry.get("title") and entry.get("link") and entry.get("updated")
        assert entry.get("summary") or entry.get("content")
    return parsed
