"""The bell's countdown: the minutes actually left when it goes, and a late bell says so."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.channels.console.messenger import ConsoleMessenger
from bot.chat.i18n import Catalogues
from bot.features.bell.wording import BellWording
from core import subscriptions
from core.holidays import VietnamHolidays
from core.ports import UnitOfWorkFactory
from core.seeding import apply_seed, parse_seed
from scheduler.dispatcher import Dispatcher, Route
from scheduler.pacing import Pace, Pacer
from scheduler.planner import BELL, Planner
from tests.support import FixedClock
from tests.unit.test_pacing import FakeTime

VN = ZoneInfo("Asia/Ho_Chi_Minh")


async def seed_alley(uow_factory: UnitOfWorkFactory, time: str) -> None:
    seed = {
        "wards": [
            {
                "code": "w",
                "name": "Phường Thử",
                "holidays": "none",
                "alleys": [
                    {
                        "code": "hem-1",
                        "name": "Hẻm 1",
                        "collections": [{"days": ["daily"], "time": time}],
                    }
                ],
            }
        ]
    }
    async with uow_factory() as uow:
        await apply_seed(uow, parse_seed(seed), "Asia/Ho_Chi_Minh")
        await uow.commit()


async def follow(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    lead: int,
    channel: str = "console",
    chat: str = "7",
    language: str = "en",
) -> None:
    async with uow_factory() as uow:
        resident = await uow.residents.seen(channel, chat, None, None)
        await uow.residents.set_language(resident.id, language)
        await subscriptions.subscribe(
            uow, resident.id, "hem-1", lead, clock.now(), VietnamHolidays()
        )
        await uow.commit()


async def ring(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> str:
    """Plan the bells now, send what is due on the console, and return what it printed."""
    wording = BellWording(Catalogues(), "vi")
    await Planner(uow_factory, clock, VietnamHolidays(), wording, {"console": 1000}).run()
    screen = io.StringIO()
    time = FakeTime()
    route = Route(
        ConsoleMessenger(screen), Pacer(Pace(per_second=1000), time.monotonic, time.sleep)
    )
    sender = Dispatcher(uow_factory, {"console": route}, clock, finishing={BELL: wording.finish})
    await sender.send_due()
    return screen.getvalue()


async def test_a_bell_planned_after_its_due_time_counts_the_minutes_left_and_says_it_is_late(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await seed_alley(uow_factory, "03:02")
    clock = FixedClock(datetime(2026, 12, 5, 2, 56, tzinfo=VN))
    await follow(uow_factory, clock, lead=15)

    printed = await ring(uow_factory, clock)

    assert "03:02" in printed and "in 6 minutes" in printed
    assert "15 minutes" not in printed
    assert "late" in printed


async def test_a_bell_sent_five_minutes_before_midnight_says_five_minutes(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await seed_alley(uow_factory, "00:00")
    clock = FixedClock(datetime(2026, 12, 4, 22, 0, tzinfo=VN))
    await follow(uow_factory, clock, lead=60)
    clock.move(timedelta(hours=1, minutes=55))  # the bot was down from 22:00 to 23:55

    printed = await ring(uow_factory, clock)

    assert "00:00" in printed and "in 5 minutes" in printed
    assert "60 minutes" not in printed
    assert "late" in printed


async def test_a_bell_on_time_counts_from_the_moment_it_leaves_and_does_not_apologise(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await seed_alley(uow_factory, "18:00")
    clock = FixedClock(datetime(2026, 12, 4, 8, 0, tzinfo=VN))
    await follow(uow_factory, clock, lead=15)
    wording = BellWording(Catalogues(), "vi")
    await Planner(uow_factory, clock, VietnamHolidays(), wording, {"console": 1000}).run()
    clock.move(timedelta(hours=9, minutes=45, seconds=50))  # 17:45:50, inside its window

    printed = await ring(uow_factory, clock)

    assert "in 14 minutes" in printed
    assert "late" not in printed


async def test_a_bell_whose_truck_has_come_is_not_sent(uow_factory: UnitOfWorkFactory) -> None:
    await seed_alley(uow_factory, "18:00")
    clock = FixedClock(datetime(2026, 12, 4, 8, 0, tzinfo=VN))
    await follow(uow_factory, clock, lead=15)
    wording = BellWording(Catalogues(), "vi")
    await Planner(uow_factory, clock, VietnamHolidays(), wording, {"console": 1000}).run()
    clock.move(timedelta(hours=10, minutes=1))  # 18:01: the truck has been

    assert await ring(uow_factory, clock) == ""
