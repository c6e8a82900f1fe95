"""An alley's collections as iCalendar, read back as a phone's calendar would read them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.features.bell.ics import alley_calendar, collection_uid, collections_ahead
from core.model import (
    Alley,
    AlleySchedule,
    CollectionException,
    CollectionRule,
    ExceptionAction,
    HolidayPolicy,
    Ward,
)
from tests.support import FakeHolidays

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime(2026, 11, 30, 8, 0, tzinfo=VN)
WARD = Ward(1, "ninh-kieu", "Phường Ninh Kiều", "Asia/Ho_Chi_Minh", HolidayPolicy.SKIP)
HEM_51 = Alley(1, "nk-hem-51", "Hẻm 51 Đường 3 Tháng 2", WARD, (10.0299, 105.7706))
MON_WED_FRI = CollectionRule(frozenset({0, 2, 4}), time(18, 0))


def schedule(*exceptions: CollectionException) -> AlleySchedule:
    return AlleySchedule(HEM_51, (MON_WED_FRI,), exceptions)


def ics(
    alley_schedule: AlleySchedule,
    now: datetime = MONDAY,
    days: int = 7,
    holidays: FakeHolidays | None = None,
) -> Calendar:
    collections = collections_ahead(alley_schedule, now, holidays or FakeHolidays(), days)
    body = alley_calendar(
        alley_schedule.alley,
        collections,
        summary="Thu gom rác: Hẻm 51 Đường 3 Tháng 2",
        calendar_name="Lịch thu gom rác: Hẻm 51 Đường 3 Tháng 2",
        stamp=now,
    )
    return Calendar.from_ical(body)


def starts(calendar: Calendar) -> list[datetime]:
    return [event.decoded("dtstart") for event in events(calendar)]


def events(calendar: Calendar) -> list[Event]:
    return calendar.events


def local(day: int, hour: int, month: int = 12, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VN)


def test_each_collection_of_the_window_is_one_event_at_its_ward_time() -> None:
    calendar = ics(schedule())

    assert starts(calendar) == [local(30, 18, month=11), local(2, 18), local(4, 18)]
    for event in events(calendar):
        assert event["dtstart"].params["TZID"] == "Asia/Ho_Chi_Minh"
        assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=15)
        assert str(event["summary"]) == "Thu gom rác: Hẻm 51 Đường 3 Tháng 2"
        assert str(event["transp"]) == "TRANSPARENT"
    # Read back in UTC, the instant is the same: 18:00 in Cần Thơ is 11:00 UTC.
    assert starts(calendar)[0] == datetime(2026, 11, 30, 11, 0, tzinfo=ZoneInfo("UTC"))


def test_the_file_says_what_it_is_and_carries_the_ward_time_zone() -> None:
    calendar = ics(schedule())

    assert str(calendar["version"]) == "2.0"
    assert "Urban Bell" in str(calendar["prodid"])
    assert str(calendar["method"]) == "PUBLISH"
    assert str(calendar["x-wr-calname"]) == "Lịch thu gom rác: Hẻm 51 Đường 3 Tháng 2"
    zones = [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")]
    assert zones == ["Asia/Ho_Chi_Minh"]


def test_uids_stay_the_same_when_the_file_is_made_again_later() -> None:
    first = ics(schedule())
    later = ics(schedule(), now=MONDAY + timedelta(days=1, hours=1))

    first_uids = {event.decoded("dtstart"): str(event["uid"]) for event in events(first)}
    later_uids = {event.decoded("dtstart"): str(event["uid"]) for event in events(later)}
    shared = first_uids.keys() & later_uids.keys()
    assert shared == {local(2, 18), local(4, 18)}
    assert all(first_uids[at] == later_uids[at] for at in shared)
    assert len(set(later_uids.values())) == len(later_uids)
    assert first_uids[local(2, 18)] == collection_uid("nk-hem-51", local(2, 18))


def test_a_skipped_collection_is_absent_and_a_moved_one_is_at_its_new_time() -> None:
    calendar = ics(
        schedule(
            CollectionException(date(2026, 12, 2), ExceptionAction.SKIP),
            CollectionException(
                date(2026, 12, 4), ExceptionAction.MOVE, datetime(2026, 12, 5, 7, 0)
            ),
        )
    )

    assert starts(calendar) == [local(30, 18, month=11), local(5, 7)]


def test_a_holiday_the_ward_skips_is_absent() -> None:
    holidays = FakeHolidays({date(2026, 12, 2): "Ngày lễ thử"})

    assert local(2, 18) not in starts(ics(schedule(), holidays=holidays))


def test_the_window_starts_now_and_reaches_the_given_days() -> None:
    evening = MONDAY.replace(hour=19)

    assert starts(ics(schedule(), now=evening, days=14)) == [
        local(day, 18) for day in (2, 4, 7, 9, 11, 14)
    ]


def test_an_alley_with_a_location_gives_its_events_a_place_on_the_map() -> None:
    event = events(ics(schedule()))[0]

    assert event.decoded("geo") == (10.0299, 105.7706)


def test_an_alley_without_collections_gives_an_empty_calendar() -> None:
    calendar = ics(AlleySchedule(HEM_51, (), ()))

    assert events(calendar) == []
    assert str(calendar["method"]) == "PUBLISH"
