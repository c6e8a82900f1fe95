"""Rules beyond weekly, windows and kinds: from the seed file's words to the calendar."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.chat.i18n import Catalogues
from bot.features.bell.posters import collection_times
from core.calendar import collections_between, occurrences
from core.model import Alley, AlleySchedule, Bells, CollectionRule, HolidayPolicy, Ward
from core.reminders import Follower, reminders_between
from core.seeding import SeedError, parse_seed
from tests.support import FakeHolidays

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DAILY_7 = {"days": ["daily"], "time": "07:00"}


def seed(rule: dict[str, Any], **ward: Any) -> dict[str, Any]:
    alley = {"code": "hem-1", "name": "Hẻm 1", "collections": [rule]}
    return {"wards": [{"code": "w", "name": "Phường", "alleys": [alley], **ward}]}


def rules_of(rule: dict[str, Any]) -> tuple[CollectionRule, ...]:
    parsed = parse_seed(seed(rule))
    return tuple(r.rule() for r in parsed.wards[0].alleys[0].collections)


def days_of(rules: tuple[CollectionRule, ...], first: str, last: str) -> list[date]:
    ward = Ward(1, "w", "Phường", "Asia/Ho_Chi_Minh", HolidayPolicy.NONE)
    schedule = AlleySchedule(Alley(1, "hem-1", "Hẻm 1", ward), rules, ())
    found = occurrences(
        schedule, date.fromisoformat(first), date.fromisoformat(last), FakeHolidays()
    )
    return [c.at.date() for c in found]


def refusal(rule: dict[str, Any], **ward: Any) -> str:
    with pytest.raises(SeedError) as refused:
        parse_seed(seed(rule, **ward))
    return str(refused.value)


def test_every_two_weeks_counts_from_the_week_of_the_start_date() -> None:
    rules = rules_of(
        {"days": ["sat"], "time": "07:00", "every_weeks": 2, "starting": "2026-12-05"}
    )

    assert days_of(rules, "2026-11-28", "2027-01-03") == [
        date(2026, 12, 5),
        date(2026, 12, 19),
        date(2027, 1, 2),
    ]


def test_the_first_saturday_of_each_month() -> None:
    rules = rules_of({"days": ["sat"], "time": "07:00", "of_month": "first"})

    assert days_of(rules, "2026-12-01", "2027-02-28") == [
        date(2026, 12, 5),
        date(2027, 1, 2),
        date(2027, 2, 6),
    ]


def test_the_last_wednesday_of_each_month() -> None:
    rules = rules_of({"days": ["wed"], "time": "07:00", "of_month": "last"})

    assert days_of(rules, "2026-12-01", "2027-01-31") == [date(2026, 12, 30), date(2027, 1, 27)]


def test_a_time_window_opens_the_collection_and_names_its_end_and_kinds() -> None:
    rules = rules_of(
        {"days": ["daily"], "time": "17:00\N{EN DASH}18:00", "kinds": ["recyclable", "bulky"]}
    )
    ward = Ward(1, "w", "Phường", "Asia/Ho_Chi_Minh", HolidayPolicy.NONE)
    schedule = AlleySchedule(Alley(1, "hem-1", "Hẻm 1", ward), rules, ())

    found = collections_between(
        schedule,
        datetime(2026, 12, 5, 0, 0, tzinfo=TZ),
        datetime(2026, 12, 6, 0, 0, tzinfo=TZ),
        FakeHolidays(),
    )

    assert [(c.at.time(), c.until and c.until.time(), c.kinds) for c in found] == [
        (time(17, 0), time(18, 0), ("recyclable", "bulky"))
    ]


def test_the_ward_evening_bell_is_read_as_a_local_time() -> None:
    parsed = parse_seed(seed({"days": ["mon"], "time": "07:00"}, evening_bell="19:30"))

    assert parsed.wards[0].evening_bell == time(19, 30)


@pytest.mark.parametrize(
    ("rule", "ward", "field", "words"),
    [
        ({"days": ["mon"], "time": "18:00-17:00"}, {}, "until", "must end after"),
        ({"days": ["mon"], "time": "07:00", "every_weeks": 2}, {}, "starting", "needs the date"),
        (
            {"days": ["mon"], "time": "07:00", "every_weeks": 0},
            {},
            "every_weeks",
            "greater than or equal to 1",
        ),
        ({"days": ["sat"], "time": "07:00", "of_month": "fifth"}, {}, "of_month", "first"),
        ({"days": ["mon"], "time": "07:00", "kinds": ["glass"]}, {}, "kinds[0]", "recyclable"),
        ({"days": ["mon"], "time": "07:00"}, {"evening_bell": "25:00"}, "evening_bell", "time"),
    ],
)
def test_a_bad_new_field_is_refused_in_one_line_naming_it(
    rule: dict[str, Any], ward: dict[str, Any], field: str, words: str
) -> None:
    message = refusal(rule, **ward)

    assert "\n" not in message
    assert field in message and words in message


def test_a_poster_says_how_often_when_and_what() -> None:
    rules = rules_of(
        {"days": ["sat"], "time": "17:00-18:00", "of_month": "first", "kinds": ["bulky"]}
    ) + rules_of({"days": ["sun"], "time": "08:00", "every_weeks": 2, "starting": "2026-12-06"})

    lines = collection_times(rules, Catalogues().get("vi"))

    assert lines == [
        "Thứ Bảy — 17:00\N{EN DASH}18:00 · tuần đầu tiên của tháng · rác cồng kềnh",
        "Chủ Nhật — 08:00 · 2 tuần một lần",
    ]


def test_evening_bells_are_due_the_evening_before_and_never_once_their_day_began() -> None:
    ward = Ward(1, "w", "Phường", "Asia/Ho_Chi_Minh", HolidayPolicy.NONE, time(19, 30))
    schedule = AlleySchedule(Alley(1, "hem-1", "Hẻm 1", ward), rules_of(DAILY_7), ())
    follower = Follower(1, 1, 1, "zalo", "z", 15, "vi", None, bells=Bells.BOTH)

    def planned(now: datetime) -> list[tuple[str, datetime]]:
        found = reminders_between(
            {1: schedule}, [follower], now, now + timedelta(hours=24), FakeHolidays()
        )
        return sorted(("evening" if r.evening else "before", r.due) for r in found)

    at = datetime(2026, 12, 5, 6, 0, tzinfo=TZ)  # Saturday 06:00: Friday evening has gone
    assert planned(at) == [
        ("before", datetime(2026, 12, 5, 6, 45, tzinfo=TZ)),
        ("evening", datetime(2026, 12, 5, 19, 30, tzinfo=TZ)),  # for Sunday's 07:00
    ]
