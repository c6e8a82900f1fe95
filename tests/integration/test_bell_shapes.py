"""A bell residents can shape: kinds, windows, rules beyond weekly, the evening-before bell and
the calendar file's alarm, from the seed file through the database to what residents read."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot.channels.console.messenger import ConsoleMessenger
from bot.chat.i18n import Catalogues
from bot.features.bell.wording import BellWording
from core.holidays import VietnamHolidays
from core.model import Bells, CollectionRule
from core.ports import UnitOfWorkFactory
from core.seeding import apply_seed, parse_seed
from scheduler.dispatcher import Dispatcher, Route
from scheduler.pacing import Pace, Pacer
from scheduler.planner import BELL, Planner
from tests.integration.conftest import Person, converse
from tests.support import FixedClock
from tests.unit.test_pacing import FakeTime

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FRIDAY_NOON = datetime(2026, 12, 4, 12, 0, tzinfo=VN)

SEED = {
    "wards": [
        {
            "code": "tan-an",
            "name": "Phường Tân An",
            "holidays": "none",
            "evening_bell": "19:30",
            "alleys": [
                {
                    "code": "ta-hem-5",
                    "name": "Hẻm 5",
                    "collections": [
                        {"days": ["daily"], "time": "07:00", "kinds": ["general", "organic"]},
                        {"days": ["sat"], "time": "17:00-18:00", "kinds": ["recyclable"]},
                        {
                            "days": ["sun"],
                            "time": "08:00",
                            "every_weeks": 2,
                            "starting": "2026-12-06",
                            "kinds": ["bulky"],
                        },
                        {"days": ["wed"], "time": "09:00", "of_month": "last"},
                    ],
                }
            ],
        }
    ]
}


async def seed(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await apply_seed(uow, parse_seed(SEED), "Asia/Ho_Chi_Minh")
        await uow.commit()


def sender(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> tuple[Dispatcher, io.StringIO]:
    screen = io.StringIO()
    time_ = FakeTime()
    route = Route(
        ConsoleMessenger(screen), Pacer(Pace(per_second=1000), time_.monotonic, time_.sleep)
    )
    wording = BellWording(Catalogues(), "vi")
    return Dispatcher(
        uow_factory, {"console": route}, clock, finishing={BELL: wording.finish}
    ), screen


def planner(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> Planner:
    wording = BellWording(Catalogues(), "vi")
    return Planner(uow_factory, clock, VietnamHolidays(), wording, {"console": 1000})


async def test_the_new_rules_are_stored_and_read_back_and_seeding_again_changes_nothing(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await seed(uow_factory)
    async with uow_factory() as uow:
        alley = await uow.alleys.by_code("ta-hem-5")
        assert alley is not None
        schedule = await uow.alleys.schedule(alley)
        again = await apply_seed(uow, parse_seed(SEED), "Asia/Ho_Chi_Minh")

    assert alley.ward.evening_at == time(19, 30)
    assert set(schedule.rules) == {
        CollectionRule(frozenset(range(7)), time(7, 0), kinds=("general", "organic")),
        CollectionRule(frozenset({5}), time(17, 0), until=time(18, 0), kinds=("recyclable",)),
        CollectionRule(
            frozenset({6}), time(8, 0), every_weeks=2, starting=date(2026, 12, 6), kinds=("bulky",)
        ),
        CollectionRule(frozenset({2}), time(9, 0), of_month=-1),
    }
    assert again.created == {} and again.updated == {}


async def test_a_resident_who_picks_both_hears_the_evening_before_and_minutes_before(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await seed(uow_factory)
    clock = FixedClock(FRIDAY_NOON)
    person = Person(converse(uow_factory, clock), "8")
    await person.says("/start ta-hem-5")
    both = next(d for d in person.option_data() if d.endswith(":both"))
    assert "Both: evening before and minutes before" in person.options

    reply = await person.presses(both)
    assert "evening before, at 19:30, and 15 minutes before" in reply
    await planner(uow_factory, clock).run()
    dispatcher, screen = sender(uow_factory, clock)

    clock.move(timedelta(hours=7, minutes=30))  # 19:30: tomorrow's 07:00 collection
    await dispatcher.send_due()
    evening = screen.getvalue()
    assert "Tomorrow at 07:00 the garbage truck comes to Hẻm 5" in evening
    assert "Collected: general waste, organic waste." in evening
    assert "comes late" not in evening

    clock.move(timedelta(hours=11, minutes=15))  # 06:45 on Saturday
    await planner(uow_factory, clock).run()
    await dispatcher.send_due()
    assert "reaches Hẻm 5 at 07:00, in 15 minutes" in screen.getvalue()[len(evening) :]


async def test_an_evening_only_resident_gets_no_bell_minutes_before(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await seed(uow_factory)
    clock = FixedClock(FRIDAY_NOON)
    person = Person(converse(uow_factory, clock), "9")
    await person.says("/start ta-hem-5")
    await person.presses(next(d for d in person.option_data() if d.endswith(":evening")))
    assert "19:30" in await person.says("/mine")

    await planner(uow_factory, clock).run()
    dispatcher, screen = sender(uow_factory, clock)
    clock.move(timedelta(hours=7, minutes=30))  # 19:30
    await dispatcher.send_due()
    clock.move(timedelta(hours=11, minutes=15))  # Saturday 06:45
    await planner(uow_factory, clock).run()
    await dispatcher.send_due()

    assert "Tomorrow at 07:00" in screen.getvalue()
    assert "in 15 minutes" not in screen.getvalue()


async def test_a_window_rings_before_it_opens_and_names_both_ends(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await seed(uow_factory)
    clock = FixedClock(datetime(2026, 12, 5, 12, 0, tzinfo=VN))  # Saturday noon
    person = Person(converse(uow_factory, clock), "10")
    await person.says("/start ta-hem-5")
    await planner(uow_factory, clock).run()
    dispatcher, screen = sender(uow_factory, clock)

    clock.move(timedelta(hours=4, minutes=45))  # 16:45, 15 minutes before the window opens
    await dispatcher.send_due()

    assert "between 17:00 and 18:00: the window opens in 15 minutes" in screen.getvalue()
    assert "Collected: recyclables." in screen.getvalue()


async def test_schedule_names_windows_and_kinds_and_the_calendar_file_alarms_at_the_lead_time(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await seed(uow_factory)
    clock = FixedClock(FRIDAY_NOON)
    person = Person(converse(uow_factory, clock), "11")
    await person.says("/start ta-hem-5")
    await person.presses(next(d for d in person.option_data() if d.endswith(":30")))

    week = await person.says("/schedule")
    assert "17:00\N{EN DASH}18:00 — recyclables" in week
    assert "08:00 — bulky waste" in week  # Sunday 6/12, the first of every other Sunday

    await person.says("/calendar")
    document = person.last[0].document
    assert document is not None
    events = Calendar.from_ical(document.content).walk("VEVENT")
    window = next(e for e in events if e.decoded("dtstart").hour == 17)
    assert window.decoded("dtend").hour == 18
    assert "recyclables" in str(window["summary"])
    alarms = [a for e in events for a in e.walk("VALARM")]
    assert alarms and all(a.decoded("trigger") == -timedelta(minutes=30) for a in alarms)
    assert len(alarms) == len(events)


async def test_a_bell_choice_the_ward_does_not_offer_changes_nothing(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await seed(uow_factory)
    clock = FixedClock(FRIDAY_NOON)
    person = Person(converse(uow_factory, clock), "12")
    await person.says("/start ta-hem-5")
    async with uow_factory() as uow:
        resident = await uow.residents.seen("console", "12", None, None)
        (subscription,) = await uow.subscriptions.of_resident(resident.id)

    await person.presses(f"bells:{subscription.id}:sometimes")

    async with uow_factory() as uow:
        (after,) = await uow.subscriptions.of_resident(resident.id)
    assert after.bells is Bells.BEFORE
