"""Reading the report's period and comparison from request or command-line values."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from servicedesk.feedback.report import Period

__all__ = ["PeriodError", "comparison", "period_or_year"]


class PeriodError(ValueError):
    """A period that ends before it starts, or a comparison given by half."""


def period_or_year(start: date | None, end: date | None, timezone: str) -> Period:
    """Return the period given, defaulting to the current calendar year."""
    today = datetime.now(ZoneInfo(timezone)).date()
    first = start or date(today.year, 1, 1)
    last = end or date(first.year, 12, 31)
    if last < first:
        raise PeriodError(f"The period ends ({last}) before it starts ({first})")
    return Period(first, last)


def comparison(start: date | None, end: date | None) -> Period | None:
    """Return the comparison period, or None when neither end is given."""
    if start is None and end is None:
        return None
    if start is None or end is None:
        raise PeriodError("A comparison period needs both its first and its last date")
    if end < start:
        raise PeriodError(f"The comparison period ends ({end}) before it starts ({start})")
    return Period(start, end)
