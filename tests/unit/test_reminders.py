"""Which reminders are due, and when each starts so that a crowded slot still lands on time."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.model import Alley, AlleySchedule, CollectionRule, HolidayPolicy, Ward
from core.reminders import Follower, Reminder, crowded, plan, reminders_between
from tests.support import FakeHolidays

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WARD = Ward(1, "ninh-kieu", "Phường Ninh Kiều", "Asia/Ho_Chi_Minh", HolidayPolicy.SKIP)


def schedule(alley_id: int, at: time, days: frozenset[int] = frozenset(range(7))) -> AlleySchedule:
    alley = Alley(alley_id, f"hem-{alley_id}", f"Hẻm {alley_id}", WARD)
    return AlleySchedule(alley, (CollectionRule(days, at),), ())


def follower(
    number: int, alley_id: int = 1, lead: int = 15, channel: str = "telegram"
) -> Follower:
    return Follower(number, number, alley_id, channel, str(number), lead, None, None)


def test_a_reminder_is_due_lead_minutes_before_its_collection() -> None:
    start = datetime(2026, 11, 30, 8, 0, tzinfo=VN)
    [reminder] = reminders_between(
        {1: schedule(1, time(18, 0))},
        [follower(7, lead=30)],
        start,
        start + timedelta(hours=12),
        FakeHolidays(),
    )
    assert reminder.collection.at == datetime(2026, 11, 30, 18, 0, tzinfo=VN)
    assert reminder.due == datetime(2026, 11, 30, 17, 30, tzinfo=VN)
    assert reminder.window == (
        datetime(2026, 11, 30, 17, 20, tzinfo=VN),
        datetime(2026, 11, 30, 17, 31, tzinfo=VN),
    )


def test_the_key_is_the_same_for_the_same_subscription_and_collection() -> None:
    start = datetime(2026, 11, 30, 8, 0, tzinfo=VN)
    window = (start, start + timedelta(days=2))
    first = reminders_between(
        {1: schedule(1, time(18, 0))}, [follower(7)], *window, FakeHolidays()
    )
    again = reminders_between(
        {1: schedule(1, time(18, 0))}, [follower(7)], *window, FakeHolidays()
    )
    assert (
        [r.key for r in first]
        == [r.key for r in again]
        == [
            "bell:7:20261130T1100",
            "bell:7:20261201T1100",
        ]
    )


def test_a_collection_already_gone_gets_no_reminder_but_one_still_ahead_does() -> None:
    # 17:50: the 18:00 truck has not come yet, although its reminder was due at 17:45.
    now = datetime(2026, 11, 30, 17, 50, tzinfo=VN)
    schedules = {1: schedule(1, time(18, 0)), 2: schedule(2, time(17, 40))}
    found = reminders_between(
        schedules, [follower(1, 1), follower(2, 2)], now, now + timedelta(hours=1), FakeHolidays()
    )
    assert [r.follower.subscription_id for r in found] == [1]


def test_a_holiday_skipped_by_the_ward_has_no_reminder() -> None:
    now = datetime(2027, 2, 5, 8, 0, tzinfo=VN)
    holidays = FakeHolidays({datetime(2027, 2, 5).date(): "Tết"})
    found = reminders_between(
        {1: schedule(1, time(18, 0))}, [follower(1)], now, now + timedelta(hours=12), holidays
    )
    assert found == []


def reminders(count: int, at: datetime, lead: int = 15) -> list[Reminder]:
    alley = schedule(1, at.astimezone(VN).time())
    start = at - timedelta(minutes=1)
    found = reminders_between(
        {1: alley},
        [follower(n, lead=lead) for n in range(count)],
        start,
        at + timedelta(minutes=1),
        FakeHolidays(),
    )
    assert len(found) == count
    return found


def test_a_quiet_slot_starts_every_reminder_at_its_due_time() -> None:
    collection = datetime(2026, 11, 30, 18, 0, tzinfo=VN)
    timed = plan(reminders(10, collection), per_second=30, now=collection - timedelta(hours=2))
    assert {p.start for p in timed} == {collection - timedelta(minutes=15)}
    assert all(p.on_time for p in timed)
    assert crowded(timed) == []


def test_a_crowded_slot_starts_early_enough_for_all_to_land_by_the_end_of_the_window() -> None:
    collection = datetime(2026, 11, 30, 18, 0, tzinfo=VN)
    due = collection - timedelta(minutes=15)
    timed = plan(reminders(9_000, collection), per_second=30, now=due - timedelta(hours=1))

    starts = sorted(p.start for p in timed)
    # 9,000 at 30 a second take 300 s and may end a minute after the due time: the first
    # starts four minutes early, the last 1,800 (a minute of slots) at the due time itself.
    assert abs(starts[0] - (due - timedelta(seconds=8_999 / 30 - 60))) < timedelta(seconds=0.01)
    assert starts.count(due) == 1_800
    assert all(p.on_time for p in timed)


def test_a_slot_beyond_the_platforms_rate_is_reported_with_its_numbers() -> None:
    collection = datetime(2026, 11, 30, 18, 0, tzinfo=VN)
    # The window's eleven minutes hold 19,800 slots of 1/30 s (rounded up to the
    # microsecond); 200 are left over.
    timed = plan(reminders(20_000, collection), per_second=30, now=collection - timedelta(hours=2))

    [slot] = crowded(timed)
    assert slot.reminders == 20_000
    assert slot.late == 200
    assert slot.minute == (collection - timedelta(minutes=15)).replace(tzinfo=VN)


def test_a_reminder_due_while_the_bot_was_down_starts_now() -> None:
    collection = datetime(2026, 11, 30, 18, 0, tzinfo=VN)
    now = collection - timedelta(minutes=5)  # due at 17:45, the bot came back at 17:55
    [timed] = plan(reminders(1, collection), per_second=30, now=now)
    assert timed.start == now
    assert timed.start.astimezone(UTC) == now.astimezone(UTC)


def test_a_reminder_that_cannot_be_on_time_takes_no_slot_and_never_goes_early() -> None:
    collection = datetime(2026, 11, 30, 18, 0, tzinfo=VN)
    timed = plan(reminders(20_000, collection), per_second=30, now=collection - timedelta(hours=2))
    late = [p for p in timed if not p.on_time]
    earliest_window = min(p.reminder.window[0] for p in timed)
    assert len(late) == 200
    assert all(p.start == p.reminder.window[1] for p in late)
    assert all(p.start >= earliest_window for p in timed)
