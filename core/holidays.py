"""Vietnamese public holidays, Tết by the lunar calendar, from the `holidays` package."""

from datetime import date
from functools import lru_cache

import holidays

# The `holidays` package names its languages by its own codes.
_LANGUAGES = {"vi": "vi", "en": "en_US"}


class VietnamHolidays:
    """Answers whether a date is a public holiday in Vietnam, and its name."""

    def is_holiday(self, day: date) -> bool:
        return day in _holidays_of(day.year, "vi")

    def name(self, day: date, language: str) -> str | None:
        found: str | None = _holidays_of(day.year, _LANGUAGES.get(language, "vi")).get(day)
        return found


@lru_cache(maxsize=64)
def _holidays_of(year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year, language=language)
