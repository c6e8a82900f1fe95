"""Dates and times as officers type them: day first, the Vietnamese habit, or ISO."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

# 5/12, 05/12/2026, 5-12-2026, 5.12.26: day, month and an optional year.
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(\d{1,2})[:h](\d{2})")
# A day typed without its year that lies further back than this is next year's: in December,
# officers arrange the collections of Tết.
_BEHIND = timedelta(days=60)


def parse_day(text: str, today: date) -> date | None:
    """The day typed as `5/12`, `05/12/2026`, `5-12-2026` or `2026-12-05`, else None.

    Without a year, the day is in `today`'s year, unless that lies more than two months back:
    then it is next year's.
    """
    text = text.strip()
    yearless = False
    if found := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in found.groups())
    elif found := _DAY_FIRST.fullmatch(text):
        day, month = int(found[1]), int(found[2])
        yearless = found[3] is None
        year = today.year if yearless else int(found[3])
        if not yearless and len(found[3]) == 2:
            year += today.year // 100 * 100
    else:
        return None
    try:
        typed = date(year, month, day)
        if yearless and typed < today - _BEHIND:
            typed = date(year + 1, month, day)
    except ValueError:
        return None
    return typed


def parse_time(text: str) -> time | None:
    """A time of day typed `07:00`, `7:00` or `7h00`, else None."""
    found = _TIME.fullmatch(text.strip())
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        return None
    return time(int(found[1]), int(found[2]))


def parse_moment(day_text: str, time_text: str, today: date) -> datetime | None:
    """A day and a time of day, typed apart, as a naive local time; else None."""
    day, at = parse_day(day_text, today), parse_time(time_text)
    return None if day is None or at is None else datetime.combine(day, at)
