"""The collection calendar: weekly rules, exceptions and the ward's holiday policy.

Holidays are the real Vietnamese ones (`VietnamHolidays`) unless a test says otherwise. Days used
below: Tết 2026 is Mon 16/2..Fri 20/2, Tết 2027 is Thu 4/2..Wed 10/2, and 1/1/2027 is a Friday.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from core.calendar import (
    Change,
    Collection,
    collections_between,
    next_collections,
    occurrences,
)
from core.holidays import VietnamHolidays
from core.model import (
    WEEKDAYS,
    Alley,
    AlleySchedule,
    CollectionException,
    CollectionRule,
    ExceptionAction,
    HolidayPolicy,
    Ward,
)
from tests.support import FakeHolidays

WARD_ZONE = "Asia/Ho_Chi_Minh"
TZ = ZoneInfo(WARD_ZONE)
HOLIDAYS = VietnamHolidays()
NO_HOLIDAYS = FakeHolidays()


# --- factories -----------------------------------------------------------------------------


def rule(days: str, at: str) -> CollectionRule:
    """A rule in the seed file's words: `rule("mon wed fri", "18:00")`, `rule("daily", ...)`."""
    weekdays = range(7) if days == "daily" else (WEEKDAYS.index(d) for d in days.split())
    return CollectionRule(frozenset(weekdays), time.fromisoformat(at))


def skip(on: str) -> CollectionException:
    return CollectionException(date.fromisoformat(on), ExceptionAction.SKIP)


def move(on: str, to: str) -> CollectionException:
    return CollectionException(
        date.fromisoformat(on), ExceptionAction.MOVE, datetime.fromisoformat(to)
    )


def schedule(
    *rules: CollectionRule,
    exceptions: Iterable[CollectionException] = (),
    holidays: HolidayPolicy = HolidayPolicy.SKIP,
) -> AlleySchedule:
    ward = Ward(1, "ninh-kieu", "Phường Ninh Kiều", WARD_ZONE, holidays)
    alley = Alley(1, "nk-hem-51", "Hẻm 51 Đường 3 Tháng 2", ward)
    return AlleySchedule(alley, rules, tuple(exceptions))


