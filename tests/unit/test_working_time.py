"""Deadlines in working time: lunch breaks, weekends and public holidays are not counted."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.holidays import VietnamHolidays
from core.working_time import WorkingHours, day_hours, parse_periods
from tests.support import FakeHolidays

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
PERIODS = parse_periods("07:30-11:30,13:30-17:30")
WEEK = frozenset(range(5))


def hours(holidays: object = None) -> WorkingHours:
    return WorkingHours(PERIODS, WEEK, holidays or FakeHolidays())  # type: ignore[arg-type]


def at(day: int, hour: int, minute: int = 0, month: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZONE)


@pytest.mark.parametrize(
    ("start", "add", "expected"),
    [
        (at(1, 8), 2, at(1, 10)),  # inside the morning
        (at(1, 10), 2, at(1, 14)),  # across lunch
        (at(1, 12), 1, at(1, 14, 30)),  # filed at lunch: counted from 13:30
        (at(1, 6), 1, at(1, 8, 30)),  # filed before opening
        (at(1, 19), 1, at(2, 8, 30)),  # filed after closing
        (at(4, 16), 8, at(7, 16)),  # Friday afternoon: the weekend is skipped
        (at(5, 10), 1, at(7, 8, 30)),  # filed on Saturday
        (at(1, 7, 30), 24, at(3, 17, 30)),  # exactly three working days
    ],
)
def test_working_hours_are_added(start: datetime, add: float, expected: datetime) -> None:
    assert hours().add(start, add, ZONE) == expected


def test_a_holiday_is_not_a_working_day() -> None:
    holiday = FakeHolidays({date(2026, 12, 2): "Ward day"})
    assert hours(holiday).add(at(1, 17), 1, ZONE) == at(3, 8)


def test_tet_is_skipped_by_the_real_calendar() -> None:
    # Tết 2027 falls on Saturday 6 February; the public holidays run into the next week.
    real = hours(VietnamHolidays())
    before = datetime(2027, 2, 5, 17, 0, tzinfo=ZONE)
    due = real.add(before, 1, ZONE)
    assert due.date() > date(2027, 2, 10)
    assert not VietnamHolidays().is_holiday(due.date())


def test_a_working_day_has_eight_hours() -> None:
    assert day_hours(PERIODS) == 8


@pytest.mark.parametrize("text", ["17:00-08:00", "08:00-12:00,11:00-13:00", "8h-12h"])
def test_bad_periods_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_periods(text)
