"""Working hours: when a ward's office works, and deadlines counted in working time."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.holidays import VietnamHolidays


@dataclass(frozen=True)
class WorkingHours:
    """The periods of a working day (local time), the weekdays worked (0 = Monday), and the
    public holidays, on which nobody works."""

    periods: tuple[tuple[time, time], ...]
    weekdays: frozenset[int]
    holidays: VietnamHolidays

    def works_on(self, day: date) -> bool:
        return day.weekday() in self.weekdays and not self.holidays.is_holiday(day)

    def add(self, start: datetime, hours: float, zone: ZoneInfo) -> datetime:
        """The instant `hours` of working time after `start` (an aware datetime)."""
        if not self.periods or not self.weekdays:
            raise ValueError("a working week needs at least one period and one day")
        left = timedelta(hours=hours)
        local = start.astimezone(zone)
        day = local.date()
        for _ in range(3660):  # ten years of days: more than any target needs
            if self.works_on(day):
                for begin, end in self.periods:
                    opens = datetime.combine(day, begin, zone)
                    closes = datetime.combine(day, end, zone)
                    since = max(opens, local)
                    if since >= closes:
                        continue
                    if since + left <= closes:
                        return since + left
                    left -= closes - since
            day += timedelta(days=1)
        raise ValueError(f"no working time found within ten years of {start}")


def parse_periods(text: str) -> tuple[tuple[time, time], ...]:
    """`07:30-11:30,13:30-17:30` → the periods, each starting before it ends, in order."""
    periods = []
    for part in text.split(","):
        begin, _, end = part.strip().partition("-")
        start, stop = time.fromisoformat(begin.strip()), time.fromisoformat(end.strip())
        if start >= stop:
            raise ValueError(f"the period {part.strip()} ends before it starts")
        periods.append((start, stop))
    periods.sort()
    for (_, previous_end), (start, _) in itertools.pairwise(periods):
        if start < previous_end:
            raise ValueError("working periods overlap")
    return tuple(periods)


def day_hours(periods: tuple[tuple[time, time], ...]) -> float:
    """How long a working day of these periods is, in hours."""
    return sum(
        (end.hour * 60 + end.minute - start.hour * 60 - start.minute) / 60
        for start, end in periods
    )