def local(text: str) -> datetime:
    """An instant given as the ward's wall-clock time, e.g. `local("2026-03-02 18:00")`."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def day(text: str) -> date:
    return date.fromisoformat(text)


def times(collections: Iterable[Collection]) -> list[str]:
    """Wall-clock times as the collections carry them (so a wrong zone shows as a wrong time)."""
    return [f"{c.at:%Y-%m-%d %H:%M}" for c in collections]


def marked(collections: Iterable[Collection]) -> list[tuple[str, Change | None]]:
    return [(f"{c.at:%Y-%m-%d %H:%M}", c.change) for c in collections]


MON_WED_FRI_EVENING = rule("mon wed fri", "18:00")
DAILY_EVENING = rule("daily", "18:00")


# --- weekly rules --------------------------------------------------------------------------


def test_a_weekly_rule_brings_the_truck_on_its_days_at_its_time() -> None:
    alley = schedule(MON_WED_FRI_EVENING)

    found = occurrences(alley, day("2026-03-02"), day("2026-03-08"), NO_HOLIDAYS)

    assert marked(found) == [
        ("2026-03-02 18:00", None),  # Monday
        ("2026-03-04 18:00", None),  # Wednesday
        ("2026-03-06 18:00", None),  # Friday
    ]


def test_a_daily_rule_brings_the_truck_every_day() -> None:
    alley = schedule(rule("daily", "06:30"))

    found = occurrences(alley, day("2026-03-02"), day("2026-03-08"), NO_HOLIDAYS)

    assert times(found) == [f"2026-03-0{d} 06:30" for d in range(2, 9)]


def test_a_morning_and_an_evening_rule_make_two_visits_a_day_in_order() -> None:
    alley = schedule(rule("mon wed fri", "18:00"), rule("mon tue", "06:00"))

    found = occurrences(alley, day("2026-03-02"), day("2026-03-04"), NO_HOLIDAYS)

    assert times(found) == [
        "2026-03-02 06:00",
        "2026-03-02 18:00",
        "2026-03-03 06:00",
        "2026-03-04 18:00",
    ]


def test_two_rules_at_the_same_time_on_the_same_day_are_one_visit() -> None:
    alley = schedule(rule("daily", "18:00"), rule("mon", "18:00"))

    found = occurrences(alley, day("2026-03-02"), day("2026-03-02"), NO_HOLIDAYS)

    assert times(found) == ["2026-03-02 18:00"]


def test_an_alley_without_rules_has_no_collections() -> None:
    alley = schedule()

    assert occurrences(alley, day("2026-01-01"), day("2026-12-31"), HOLIDAYS) == []


# --- time zone -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "after",
    [
        local("2026-03-02 12:00"),
        datetime(2026, 3, 2, 5, 0, tzinfo=UTC),
        datetime(2026, 3, 1, 22, 0, tzinfo=timezone(timedelta(hours=-7))),
    ],
    ids=["ward time", "utc", "utc-7"],
)
def test_collections_are_given_in_the_wards_time_zone_whatever_zone_the_instant_is_in(
    after: datetime,
) -> None:
    alley = schedule(MON_WED_FRI_EVENING)

    [found] = next_collections(alley, after, 1, NO_HOLIDAYS)

    assert found.at == local("2026-03-02 18:00")
    assert str(found.at.tzinfo) == WARD_ZONE
    assert found.at.utcoffset() == timedelta(hours=7)


def test_an_instant_in_utc_that_is_already_tomorrow_in_vietnam_looks_from_tomorrow() -> None:
    # Monday 18:30 UTC is Tuesday 01:30 in the ward: Monday's 20:00 has gone, Tuesday's 06:00 not.
    alley = schedule(rule("mon", "20:00"), rule("tue", "06:00"))
    after = datetime(2026, 3, 2, 18, 30, tzinfo=UTC)

    found = next_collections(alley, after, 2, NO_HOLIDAYS)

    assert times(found) == ["2026-03-03 06:00", "2026-03-09 20:00"]


def test_collections_between_takes_a_span_given_in_utc_by_the_ward_days_it_covers() -> None:
    alley = schedule(rule("daily", "06:00"))
    # 23:00 UTC on 1/3 .. 23:00 UTC on 2/3 is 06:00 on 2/3 .. 06:00 on 3/3 in the ward.
    start = datetime(2026, 3, 1, 23, 0, tzinfo=UTC)

    found = collections_between(alley, start, start + timedelta(days=1), NO_HOLIDAYS)

    assert times(found) == ["2026-03-02 06:00"]


# --- next_collections ----------------------------------------------------------------------


def test_next_collections_starts_strictly_after_the_instant() -> None:
    alley = schedule(MON_WED_FRI_EVENING)

    found = next_collections(alley, local("2026-03-02 18:00"), 2, NO_HOLIDAYS)

    assert times(found) == ["2026-03-04 18:00", "2026-03-06 18:00"]


def test_next_collections_starts_strictly_after_the_instant_given_in_utc() -> None:
    alley = schedule(MON_WED_FRI_EVENING)

    found = next_collections(alley, datetime(2026, 3, 2, 11, 0, tzinfo=UTC), 1, NO_HOLIDAYS)

    assert times(found) == ["2026-03-04 18:00"]


def test_next_collections_includes_one_a_moment_after_the_instant() -> None:
    alley = schedule(MON_WED_FRI_EVENING)
    after = local("2026-03-02 18:00") - timedelta(microseconds=1)

    found = next_collections(alley, after, 1, NO_HOLIDAYS)

    assert times(found) == ["2026-03-02 18:00"]


@pytest.mark.parametrize("count", [0, 1, 3, 10, 40])
def test_next_collections_gives_exactly_the_number_asked_for(count: int) -> None:
    alley = schedule(MON_WED_FRI_EVENING)

    found = next_collections(alley, local("2026-03-02 12:00"), count, NO_HOLIDAYS)

    assert len(found) == count
    assert [c.at for c in found] == sorted({c.at for c in found})  # in order, no repeats


def test_next_collections_of_an_alley_without_rules_is_empty() -> None:
    assert next_collections(schedule(), local("2026-03-02 12:00"), 3, HOLIDAYS) == []


def test_next_collections_of_an_alley_whose_only_visit_is_skipped_is_empty() -> None:
    alley = schedule(exceptions=[skip("2026-03-04")])

    assert next_collections(alley, local("2026-03-02 12:00"), 3, HOLIDAYS) == []


def test_next_collections_finds_a_single_moved_visit_of_an_alley_without_rules() -> None:
    alley = schedule(exceptions=[move("2026-03-04", "2026-05-20 07:00")])

    found = next_collections(alley, local("2026-03-02 12:00"), 3, HOLIDAYS)

    assert marked(found) == [("2026-05-20 07:00", Change.MOVED)]


def test_next_collections_leaves_out_collections_cancelled_by_a_holiday() -> None:
    alley = schedule(DAILY_EVENING, holidays=HolidayPolicy.SKIP)

    found = next_collections(alley, local("2026-02-15 19:00"), 2, HOLIDAYS)

    assert times(found) == ["2026-02-21 18:00", "2026-02-22 18:00"]


# --- exceptions ----------------------------------------------------------------------------


def test_a_skipped_collection_is_marked_in_occurrences() -> None:
    alley = schedule(MON_WED_FRI_EVENING, exceptions=[skip("2026-03-04")])

    found = occurrences(alley, day("2026-03-02"), day("2026-03-06"), NO_HOLIDAYS)

    assert marked(found) == [
        ("2026-03-02 18:00", None),
        ("2026-03-04 18:00", Change.SKIPPED),
        ("2026-03-06 18:00", None),
    ]
    skipped = found[1]
    assert not skipped.happens
    assert skipped.regular_day == day("2026-03-04")


def test_a_skipped_collection_does_not_happen() -> None:
    alley = schedule(MON_WED_FRI_EVENING, exceptions=[skip("2026-03-04")])

    found = collections_between(
        alley, local("2026-03-02 00:00"), local("2026-03-07 00:00"), NO_HOLIDAYS
    )

    assert times(found) == ["2026-03-02 18:00", "2026-03-06 18:00"]


def test_skipping_a_day_skips_every_visit_of_that_day() -> None:
    alley = schedule(rule("daily", "06:00"), DAILY_EVENING, exceptions=[skip("2026-03-04")])

    found = occurrences(alley, day("2026-03-04"), day("2026-03-04"), NO_HOLIDAYS)

    assert marked(found) == [
        ("2026-03-04 06:00", Change.SKIPPED),
        ("2026-03-04 18:00", Change.SKIPPED),
    ]


def test_skipping_a_day_without_a_collection_changes_nothing() -> None:
    alley = schedule(MON_WED_FRI_EVENING, exceptions=[skip("2026-03-03")])

    found = occurrences(alley, day("2026-03-02"), day("2026-03-04"), NO_HOLIDAYS)

    assert marked(found) == [("2026-03-02 18:00", None), ("2026-03-04 18:00", None)]


def test_a_moved_collection_comes_at_its_new_time_and_no_longer_at_the_old_one() -> None:
    alley = schedule(MON_WED_FRI_EVENING, exceptions=[move("2026-03-04", "2026-03-05 07:00")])

    found = occurrences(alley, day("2026-03-02"), day("2026-03-06"), NO_HOLIDAYS)

    assert marked(found) == [
        ("2026-03-02 18:00", None),
        ("2026-03-05 07:00", Change.MOVED),
        ("2026-03-06 18:00", None),
    ]
    moved = found[1]
    assert moved.happens
    assert moved.regular_day == day("2026-03-04")
    assert str(moved.at.tzinfo) == WARD_ZONE


def test_a_collection_moved_within_its_day_is_at_the_new_time_only() -> None:
    alley = schedule(MON_WED_FRI_EVENING, exceptions=[move("2026-03-04", "2026-03-04 06:00")])

    found = collections_between(
        alley, local("2026-03-04 00:00"), local("2026-03-05 00:00"), NO_HOLIDAYS
    )

    assert marked(found) == [("2026-03-04 06:00", Change.MOVED)]


def test_a_collection_moved_into_the_next_week_appears_in_that_week() -> None:
    # Friday 6/3 moves to Tuesday 10/3; the week of 9/3 asks only for its own days.
    alley = schedule(MON_WED_FRI_EVENING, exceptions=[move("2026-03-06", "2026-03-10 07:00")])

    this_week = occurrences(alley, day("2026-03-02"), day("2026-03-08"), NO_HOLIDAYS)
    next_week = occurrences(alley, day("2026-03-09"), day("2026-03-15"), NO_HOLIDAYS)

    assert times(this_week) == ["2026-03-02 18:00", "2026-03-04 18:00"]
    assert marked(next_week) == [
        ("2026-03-09 18:00", None),
        ("2026-03-10 07:00", Change.MOVED),
        ("2026-03-11 18:00", None),
        ("2026-03-13 18:00", None),
    ]
    assert next_week[1].regular_day == day("2026-03-06")


def test_a_collection_moved_back_into_the_previous_week_appears_in_that_week() -> None:
    alley = schedule(MON_WED_FRI_EVENING, exceptions=[move("2026-03-09", "2026-03-07 07:00")])

    found = collections_between(
        alley, local("2026-03-06 00:00"), local("2026-03-10 00:00"), NO_HOLIDAYS
    )

    assert marked(found) == [
        ("2026-03-06 18:00", None),
        ("2026-03-07 07:00", Change.MOVED),
    ]


def test_a_collection_moved_into_the_next_year_appears_in_that_year() -> None:
    alley = schedule(rule("thu", "18:00"), exceptions=[move("2026-12-31", "2027-01-02 07:00")])

    old_year = occurrences(alley, day("2026-12-28"), day("2026-12-31"), HOLIDAYS)
    new_year = collections_between(
        alley, local("2027-01-01 00:00"), local("2027-01-08 00:00"), HOLIDAYS
    )

    assert old_year == []
    assert marked(new_year) == [("2027-01-02 07:00", Change.MOVED), ("2027-01-07 18:00", None)]
    assert new_year[0].regular_day == day("2026-12-31")


def test_a_move_on_a_day_without_a_regular_collection_adds_a_visit() -> None:
    alley = schedule(MON_WED_FRI_EVENING, exceptions=[move("2026-03-03", "2026-03-03 09:00")])

    found = occurrences(alley, day("2026-03-02"), day("2026-03-04"), NO_HOLIDAYS)

    assert marked(found) == [
        ("2026-03-02 18:00", None),
        ("2026-03-03 09:00", Change.MOVED),
        ("2026-03-04 18:00", None),
    ]
    assert found[1].regular_day == day("2026-03-03")


def test_a_collection_moved_onto_another_regular_visit_is_one_visit() -> None:
    alley = schedule(MON_WED_FRI_EVENING, exceptions=[move("2026-03-04", "2026-03-06 18:00")])

    found = collections_between(
        alley, local("2026-03-02 00:00"), local("2026-03-07 00:00"), NO_HOLIDAYS
    )

    assert times(found) == ["2026-03-02 18:00", "2026-03-06 18:00"]


def test_a_collection_moved_onto_a_skipped_visit_still_happens() -> None:
    # Wednesday's truck is cancelled and Monday's moves into its slot.
    alley = schedule(
        MON_WED_FRI_EVENING,
        exceptions=[skip("2026-03-04"), move("2026-03-02", "2026-03-04 18:00")],
    )

    found = collections_between(
        alley, local("2026-03-02 00:00"), local("2026-03-05 00:00"), NO_HOLIDAYS
    )

    assert marked(found) == [("2026-03-04 18:00", Change.MOVED)]


# --- holidays: skip ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "holiday",
    [
        day("2026-01-01"),  # New Year's Day
        day("2026-02-17"),  # Tết 2026, first day
        day("2027-02-06"),  # Tết 2027, first day
        day("2026-04-30"),  # Liberation Day
        day("2026-09-02"),  # National Day
        day("2027-09-02"),
    ],
    ids=str,
)
def test_a_public_holiday_has_no_collection_when_the_ward_skips_holidays(
    holiday: date,
) -> None:
    alley = schedule(DAILY_EVENING, holidays=HolidayPolicy.SKIP)

    found = occurrences(alley, holiday, holiday, HOLIDAYS)

    assert [(c.at.date(), c.change, c.happens) for c in found] == [
        (holiday, Change.HOLIDAY, False)
    ]
    assert found[0].regular_day == holiday


def test_tet_has_no_collection_when_the_ward_skips_holidays() -> None:
    alley = schedule(MON_WED_FRI_EVENING, holidays=HolidayPolicy.SKIP)

    marks = occurrences(alley, day("2027-02-01"), day("2027-02-14"), HOLIDAYS)
    found = collections_between(
        alley, local("2027-02-01 00:00"), local("2027-02-15 00:00"), HOLIDAYS
    )

    assert marked(marks) == [
        ("2027-02-01 18:00", None),
        ("2027-02-03 18:00", None),
        ("2027-02-05 18:00", Change.HOLIDAY),
        ("2027-02-08 18:00", Change.HOLIDAY),
        ("2027-02-10 18:00", Change.HOLIDAY),
        ("2027-02-12 18:00", None),
    ]
    assert times(found) == ["2027-02-01 18:00", "2027-02-03 18:00", "2027-02-12 18:00"]


def test_a_collection_on_tet_is_skipped_when_the_ward_skips_holidays() -> None:
    alley = schedule(MON_WED_FRI_EVENING, holidays=HolidayPolicy.SKIP)

    found = collections_between(
        alley, local("2026-02-16 00:00"), local("2026-02-21 00:00"), HOLIDAYS
    )

    assert found == []


# --- holidays: shift -----------------------------------------------------------------------


def test_a_collection_on_liberation_day_shifts_past_labour_day_to_the_next_working_day() -> None:
    # 30/4/2026 is a Thursday and 1/5 a holiday too: the truck comes on Saturday 2/5.
    alley = schedule(rule("tue thu", "18:00"), holidays=HolidayPolicy.SHIFT)

    found = collections_between(
        alley, local("2026-04-28 00:00"), local("2026-05-06 00:00"), HOLIDAYS
    )

    assert marked(found) == [
        ("2026-04-28 18:00", None),
        ("2026-05-02 18:00", Change.SHIFTED),
        ("2026-05-05 18:00", None),
    ]
    assert found[1].regular_day == day("2026-04-30")


def test_a_collection_on_national_day_shifts_to_the_next_day() -> None:
    alley = schedule(MON_WED_FRI_EVENING, holidays=HolidayPolicy.SHIFT)

    found = collections_between(
        alley, local("2026-09-02 00:00"), local("2026-09-05 00:00"), HOLIDAYS
    )

    assert marked(found) == [
        ("2026-09-03 18:00", Change.SHIFTED),
        ("2026-09-04 18:00", None),
    ]


def test_a_shifted_collection_leaves_a_mark_on_the_holiday() -> None:
    alley = schedule(MON_WED_FRI_EVENING, holidays=HolidayPolicy.SHIFT)

    found = occurrences(alley, day("2026-09-02"), day("2026-09-03"), HOLIDAYS)

    assert marked(found) == [
        ("2026-09-02 18:00", Change.HOLIDAY),
        ("2026-09-03 18:00", Change.SHIFTED),
    ]


def test_morning_and_evening_collections_shift_each_at_its_own_time() -> None:
    alley = schedule(rule("wed", "06:00"), rule("wed", "18:00"), holidays=HolidayPolicy.SHIFT)

    found = collections_between(
        alley, local("2026-09-02 00:00"), local("2026-09-04 00:00"), HOLIDAYS
    )

    assert marked(found) == [
        ("2026-09-03 06:00", Change.SHIFTED),
        ("2026-09-03 18:00", Change.SHIFTED),
    ]


def test_a_collection_shifted_onto_a_regular_collection_is_one_visit() -> None:
    # Tết 2026 is Monday..Friday; every day's truck shifts to Saturday, which has its own.
    alley = schedule(DAILY_EVENING, holidays=HolidayPolicy.SHIFT)

    found = collections_between(
        alley, local("2026-02-15 00:00"), local("2026-02-23 00:00"), HOLIDAYS
    )

    assert times(found) == ["2026-02-15 18:00", "2026-02-21 18:00", "2026-02-22 18:00"]


def test_a_shift_across_the_whole_tet_week_lands_after_tet() -> None:
    # Tết 2027 runs Thursday 4/2..Wednesday 10/2: Friday's, Monday's and Wednesday's trucks
    # all come on Thursday 11/2, once.
    alley = schedule(MON_WED_FRI_EVENING, holidays=HolidayPolicy.SHIFT)

    found = collections_between(
        alley, local("2027-02-01 00:00"), local("2027-02-15 00:00"), HOLIDAYS
    )

    assert marked(found) == [
        ("2027-02-01 18:00", None),
        ("2027-02-03 18:00", None),
        ("2027-02-11 18:00", Change.SHIFTED),
        ("2027-02-12 18:00", None),
    ]
    assert found[2].regular_day in {day("2027-02-05"), day("2027-02-08"), day("2027-02-10")}


def test_a_collection_shifted_in_from_before_the_span_is_found() -> None:
    # Asking for Thursday 11/2/2027 alone still sees the trucks Tết pushed there.
    alley = schedule(MON_WED_FRI_EVENING, holidays=HolidayPolicy.SHIFT)

    found = occurrences(alley, day("2027-02-11"), day("2027-02-11"), HOLIDAYS)

    assert marked(found) == [("2027-02-11 18:00", Change.SHIFTED)]


def test_next_collections_after_tet_begins_finds_the_shifted_one() -> None:
    alley = schedule(MON_WED_FRI_EVENING, holidays=HolidayPolicy.SHIFT)

    found = next_collections(alley, local("2027-02-04 00:00"), 2, HOLIDAYS)

    assert marked(found) == [("2027-02-11 18:00", Change.SHIFTED), ("2027-02-12 18:00", None)]


# --- holidays: none ------------------------------------------------------------------------


def test_collections_on_holidays_happen_when_the_ward_has_no_holiday_policy() -> None:
    alley = schedule(DAILY_EVENING, holidays=HolidayPolicy.NONE)

    found = occurrences(alley, day("2027-02-04"), day("2027-02-10"), HOLIDAYS)

    assert marked(found) == [(f"2027-02-{d:02} 18:00", None) for d in range(4, 11)]


@pytest.mark.parametrize("holiday", [day("2026-04-30"), day("2026-09-02")], ids=str)
def test_liberation_and_national_day_keep_their_collection_without_a_holiday_policy(
    holiday: date,
) -> None:
    alley = schedule(DAILY_EVENING, holidays=HolidayPolicy.NONE)

    found = occurrences(alley, holiday, holiday, HOLIDAYS)

    assert [(c.at.date(), c.change) for c in found] == [(holiday, None)]


# --- an exception beats the holiday policy -------------------------------------------------


@pytest.mark.parametrize("policy", list(HolidayPolicy))
def test_a_skip_on_a_holiday_is_a_skip_whatever_the_policy(policy: HolidayPolicy) -> None:
    alley = schedule(MON_WED_FRI_EVENING, exceptions=[skip("2027-02-08")], holidays=policy)

    marks = occurrences(alley, day("2027-02-08"), day("2027-02-11"), HOLIDAYS)

    assert ("2027-02-08 18:00", Change.SKIPPED) in marked(marks)
    assert ("2027-02-08 18:00", Change.HOLIDAY) not in marked(marks)


def test_a_skip_on_a_holiday_is_not_shifted() -> None:
    # Monday 8/2/2027 is in Tết, but the ward cancelled it outright: nothing comes on 9/2..11/2.
    alley = schedule(
        rule("mon", "18:00"), exceptions=[skip("2027-02-08")], holidays=HolidayPolicy.SHIFT
    )

    found = collections_between(
        alley, local("2027-02-08 00:00"), local("2027-02-15 00:00"), HOLIDAYS
    )

    assert found == []


@pytest.mark.parametrize("policy", list(HolidayPolicy))
def test_a_move_on_a_holiday_is_a_move_whatever_the_policy(policy: HolidayPolicy) -> None:
    alley = schedule(
        rule("mon", "18:00"),
        exceptions=[move("2027-02-08", "2027-02-08 07:00")],
        holidays=policy,
    )

    found = collections_between(
        alley, local("2027-02-08 00:00"), local("2027-02-15 00:00"), HOLIDAYS
    )

    assert marked(found) == [("2027-02-08 07:00", Change.MOVED)]


@pytest.mark.parametrize("policy", [HolidayPolicy.SKIP, HolidayPolicy.SHIFT])
def test_a_collection_moved_onto_a_holiday_at_the_regular_time_still_happens(
    policy: HolidayPolicy,
) -> None:
    # The ward moved Wednesday 3/2/2027's truck onto Friday 5/2 (Tết) on purpose.
    alley = schedule(
        MON_WED_FRI_EVENING,
        exceptions=[move("2027-02-03", "2027-02-05 18:00")],
        holidays=policy,
    )

    found = collections_between(
        alley, local("2027-02-05 00:00"), local("2027-02-06 00:00"), HOLIDAYS
    )

    assert marked(found) == [("2027-02-05 18:00", Change.MOVED)]


# --- week and year boundaries --------------------------------------------------------------


def test_sunday_is_followed_by_monday() -> None:
    alley = schedule(rule("sun mon", "18:00"))

    found = occurrences(alley, day("2026-03-08"), day("2026-03-09"), NO_HOLIDAYS)
    following = next_collections(alley, local("2026-03-08 19:00"), 1, NO_HOLIDAYS)

    assert times(found) == ["2026-03-08 18:00", "2026-03-09 18:00"]
    assert times(following) == ["2026-03-09 18:00"]


def test_a_span_from_sunday_noon_to_monday_noon_crosses_the_week() -> None:
    alley = schedule(rule("daily", "06:00"), DAILY_EVENING)

    found = collections_between(
        alley, local("2026-03-08 12:00"), local("2026-03-09 12:00"), NO_HOLIDAYS
    )

    assert times(found) == ["2026-03-08 18:00", "2026-03-09 06:00"]


def test_new_years_day_is_a_holiday_at_the_turn_of_the_year() -> None:
    alley = schedule(DAILY_EVENING, holidays=HolidayPolicy.SKIP)

    marks = occurrences(alley, day("2026-12-31"), day("2027-01-02"), HOLIDAYS)
    following = next_collections(alley, local("2026-12-31 18:00"), 1, HOLIDAYS)

    assert marked(marks) == [
        ("2026-12-31 18:00", None),
        ("2027-01-01 18:00", Change.HOLIDAY),
        ("2027-01-02 18:00", None),
    ]
    assert times(following) == ["2027-01-02 18:00"]


def test_a_collection_on_new_years_day_shifts_into_the_new_year() -> None:
    # 1/1/2027 is a Friday.
    alley = schedule(MON_WED_FRI_EVENING, holidays=HolidayPolicy.SHIFT)

    found = next_collections(alley, local("2026-12-30 18:00"), 2, HOLIDAYS)

    assert marked(found) == [("2027-01-02 18:00", Change.SHIFTED), ("2027-01-04 18:00", None)]
    assert found[0].regular_day == day("2027-01-01")


def test_next_collections_crosses_the_year_in_utc_too() -> None:
    # 31/12/2026 17:30 UTC is already 00:30 on New Year's Day in the ward.
    alley = schedule(rule("daily", "06:00"), holidays=HolidayPolicy.SKIP)

    found = next_collections(alley, datetime(2026, 12, 31, 17, 30, tzinfo=UTC), 1, HOLIDAYS)

    assert times(found) == ["2027-01-02 06:00"]


# --- a single day --------------------------------------------------------------------------


def test_occurrences_of_a_single_day_gives_that_days_collections_only() -> None:
    alley = schedule(rule("daily", "06:00"), MON_WED_FRI_EVENING)

    found = occurrences(alley, day("2026-03-04"), day("2026-03-04"), NO_HOLIDAYS)

    assert times(found) == ["2026-03-04 06:00", "2026-03-04 18:00"]


def test_occurrences_of_a_single_day_without_a_rule_is_empty() -> None:
    alley = schedule(MON_WED_FRI_EVENING)

    assert occurrences(alley, day("2026-03-03"), day("2026-03-03"), NO_HOLIDAYS) == []


def test_occurrences_of_a_single_day_shows_a_visit_moved_there_from_elsewhere() -> None:
    alley = schedule(MON_WED_FRI_EVENING, exceptions=[move("2026-03-02", "2026-03-03 07:00")])

    found = occurrences(alley, day("2026-03-03"), day("2026-03-03"), NO_HOLIDAYS)

    assert marked(found) == [("2026-03-03 07:00", Change.MOVED)]
