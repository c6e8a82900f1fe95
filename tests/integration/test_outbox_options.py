"""The options a typed number answers: kept with each queued message, apart from its payload,
and answered once the message was delivered; those of a bell, a notice or an invitation are the
buttons the bot worded for it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.chat.conversation import Conversation
from bot.chat.i18n import Catalogues
from bot.features.bell.wording import BellWording
from bot.features.calls.wording import CallWording
from core import organising
from core.holidays import VietnamHolidays
from core.mobilisation import CallDraft, CallKind
from core.model import NewMessage, Option, OutboxStatus
from scheduler.planner import Planner
from tests.conftest import WARD_ZONE, UnitOfWorkFactory
from tests.integration.conftest import Person, deliver
from tests.support import FixedClock

LANGUAGES = (("Tiếng Việt", "lang:vi"), ("English", "lang:en"))
MONDAY_EVENING = datetime(2026, 11, 30, 18, 0, tzinfo=WARD_ZONE)  # the clock's day, 18:00
OFFICER = "9001"  # Chị Lan, officer of Ninh Kiều in the demo seed
ADMIN = "9002"  # Anh Tuấn, admin of Ninh Kiều: may call volunteers


async def _queue(uow_factory: UnitOfWorkFactory, *messages: NewMessage) -> None:
    async with uow_factory() as uow:
        for message in messages:
            await uow.outbox.add(message)
        await uow.commit()


async def _offered(uow_factory: UnitOfWorkFactory, chat_id: str = "42") -> tuple[Option, ...]:
    async with uow_factory() as uow:
        return await uow.outbox.last_choices("console", chat_id)


async def test_the_options_given_to_a_message_are_those_a_number_answers_once_delivered(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    # The payload is the channels' business: the outbox never looks inside it.
    message = NewMessage("reply", "console", "42", {"text": "Which language?"}, options=LANGUAGES)
    await _queue(uow_factory, message)
    assert await _offered(uow_factory) == ()  # queued, not seen
    await _send_due(uow_factory, clock)
    assert await _offered(uow_factory) == LANGUAGES


def _planner(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> Planner:
    wording = BellWording(Catalogues(), "vi")
    return Planner(uow_factory, clock, VietnamHolidays(), wording, {"console": 30})


async def test_a_number_typed_after_a_bell_was_delivered_presses_its_first_button(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    person = Person(conversation)
    await person.says("/start nk-hem-51")  # Mon, Wed, Fri at 18:00
    assert (await _planner(seeded, clock).run()).planned == 1
    clock.move(MONDAY_EVENING - timedelta(minutes=15) - clock.now())
    assert "18:00" in await deliver(conversation)
    assert [data for _, data in await _offered(seeded)] == [
        f"rbell:nk-hem-51:{int(MONDAY_EVENING.timestamp()) // 60}"
    ]
    assert "18:00" in await person.says("1")  # a report about that collection begins


async def test_a_number_typed_while_a_bell_is_queued_answers_the_menu_the_person_saw(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    person = Person(conversation)
    await person.says("/start nk-hem-51")
    await person.says("/language")
    assert (await _planner(seeded, clock).run()).planned == 1  # rings at 17:45, not yet
    assert "From now on I will speak English" in await person.says("2")
    async with seeded() as uow:
        resident = await uow.residents.seen("console", "42", None, None)
    assert resident.language == "en"


async def test_a_number_typed_at_the_lead_menu_while_a_bell_is_queued_sets_the_lead(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    person = Person(conversation)
    await person.says("/start nk-hem-51")  # offers 10, 15, 30 and 60 minutes
    assert (await _planner(seeded, clock).run()).planned == 1
    assert "I will ring 10 minutes before" in await person.says("1")


async def test_a_bell_delivered_after_a_menu_is_what_a_number_answers_next(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    # The bell was queued first but reached the person last: the order of delivery counts.
    bell = NewMessage(
        "bell", "console", "42", {"text": "bell"}, not_before=clock.now() + timedelta(hours=1)
    )
    await _queue(uow_factory, replace(bell, options=(("Report", "r:1"),)))
    await _queue(uow_factory, NewMessage("reply", "console", "42", {}, options=LANGUAGES))
    await _send_due(uow_factory, clock)
    assert await _offered(uow_factory) == LANGUAGES
    clock.move(timedelta(hours=1))
    await _send_due(uow_factory, clock)
    assert await _offered(uow_factory) == (("Report", "r:1"),)


async def test_a_notice_without_options_leaves_the_question_standing(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await _queue(
        uow_factory,
        NewMessage("notice", "console", "42", {"text": "Is it fixed?"}, options=LANGUAGES),
        NewMessage("broadcast", "console", "42", {"text": "Clean-up on Sunday"}),
    )
    await _send_due(uow_factory, clock)
    assert await _offered(uow_factory) == LANGUAGES


async def test_a_message_on_its_way_is_answered_as_soon_as_it_shows(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await _queue(uow_factory, NewMessage("reply", "console", "42", {}, options=LANGUAGES))
    async with uow_factory() as uow:
        await uow.outbox.claim(["console"], clock.now(), timedelta(seconds=30), limit=10)
        await uow.commit()
    assert await _offered(uow_factory) == LANGUAGES


async def _send_due(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> None:
    now = clock.now()
    async with uow_factory() as uow:
        items = await uow.outbox.claim(["console"], now, timedelta(seconds=30), limit=10)
        await uow.outbox.finish([i.id for i in items], OutboxStatus.SENT, "", now)
        await uow.commit()


async def test_a_number_typed_after_a_notice_presses_its_first_button(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    person = Person(conversation)
    await person.says("/start nk-hem-51")
    await person.says("/report litter pile at the corner")
    await Person(conversation, OFFICER).says("/status 1 resolved")
    assert [data for _, data in await _offered(seeded)] == ["rfix:1:y", "rfix:1:n"]
    assert "Glad it is fixed!" in await person.says("1")


async def test_a_number_typed_after_an_invitation_presses_its_first_button(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    person = Person(conversation)
    await person.says("/start nk-hem-51")
    async with seeded() as uow:
        admin = await uow.officers.of_person("telegram", ADMIN)
        starts = clock.now() + timedelta(days=1)
        draft = CallDraft(
            ward_id=admin[0].ward.id,
            kind=CallKind.CLEAN_UP,
            title="Dọn hẻm 51",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            slots=5,
        )
        whole_ward = [alley.id for alley in await uow.alleys.in_ward(draft.ward_id)]
        wording = CallWording(Catalogues(), "vi", clock.now())
        await organising.open_call(uow, admin, draft, whole_ward, clock.now(), wording)
        await uow.commit()
    assert "Dọn hẻm 51" in await deliver(conversation)
    assert [data for _, data in await _offered(seeded)] == ["join:1", "decline:1"]
    assert "You have a place in Dọn hẻm 51" in await person.says("1")


async def test_options_queued_many_at_once_are_kept(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with uow_factory() as uow:
        await uow.outbox.add_new(
            [
                NewMessage("bell", "console", "42", {"text": "bell"}, key="bell:1"),
                NewMessage(
                    "bell", "console", "43", {"text": "bell"}, key="bell:2", options=LANGUAGES
                ),
            ]
        )
        await uow.commit()
    await _send_due(uow_factory, clock)
    assert await _offered(uow_factory, "42") == ()
    assert await _offered(uow_factory, "43") == LANGUAGES


async def test_the_latest_reply_that_offers_nothing_answers_nothing(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await _queue(
        uow_factory,
        NewMessage("reply", "console", "42", {"text": "Which?"}, options=LANGUAGES),
        NewMessage("reply", "console", "42", {"text": "Thanks"}),
    )
    await _send_due(uow_factory, clock)
    assert await _offered(uow_factory) == ()


async def test_a_message_never_delivered_leaves_the_options_before_it(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await _queue(
        uow_factory,
        NewMessage("reply", "console", "42", {"text": "Which?"}, options=LANGUAGES),
        NewMessage("bell", "console", "42", {"text": "bell"}, options=(("Report", "r:1"),)),
    )
    now = clock.now()
    async with uow_factory() as uow:
        items = await uow.outbox.claim(["console"], now, timedelta(seconds=30), limit=10)
        bells = [item.id for item in items if item.kind == "bell"]
        replies = [item.id for item in items if item.kind == "reply"]
        await uow.outbox.finish(bells, OutboxStatus.SKIPPED, "expired", now)
        await uow.outbox.finish(replies, OutboxStatus.SENT, "", now)
        await uow.commit()
    assert bells
    assert await _offered(uow_factory) == LANGUAGES
