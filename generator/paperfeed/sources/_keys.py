"""Listing keys several sources take, and the pieces of URL they build from them.

A source module lists the keys it takes in its SOURCE; the ones shared by more than one
source are defined here once, so they mean and check the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from urllib.parse import quote, urlencode

from paperfeed.errors import SourceError
from paperfeed.sources._types import Key, Value

# A `date` is one of these rules or a day written YYYY-MM-DD (UTC, from the run's clock).
DATE_RULES = ("today", "yesterday", "week", "month")


def _real_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _date_problem(value: Value) -> str:
    if value in DATE_RULES or (isinstance(value, str) and _real_day(value)):
        return ""
    return f"{value!r} is not a day; use one of {', '.join(DATE_RULES)} or a real day as YYYY-MM-DD"


def _at_least(minimum: int) -> Callable[[Value], str]:
    def check(value: Value) -> str:
        return f"{value} is too small (at least {minimum})" if isinstance(value, int) and value < minimum else ""

    return check


def not_blank(value: Value) -> str:
    return "is blank" if isinstance(value, str) and not value.strip() else ""


DATE = Key("date", "today", "today, yesterday, week, month or a day as YYYY-MM-DD", check=_date_problem)
SORT = Key("sort", "", "a sort order such as trending")
LIMIT = Key("limit", 100, "a whole number of papers per request, at least 1", check=_at_least(1))
QUERY = Key("query", "", "a query", required=True, check=not_blank)
MIN_UPVOTES = Key("min_upvotes", 0, "a whole number of upvotes, 0 or more", check=_at_least(0))


def follows_the_present(rule: str) -> bool:
    """Whether a `date` rule moves with the clock (today, yesterday, ...) rather than naming
    one fixed day: only such a listing backfills by default."""
    return rule in DATE_RULES


def day_of(rule: str, now: datetime) -> date:
    """The day a `date` rule names: today or yesterday (UTC, from the run's clock), or a date;
    `week` and `month` name the week or month of today."""
    if rule in ("today", "week", "month"):
        return now.date()
    if rule == "yesterday":
        return now.date() - timedelta(days=1)
    day = _real_day(rule)
    if day is None:
        raise SourceError(f"date {rule!r} is not a real day; use today, yesterday, week, month or YYYY-MM-DD")
    return day


def period(rule: str, now: datetime) -> tuple[str, str]:
    """("date", "2026-11-27"), ("week", "2026-W48") or ("month", "2026-11")."""
    day = day_of(rule, now)
    if rule == "week":
        year, week, _ = day.isocalendar()
        return "week", f"{year}-W{week:02d}"
    if rule == "month":
        return "month", f"{day:%Y-%m}"
    return "date", day.isoformat()


def query_string(params: dict[str, str | int]) -> str:
    """A URL query of the non-empty parameters. ':' and '+' stay readable: arXiv reads
    "cat:cs.LG" and "+" as a space, as in its documentation."""
    return urlencode({k: v for k, v in params.items() if v != ""}, quote_via=quote, safe=":+")
