"""Days and times as officers type them: day first, or ISO."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from bot.chat.dates import parse_day, parse_moment, parse_time

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("5/12", date(2026, 12, 5)),
        ("05/12", date(2026, 12, 5)),
        ("05/12/2026", date(2026, 12, 5)),
        ("5-12-2026", date(2026, 12, 5)),
        ("5.12.2026", date(2026, 12, 5)),
        ("2026-12-05", date(2026, 12, 5)),
        ("31/12/2027", date(2027, 12, 31)),
        ("2/1/27", date(2027, 1, 2)),
        ("2/11", date(2026, 11, 2)),  # a few weeks back: this year's, refused as past
        ("17/2", date(2027, 2, 17)),  # months back: next year's (Tết, arranged in December)
    ],
)
def test_a_day_is_read_day_first_or_iso(typed: str, day: date) -> None:
    assert parse_day(typed, TODAY) == day


@pytest.mark.parametrize("typed", ["31/2", "2026-02-31", "13/13/2026", "tomorrow", "5/12/", ""])
def test_what_is_no_day_is_refused(typed: str) -> None:
    assert parse_day(typed, TODAY) is None


def test_times_are_read_with_a_colon_or_an_h() -> None:
    assert parse_time("07:00") == parse_time("7h00") == time(7, 0)
    assert parse_time("24:00") is None and parse_time("7") is None
    assert parse_moment("6/12", "7:30", TODAY) == datetime(2026, 12, 6, 7, 30)
