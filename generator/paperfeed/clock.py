"""The one clock: resolved once by the CLI and passed down, so runs can be reproduced."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from paperfeed.errors import PaperfeedError


def parse_instant(text: str, *, where: str) -> datetime:
    """Parse an ISO 8601 instant; a naive one is taken as UTC. Returns an aware UTC datetime."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise PaperfeedError(
            f"{where}: {text!r} is not an ISO 8601 time; write it like 2026-11-27T06:17:00Z"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0)


def resolve_now(explicit: str | None = None, environ: dict[str, str] | None = None) -> datetime:
    """`--now` wins, then SOURCE_DATE_EPOCH, then the wall clock (UTC, whole seconds)."""
    env = os.environ if environ is None else environ
    if explicit:
        return parse_instant(explicit, where="--now")
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError):
            raise PaperfeedError(
                f"SOURCE_DATE_EPOCH: {epoch!r} is not a whole number of seconds since 1970; "
                "unset it or give e.g. 1764224220"
            ) from None
    return datetime.now(tz=UTC).replace(microsecond=0)


def format_instant(value: datetime) -> str:
    """The archive's one spelling of an instant: 2026-11-27T06:17:00Z."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
