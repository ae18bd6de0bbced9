"""The one clock: resolved once by the CLI and passed down, so runs can be reproduced."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from paperfeed.errors import PaperfeedError


def parse_instant(text: str, *, where: str) -> datetime:
    """Parse an ISO 8601 instant; a naive one is taken as UTC. Returns an aware UTC datetime."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC).replace(microsecond=0)
    except (ValueError, OverflowError):  # OverflowError: year 1 or 9999 moved across midnight
        raise PaperfeedError(f"{where}: {text!r} is not an ISO 8601 time; write it like 2026-11-27T06:17:00Z") from None
    return _in_range(value, where)


# Archive files are named by four-digit year and month; times outside these years cannot be stored.
_YEARS = range(1000, 10_000)


def _in_range(value: datetime, where: str) -> datetime:
    if value.year not in _YEARS:
        raise PaperfeedError(f"{where}: {format_instant(value)} is outside the years 1000-9999; give a real time")
    return value


def resolve_now(explicit: str | None = None, environ: dict[str, str] | None = None) -> datetime:
    """`--now` wins, then SOURCE_DATE_EPOCH, then the wall clock (UTC, whole seconds)."""
    env = os.environ if environ is None else environ
    if explicit:
        return parse_instant(explicit, where="--now")
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            now = datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError):
            raise PaperfeedError(
                f"SOURCE_DATE_EPOCH: {epoch!r} is not a whole number of seconds since 1970; "
                "unset it or give e.g. 1764224220"
            ) from None
        return _in_range(now, "SOURCE_DATE_EPOCH")
    return datetime.now(tz=UTC).replace(microsecond=0)


def format_instant(value: datetime) -> str:
    """The archive's one spelling of an instant: 2026-11-27T06:17:00Z."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
