"""Small fakes shared by the tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = now

    def now(self) -> datetime:
        return self._now

    def move(self, by: timedelta) -> None:
        self._now += by


class FakeHolidays:
    """Holidays given by the test, with names, instead of the real Vietnamese calendar."""

    def __init__(self, days: dict[date, str] | None = None) -> None:
        self.days = days or {}

    def is_holiday(self, day: date) -> bool:
        return day in self.days

    def name(self, day: date, language: str) -> str | None:
        return self.days.get(day)
