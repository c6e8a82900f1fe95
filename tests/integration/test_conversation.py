"""Whole conversations through the channel-neutral layer, on real SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.chat.conversation import Conversation, NotStored
from core.ports import UnitOfWork, UnitOfWorkFactory
from storage.models import OutboxRow
from storage.uow import SqlUnitOfWork
from tests.integration.conftest import Person, converse
from tests.support import FixedClock

VN = ZoneInfo("Asia/Ho_Chi_Minh")


async def subscriptions_of(uow_factory: UnitOfWorkFactory, person: Person) -> dict[str, int]:
    async with uow_factory() as uow:
        resident = await _resident(uow, person)
        return {
            s.alley.code: s.lead_minutes for s in await uow.subscriptions.of_resident(resident)
        }


async def _resident(uow: UnitOfWork, person: Person) -> int:
    found = await uow.residents.seen(person.sender.channel, person.sender.id, None, None)
    return found.id


async def test_start_with_an_alley_code_subscribes_and_names_the_next_collection(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    resident = Person(conversation)
    text = await resident.says("/start nk-hem-51")
    assert "Hẻm 51 Đường 3 Tháng 2" in text
    # Monday 30 November 2026, 08:00 in Cần Thơ: the truck comes at 18:00 today.
    assert "18:00" in text
    assert await subscriptions_of(seeded, resident) == {"nk-hem-51": 15}


async def test_start_speaks_vietnamese_by_default(conversation: Conversation) -> None:
    resident = Person(conversation, language=None)
    text = await resident.says("/start nk-hem-51")
    assert "Thứ Hai 30/11" in text and "18:00" in text
    assert "You now follow" not in text


async def test_start_with_an_unknown_code_asks_for_the_name_and_the_search_follows(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    resident = Person(conversation)
    assert "nosuch" in await resident.says("/start nosuch")
    await resident.says("hem 132")
    assert resident.options[0] == "Hẻm 132 Đường 3 Tháng 2 (Phường Ninh Kiều)"
    await resident.says("1")
    assert await subscriptions_of(seeded, resident) == {"nk-hem-132": 15}


async def test_subscribe_finds_an_alley_typed_without_diacritics(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    resident = Person(conversation)
    await resident.says("/subscribe hem 51 3 thang 2")
    assert resident.options[0] == "Hẻm 51 Đường 3 Tháng 2 (Phường Ninh Kiều)"
    text = await resident.says("1")
    assert "You now follow Hẻm 51 Đường 3 Tháng 2" in text
    assert await subscriptions_of(seeded, resident) == {"nk-hem-51": 15}


async def test_subscribe_by_picking_ward_then_alley(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    resident = Person(conversation)
    await resident.says("/subscribe")
    assert resident.options == ["Phường Ninh Kiều", "Phường Sóc Trăng", "Phường Thuận Hưng"]
    await resident.says("3")
    assert "Hẻm 3 Quốc lộ 91" in resident.options
    await resident.says(str(resident.options.index("Hẻm 3 Quốc lộ 91") + 1))
    assert await subscriptions_of(seeded, resident) == {"th-hem-3-ql91": 15}


async def test_a_search_that_finds_nothing_offers_the_wards(conversation: Conversation) -> None:
    resident = Person(conversation)
    text = await resident.says("/subscribe duong khong co")
    assert "found no alley" in text
    assert "Phường Ninh Kiều" in resident.options


async def test_the_lead_time_is_chosen_per_subscription(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    resident = Person(conversation)
    await resident.says("/start nk-hem-51")
    await resident.says("/start st-hem-4-le-loi")
    assert resident.options == ["10 min", "15 min", "30 min", "60 min"]
    assert "30 minutes" in await resident.says("3")
    assert await subscriptions_of(seeded, resident) == {"nk-hem-51": 15, "st-hem-4-le-loi": 30}


async def test_mine_lists_alleys_with_lead_times_and_next_collections(
    conversation: Conversation,
) -> None:
    resident = Person(conversation)
    assert "no alley" in await resident.says("/mine")
    await resident.says("/start nk-hem-97-thd")
    text = await resident.says("/mine")
    assert "Hẻm 97 Đường Trần Hưng Đạo" in text
    assert "15 minutes" in text
    # Monday 08:00: the 06:30 visit has gone, the next is Thursday 06:30.
    assert "Thursday 03/12 at 06:30" in text


async def test_unsubscribe_stops_following_the_alley_picked(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    resident = Person(conversation)
    await resident.says("/start nk-hem-51")
    await resident.says("/start nk-hem-132")
    await resident.says("/unsubscribe")
    await resident.says(str(resident.options.index("Hẻm 51 Đường 3 Tháng 2") + 1))
    assert "no longer follow Hẻm 51" in resident.text
    assert await subscriptions_of(seeded, resident) == {"nk-hem-132": 15}


@pytest.mark.parametrize(
    "forged",
    ["lead:{sub}:7", "lead:{other}:30", "unsub:{other}", "leadmenu:x", "sub:", "lang:fr", "zap:1"],
)
async def test_a_forged_or_foreign_button_changes_nothing(
    conversation: Conversation, seeded: UnitOfWorkFactory, forged: str
) -> None:
    resident, neighbour = Person(conversation, "1"), Person(conversation, "2")
    await resident.says("/start nk-hem-51")
    await neighbour.says("/start nk-hem-132")
    sub = resident.option_data()[0].split(":")[1]
    other = neighbour.option_data()[0].split(":")[1]

    text = await resident.presses(forged.format(sub=sub, other=other))

    assert "out of date" in text
    assert await subscriptions_of(seeded, resident) == {"nk-hem-51": 15}
    assert await subscriptions_of(seeded, neighbour) == {"nk-hem-132": 15}


async def test_schedule_skips_tet_where_the_ward_skips_holidays(
    seeded: UnitOfWorkFactory,
) -> None:
    # Wednesday 3 February 2027; Tết closes 4 to 10 February.
    conversation = converse(seeded, FixedClock(datetime(2027, 2, 3, 8, 0, tzinfo=VN)))
    resident = Person(conversation)
    await resident.says("/start nk-hem-14-mau-than")  # daily at 17:30; Ninh Kiều skips holidays
    text = await resident.says("/schedule")

    assert "Wednesday 03/02 at 17:30" in text
    assert "Thursday 04/02: no collection (29 of Lunar New Year)" in text
    assert "Saturday 06/02: no collection (Lunar New Year)" in text
    assert "Tuesday 09/02: no collection (Fourth Day of Lunar New Year)" in text
    assert "Thursday 04/02 at" not in text


async def test_schedule_shifts_tet_where_the_ward_shifts_holidays(
    seeded: UnitOfWorkFactory,
) -> None:
    conversation = converse(seeded, FixedClock(datetime(2027, 2, 8, 8, 0, tzinfo=VN)))
    resident = Person(conversation)
    await resident.says("/start th-hem-3-ql91")  # Mon, Wed, Fri at 17:00; Thuận Hưng shifts
    text = await resident.says("/schedule")

    assert "Monday 08/02: no collection (Third Day of Lunar New Year)" in text
    assert "Wednesday 10/02: no collection (Fifth Day of Lunar New Year)" in text
    # Friday 5, Monday 8 and Wednesday 10 all go to Thursday 11, the first day after Tết:
    # one visit, not three.
    assert text.count("Thursday 11/02 at 17:00") == 1
    assert "Friday 12/02 at 17:00" in text


async def test_schedule_shows_an_exception_of_the_ward(seeded: UnitOfWorkFactory) -> None:
    conversation = converse(seeded, FixedClock(datetime(2026, 12, 23, 8, 0, tzinfo=VN)))
    resident = Person(conversation)
    await resident.says("/start nk-hem-51")
    text = await resident.says("/schedule")
    assert "Wednesday 23/12 at 18:00" in text
    assert "Friday 25/12: no collection (cancelled by the ward)" in text


async def test_language_follows_saved_choice_then_platform_then_vietnamese(
    conversation: Conversation,
) -> None:
    english_phone = Person(conversation, "7", "en-US")
    assert "Here is what I can do" in await english_phone.says("/help")
    french_phone = Person(conversation, "8", "fr")
    assert "Here is what I can do" not in await french_phone.says("/help")

    await english_phone.says("/language")
    assert english_phone.options == ["Tiếng Việt", "English"]
    switched = await english_phone.says("1")
    assert "From now on I will speak English" not in switched
    assert "Here is what I can do" not in await english_phone.says("/help")


async def test_a_dialogue_survives_a_restart(seeded: UnitOfWorkFactory, clock: FixedClock) -> None:
    before = Person(converse(seeded, clock))
    await before.says("/subscribe")

    after = Person(converse(seeded, clock))  # a new process: nothing kept in memory
    await after.says("hem 14 mau than")
    assert after.options[0] == "Hẻm 14 Đường Mậu Thân (Phường Ninh Kiều)"
    await after.says("1")
    assert await subscriptions_of(seeded, after) == {"nk-hem-14-mau-than": 15}


async def test_cancel_leaves_the_dialogue(conversation: Conversation) -> None:
    resident = Person(conversation)
    assert "nothing to stop" in await resident.says("/cancel")
    await resident.says("/subscribe")
    assert "Stopped" in await resident.says("/cancel")
    assert "bell poster" in await resident.says("hem 51")  # greeted, not searched
    assert resident.options == ["Phường Ninh Kiều", "Phường Sóc Trăng", "Phường Thuận Hưng"]


async def test_text_that_answers_no_option_gets_the_options_again(
    conversation: Conversation,
) -> None:
    resident = Person(conversation)
    await resident.says("/language")
    assert "number of one of these options" in await resident.says("english please")
    assert resident.options == ["Tiếng Việt", "English"]
    await resident.says("9")
    assert resident.options == ["Tiếng Việt", "English"]


async def test_unknown_commands_and_stray_text_get_a_helpful_answer(
    conversation: Conversation,
) -> None:
    resident = Person(conversation)
    assert "/help" in await resident.says("/frobnicate")
    assert "code printed on your alley's bell poster" in await resident.says("xin chào")


async def test_an_officer_sees_their_role_in_help(conversation: Conversation) -> None:
    officer = Person(conversation, "9001")
    assert "Your role in Phường Ninh Kiều: officer." in await officer.says("/help")


async def test_a_failure_inside_reaches_the_resident_as_an_apology(
    seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    failures = ["database is down"]

    def flaky() -> UnitOfWork:
        if failures:
            raise ConnectionError(failures.pop())
        return seeded()

    resident = Person(converse(flaky, clock))
    text = await resident.says("/start")
    assert "Sorry, something went wrong" in text
    assert "ConnectionError" not in text
    async with seeded() as uow:  # the apology itself is on its way
        assert isinstance(uow, SqlUnitOfWork)
        queued = await uow.session.scalars(
            select(OutboxRow.payload).where(OutboxRow.chat_id == resident.sender.id)
        )
        assert [p["text"] for p in queued] == [text]


async def test_when_nothing_can_be_stored_the_channel_is_told(clock: FixedClock) -> None:
    def broken() -> UnitOfWork:
        raise ConnectionError("database is down")

    with pytest.raises(NotStored):
        await Person(converse(broken, clock)).says("/start")
