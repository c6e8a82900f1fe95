"""The collection calendar: when the truck comes to an alley, with exceptions and holidays.

Pure functions of an `AlleySchedule`, a holiday calendar and a span of time; no I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from core.model import AlleySchedule, CollectionRule, ExceptionAction, HolidayPolicy

# Tết can close a week or more in a row; a shifted collection never travels further than this.
MAX_SHIFT_DAYS = 14
# How far ahead `next_collections` looks before it gives up on an alley with no collections.
HORIZON_DAYS = 400


class Holidays(Protocol):
    def is_holiday(self, day: date) -> bool: ...


class Change(enum.StrEnum):
    """Why a collection differs from the alley's weekly rule."""

    MOVED = "moved"  # an exception moved it
    SHIFTED = "shifted"  # the ward's holiday policy moved it to the next working day
    SKIPPED = "skipped"  # an exception cancelled it
    HOLIDAY = "holiday"  # the ward's holiday policy cancelled it


@dataclass(frozen=True)
class Collection:
    """One truck visit; `at` is in the ward's time zone. Skipped ones are kept, marked."""

    alley_code: str
    at: datetime  # when the truck comes, or when its time window opens
    change: Change | None = None
    regular_day: date | None = None  # for a moved, shifted or skipped one: the day it left
    until: datetime | None = None  # the end of its time window, when it has one
    kinds: tuple[str, ...] = ()  # what it takes away; none named: whatever the ward collects

    @property
    def happens(self) -> bool:
        return self.change not in (Change.SKIPPED, Change.HOLIDAY)


def occurrences(
    schedule: AlleySchedule, first_day: date, last_day: date, holidays: Holidays
) -> list[Collection]:
    """Every collection on local days `first_day`..`last_day`, skipped ones included, in order."""
    tz = ZoneInfo(schedule.alley.ward.timezone)
    policy = schedule.alley.ward.holiday_policy
    exceptions = {e.on: e for e in schedule.exceptions}
    code = schedule.alley.code
    found: dict[datetime, Collection] = {}

    def keep(item: Collection) -> None:
        # Two visits at one instant (a shift landing on a regular day) are one visit; a visit
        # outranks a cancelled one there (a move onto a holiday or a skipped slot happens).
        if first_day <= item.at.date() <= last_day:
            held = found.get(item.at)
            if held is None or (item.happens and not held.happens):
                found[item.at] = item

    def visit(
        rule: CollectionRule, day: date, change: Change | None = None, regular: date | None = None
    ) -> Collection:
        at = datetime.combine(day, rule.at, tz)
        until = None if rule.until is None else datetime.combine(day, rule.until, tz)
        return Collection(code, at, change, regular, until, rule.kinds)

    for day in _days(first_day - timedelta(days=MAX_SHIFT_DAYS), last_day):
        if day in exceptions:
            continue
        for rule in schedule.rules:
            if not falls_on(rule, day):
                continue
            if policy is HolidayPolicy.NONE or not holidays.is_holiday(day):
                keep(visit(rule, day))
            elif policy is HolidayPolicy.SKIP:
                keep(visit(rule, day, Change.HOLIDAY, day))
            else:
                to = _next_working_day(day, holidays, exceptions)
                if to is not None:
                    keep(visit(rule, to, Change.SHIFTED, day))
                keep(visit(rule, day, Change.HOLIDAY, day))

    for exception in exceptions.values():
        regular = [rule for rule in schedule.rules if falls_on(rule, exception.on)]
        if exception.action is ExceptionAction.MOVE and exception.moved_to is not None:
            kinds = tuple(dict.fromkeys(k for rule in regular for k in rule.kinds))
            at = exception.moved_to.replace(tzinfo=tz)
            keep(Collection(code, at, Change.MOVED, exception.on, kinds=kinds))
        if exception.action is ExceptionAction.SKIP:
            for rule in regular:
                keep(visit(rule, exception.on, Change.SKIPPED, exception.on))

    return sorted(found.values(), key=lambda c: (c.at, not c.happens))


def collections_between(
    schedule: AlleySchedule, start: datetime, end: datetime, holidays: Holidays
) -> list[Collection]:
    """The collections that happen in `[start, end)`, in order."""
    tz = ZoneInfo(schedule.alley.ward.timezone)
    first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
    return [
        c
        for c in occurrences(schedule, first, last, holidays)
        if c.happens and start <= c.at < end
    ]


def next_collections(
    schedule: AlleySchedule, after: datetime, count: int, holidays: Holidays
) -> list[Collection]:
    """The next `count` collections strictly after `after` (fewer if the alley has none)."""
    found: list[Collection] = []
    window = timedelta(days=14)
    start = after + timedelta(microseconds=1)
    while len(found) < count and start - after < timedelta(days=HORIZON_DAYS):
        found += collections_between(schedule, start, start + window, holidays)
        start += window
    return found[:count]


def falls_on(rule: CollectionRule, day: date) -> bool:
    """Whether the rule brings the truck on this day (before holidays and exceptions)."""
    if day.weekday() not in rule.weekdays:
        return False
    if rule.starting is not None:
        if day < rule.starting:
            return False
        # Counted in whole weeks from the Monday of the start, so any weekday of it counts.
        if (day - _monday(rule.starting)).days // 7 % rule.every_weeks:
            return False
    if rule.of_month is not None:
        if rule.of_month < 0:
            return (day + timedelta(days=7)).month != day.month
        return (day.day - 1) // 7 + 1 == rule.of_month
    return True


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _next_working_day(
    day: date, holidays: Holidays, exceptions: Mapping[date, object]
) -> date | None:
    for offset in range(1, MAX_SHIFT_DAYS + 1):
        candidate = day + timedelta(days=offset)
        if not holidays.is_holiday(candidate) and candidate not in exceptions:
            return candidate
    return None
