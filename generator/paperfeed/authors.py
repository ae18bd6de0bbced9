"""Following authors: does a paper list one of the names a listing follows?

Names are compared as people write them, not as bytes: case, accents and TeX accents are
folded ("Schölkopf", "Sch\\"olkopf" and "Scholkopf" are one name), "Surname, Given" is read
as "Given Surname", and a given name may be written as its initial ("B. Schölkopf"). The
surname must match; each given name written on both sides must agree, in full or as an
initial; a followed name that is a surname alone matches every author of that surname.

Names are not identities: two people can share one, and only the name is compared.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from paperfeed.text import readable

_PARTS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Name:
    given: tuple[str, ...]  # folded given names or initials, in order
    surname: str  # the folded last part: "van der Maaten" -> "maaten"


@lru_cache(maxsize=1 << 14)
def parse_name(text: str) -> Name | None:
    """The folded parts of a name, or None when it holds no letters."""
    text = readable(text)
    if "," in text:  # "Schölkopf, Bernhard"
        surname, _, given = text.partition(",")
        text = f"{given} {surname}"
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    parts = _PARTS.findall(folded)
    if not parts:
        return None
    return Name(tuple(parts[:-1]), parts[-1])


def _agree(followed: str, written: str) -> bool:
    if len(followed) == 1 or len(written) == 1:
        return followed[0] == written[0]
    return followed == written


def same_person(followed: Name, author: Name) -> bool:
    """Whether an author's name can be the followed name (see the module's rules)."""
    if followed.surname != author.surname:
        return False
    return all(_agree(mine, theirs) for mine, theirs in zip(followed.given, author.given, strict=False))


def follows_any(followed: Iterable[Name], authors: Iterable[str]) -> bool:
    """Whether any of `authors` (as a paper lists them) is one of the followed names."""
    names = [name for author in authors if (name := parse_name(author)) is not None]
    return any(same_person(wanted, name) for wanted in followed for name in names)
