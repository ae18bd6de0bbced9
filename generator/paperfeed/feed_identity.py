"""The feed identity: the tag URI authority and date that prefix every entry id.

RFC 4151 tag URIs stay valid when the site moves: they are minted once, from the site's host
and the day of the first run, stored in data/identity.json and never derived again.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from paperfeed.errors import ArchiveError

IDENTITY_FILE = "identity.json"


@dataclass(frozen=True)
class Identity:
    authority: str  # a DNS name or email address the site's owner had when minting
    date: str  # YYYY-MM-DD, the day the authority was used

    def entry_id(self, record_id: str) -> str:
        return f"tag:{self.authority},{self.date}:paper/{record_id}"

    def digest_id(self, feed_name: str, period: str) -> str:
        return f"tag:{self.authority},{self.date}:digest/{feed_name}/{period}"

    def feed_id(self, feed_name: str) -> str:
        return f"tag:{self.authority},{self.date}:feed/{feed_name}"


def mint(site_url: str, now: datetime) -> Identity:
    host = (urlsplit(site_url).hostname or "").lower()
    if not re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", host):
        host = "paperfeed.invalid"  # a local address is nobody's: fall back to a reserved name
    return Identity(authority=host, date=now.date().isoformat())


def load_identity(data_dir: Path) -> Identity | None:
    path = data_dir / IDENTITY_FILE
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text("utf-8"))
        identity = Identity(authority=str(raw["authority"]), date=str(raw["date"]))
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ArchiveError(f"{path}: unreadable feed identity ({err}); restore it from git") from None
    if not re.fullmatch(r"[A-Za-z0-9.@-]+", identity.authority) or not re.fullmatch(
        r"\d{4}-\d{2}-\d{2}", identity.date
    ):
        raise ArchiveError(f"{path}: authority or date malformed; restore it from git")
    return identity


def identity_text(identity: Identity) -> str:
    return json.dumps({"authority": identity.authority, "date": identity.date}, indent=2, sort_keys=True) + "\n"


def save_identity(data_dir: Path, identity: Identity) -> None:
    path = data_dir / IDENTITY_FILE
    temp = path.with_suffix(".json.tmp")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        temp.write_text(identity_text(identity), "utf-8")
        os.replace(temp, path)
    except OSError as err:
        raise ArchiveError(f"{path}: cannot write the feed identity: {err.strerror}") from None
