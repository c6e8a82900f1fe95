"""The bell end to end below the platform: planner, outbox and dispatcher on a moving clock."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.chat.i18n import Catalogues
from bot.features.bell.wording import BellWording, CrowdedWording
from core import subscriptions
from core.holidays import VietnamHolidays
from core.ports import UnitOfWorkFactory
from scheduler.dispatcher import Dispatcher, Route
from scheduler.pacing import Pace, Pacer
from scheduler.planner import Planner
from storage.models import OutboxRow
from storage.uow import SqlUnitOfWork
from tests.integration.test_dispatcher import FakeMessenger
from tests.support import FixedClock
from tests.unit.test_pacing import FakeTime

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_MORNING = datetime(2026, 11, 30, 8, 0, tzinfo=VN)


async def follow(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    person: str,
    alley: str,
    language: str = "vi",
    lead: int = 15,
) -> int:
    async with uow_factory() as uow:
        resident = await uow.residents.seen("telegram", person, None, None)
        await uow.residents.set_language(resident.id, language)
        done = await subscriptions.subscribe(
            uow, resident.id, alley, lead, clock.now(), VietnamHolidays()
        )
        await uow.commit()
    return done.subscription.id


def planner(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> Planner:
    wording = BellWording(Catalogues(), "vi")
    return Planner(uow_factory, clock, VietnamHolidays(), wording, {"telegram": 30})


def dispatcher(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> tuple[Dispatcher, FakeMessenger]:
    messenger = FakeMessenger()
    time = FakeTime()
    route = Route(messenger, Pacer(Pace(per_second=30), time.monotonic, time.sleep))
    return Dispatcher(uow_factory, {"telegram": route}, clock), messenger


async def bells(uow_factory: UnitOfWorkFactory) -> list[tuple[str, str, str | None]]:
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        rows = await uow.session.scalars(
            select(OutboxRow).where(OutboxRow.kind == "bell").order_by(OutboxRow.id)
        )
        return [(r.chat_id, r.status, r.outcome) for r in rows]


async def test_each_reminder_is_planned_once_however_often_the_planner_runs(
    seeded: UnitOfWorkFactory,
) -> None:
    clock = FixedClock(MONDAY_MORNING)
    for person in ("1", "2", "3"):
        await follow(seeded, clock, person, "nk-hem-51")  # Mon, Wed, Fri at 18:00

    first = await planner(seeded, clock).run()
    clock.move(timedelta(minutes=2))
    again = await planner(seeded, clock).run()

    # Within the next 24 hours only today's 18:00 collection falls.
    assert (first.planned, again.planned) == (3, 0)
    assert len(await bells(seeded)) == 3


async def test_two_planners_at_once_plan_each_reminder_once(seeded: UnitOfWorkFactory) -> None:
    clock = FixedClock(MONDAY_MORNING)
    for person in ("1", "2", "3"):
        await follow(seeded, clock, person, "nk-hem-51")

    reports = await asyncio.gather(planner(seeded, clock).run(), planner(seeded, clock).run())

    assert sum(r.planned for r in reports) == 3
    assert len(await bells(seeded)) == 3


async def test_the_bell_rings_at_its_time_naming_the_alley_and_time_in_each_language(
    seeded: UnitOfWorkFactory,
) -> None:
    clock = FixedClock(MONDAY_MORNING)
    await follow(seeded, clock, "1", "nk-hem-51", language="vi")
    await follow(seeded, clock, "2", "nk-hem-51", language="en")
    await planner(seeded, clock).run()
    sender, messenger = dispatcher(seeded, clock)

    clock.move(timedelta(hours=9, minutes=44))  # 17:44, a minute before it is due
    assert await sender.send_due() == 0
    clock.move(timedelta(minutes=1))
    assert await sender.send_due() == 2

    texts = dict(messenger.sent)
    assert "Hẻm 51 Đường 3 Tháng 2" in texts["1"] and "18:00" in texts["1"]
    assert texts["2"].startswith("🔔 The garbage truck reaches Hẻm 51 Đường 3 Tháng 2 at 18:00")
    assert texts["1"] != texts["2"]
    assert [status for _, status, _ in await bells(seeded)] == ["sent", "sent"]


async def test_after_downtime_a_bell_still_ahead_goes_late_and_one_whose_truck_left_never_goes(
    seeded: UnitOfWorkFactory,
) -> None:
    clock = FixedClock(MONDAY_MORNING)
    await follow(seeded, clock, "1", "nk-hem-51")  # 18:00: due 17:45
    await follow(seeded, clock, "2", "nk-hem-14-mau-than")  # 17:30: due 17:15
    await planner(seeded, clock).run()

    clock.move(timedelta(hours=9, minutes=52))  # the bot comes back at 17:52
    sender, messenger = dispatcher(seeded, clock)
    await sender.send_due()

    assert [chat for chat, _ in messenger.sent] == ["1"]
    assert sorted(await bells(seeded)) == [
        ("1", "sent", "late by 360 s"),
        ("2", "skipped", "expired before it could be sent"),
    ]


async def test_a_restart_after_the_due_time_still_plans_a_bell_whose_truck_is_ahead(
    seeded: UnitOfWorkFactory,
) -> None:
    clock = FixedClock(MONDAY_MORNING)
    await follow(seeded, clock, "1", "nk-hem-51")
    clock.move(timedelta(hours=9, minutes=50))  # nothing was planned; now 17:50

    report = await planner(seeded, clock).run()

    assert (report.planned, report.late) == (1, 1)


async def test_a_new_lead_time_replaces_the_planned_bell_and_unsubscribing_removes_it(
    seeded: UnitOfWorkFactory,
) -> None:
    clock = FixedClock(MONDAY_MORNING)
    subscription = await follow(seeded, clock, "1", "nk-hem-51")
    await planner(seeded, clock).run()

    async with seeded() as uow:
        resident = (await uow.residents.seen("telegram", "1", None, None)).id
        await subscriptions.set_lead_time(uow, resident, subscription, 60)
        await uow.commit()
    assert await bells(seeded) == []
    await planner(seeded, clock).run()
    async with seeded() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        [bell] = await uow.session.scalars(select(OutboxRow).where(OutboxRow.kind == "bell"))
        assert bell.not_before == datetime(2026, 11, 30, 17, 0, tzinfo=VN)

    async with seeded() as uow:
        await subscriptions.unsubscribe(uow, resident, subscription)
        await uow.commit()
    assert await bells(seeded) == []


async def test_a_resident_who_blocked_the_bot_is_not_planned_for(
    seeded: UnitOfWorkFactory,
) -> None:
    clock = FixedClock(MONDAY_MORNING)
    await follow(seeded, clock, "1", "nk-hem-51")
    async with seeded() as uow:
        resident = await uow.residents.seen("telegram", "1", None, None)
        await uow.residents.deactivate(resident.id)
        await uow.commit()

    assert (await planner(seeded, clock).run()).planned == 0


async def test_slots_the_platform_cannot_serve_are_foreseen_with_their_numbers(
    seeded: UnitOfWorkFactory,
) -> None:
    clock = FixedClock(MONDAY_MORNING)
    for person in range(14):
        await follow(seeded, clock, str(person), "nk-hem-51")
    # At one message a minute, an eleven-minute window holds twelve reminders, not fourteen.
    slow = Planner(
        seeded,
        clock,
        VietnamHolidays(),
        BellWording(Catalogues(), "vi"),
        {"telegram": 1 / 60},
    )

    [monday, *rest] = await slow.crowded_ahead(days=7)

    assert (monday.minute, monday.reminders, monday.late) == (
        datetime(2026, 11, 30, 17, 45, tzinfo=VN),
        14,
        2,
    )
    assert len(rest) == 2  # Wednesday and Friday alike


async def test_the_wards_officers_are_told_of_a_slot_once_however_often_it_is_planned(
    seeded: UnitOfWorkFactory,
) -> None:
    clock = FixedClock(MONDAY_MORNING)
    for person in range(14):
        await follow(seeded, clock, str(person), "nk-hem-51")
    catalogues = Catalogues()
    slow = Planner(
        seeded,
        clock,
        VietnamHolidays(),
        BellWording(catalogues, "en"),
        {"telegram": 1 / 60},
        warning=CrowdedWording(catalogues, "en"),
    )

    await slow.run()
    await slow.run()

    async with seeded() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        rows = await uow.session.scalars(select(OutboxRow).where(OutboxRow.kind == "notice"))
        told = sorted((r.chat_id, str(r.payload["text"])) for r in rows)
    # Chị Lan and Anh Tuấn, the officers of Ninh Kiều; not the other wards' officers.
    assert [chat for chat, _ in told] == ["9001", "9002"]
    assert told[0][1].startswith("⚠️ Monday 30/11 at 17:45: 2 of the 14 bells due then")
