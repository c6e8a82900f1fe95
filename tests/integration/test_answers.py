"""Answers typed on a channel without buttons (the console, Zalo): the numbers and the words
people type for the options on their screen, the hint when they pick none, and the questions
that wait for them."""

from __future__ import annotations

import pytest

from bot.chat.conversation import Conversation
from core.ports import UnitOfWorkFactory
from tests.integration.conftest import Person, open_call
from tests.support import FixedClock

OFFICER = "9001"  # Chị Lan, officer of Ninh Kiều in the demo seed
GREETING = "Hello! I am Urban Bell"


async def _language(seeded: UnitOfWorkFactory, person: Person) -> str | None:
    async with seeded() as uow:
        resident = await uow.residents.seen("console", person.sender.id, None, None)
    return resident.language


async def _lead(seeded: UnitOfWorkFactory) -> int:
    async with seeded() as uow:
        resident = await uow.residents.seen("console", "42", None, None)
        [subscription] = await uow.subscriptions.of_resident(resident.id)
    return subscription.lead_minutes


@pytest.mark.parametrize("typed", ["English", "english", "  ENGLISH ", "2.", "\uff12", "so 2"])
async def test_a_language_is_picked_by_its_name_or_its_number_as_people_type_it(
    conversation: Conversation, seeded: UnitOfWorkFactory, typed: str
) -> None:
    person = Person(conversation, language=None)
    await person.says("/language")
    assert "speak English" in await person.says(typed)
    assert await _language(seeded, person) == "en"


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [("30 phút", 30), ("30 minutes", 30), ("30", 30), ("3.", 30), ("\uff16\uff10", 60)],
)
async def test_a_lead_time_is_picked_by_its_minutes_in_any_words(
    conversation: Conversation, seeded: UnitOfWorkFactory, typed: str, minutes: int
) -> None:
    person = Person(conversation)  # in English: the options say "10 min"…
    await person.says("/start nk-hem-51")
    assert person.options == ["10 min", "15 min", "30 min", "60 min"]
    assert f"I will ring {minutes} minutes before" in await person.says(typed)
    assert await _lead(seeded) == minutes


async def test_a_category_is_picked_by_a_word_of_its_name_without_accents(
    conversation: Conversation,
) -> None:
    person = Person(conversation, language="vi")
    await person.says("/start nk-hem-51")
    await person.says("/report")
    assert "Rác thải, đổ rác trái phép" in person.options
    described = await person.says("rac")
    assert "Mô tả" in described, described


@pytest.mark.parametrize("typed", ["0", "9", "-1", "hello"])
async def test_an_answer_that_picks_no_option_gets_a_hint_and_the_options_not_a_greeting(
    conversation: Conversation, seeded: UnitOfWorkFactory, typed: str
) -> None:
    person = Person(conversation)
    await person.says("/language")
    hint = await person.says(typed)
    assert hint == "Please type the number of one of these options:"
    assert person.options == ["Tiếng Việt", "English"]
    assert await _language(seeded, person) is None


@pytest.mark.parametrize("typed", ["0", "9", "-1"])
async def test_a_newcomer_answering_the_first_menu_wrongly_is_shown_it_again(
    conversation: Conversation, typed: str
) -> None:
    person = Person(conversation)
    assert GREETING in await person.says("/start")
    assert await person.says(typed) == "Please type the number of one of these options:"
    assert person.options == ["Find my alley", "What can you do?"]


async def test_an_officer_is_never_greeted_as_a_newcomer(conversation: Conversation) -> None:
    officer = Person(conversation, OFFICER)
    answer = await officer.says("-1")
    assert GREETING not in answer
    assert "/help" in answer


async def test_five_typed_at_the_rating_gives_five_stars(
    conversation: Conversation,
) -> None:
    person = Person(conversation)
    await person.says("/start nk-hem-51")
    await person.says("/report litter pile at the corner")
    await Person(conversation, OFFICER).says("/status 1 resolved")
    assert "Glad it is fixed!" in await person.says("1")
    assert person.options == ["⭐", "⭐⭐", "⭐⭐⭐", "⭐⭐⭐⭐", "⭐⭐⭐⭐⭐"]
    assert "Thank you for rating!" in await person.says("5")
    assert "Satisfaction: 5.0/5 from 1 rating" in await person.says("/indicators")


async def test_is_it_fixed_can_be_found_again_in_my_reports(
    conversation: Conversation,
) -> None:
    person = Person(conversation)
    await person.says("/start nk-hem-51")
    await person.says("/report litter pile at the corner")
    await Person(conversation, OFFICER).says("/status 1 resolved")
    await person.says("/schedule")  # something else first: the question is off the screen
    listed = await person.says("/myreports")
    assert "#1 is resolved: is it fixed?" in listed
    assert person.options == ["#1: Yes, it is fixed", "#1: No, not fixed"]
    assert "Glad it is fixed!" in await person.says("1")
    await person.says("4")
    assert "is it fixed?" not in await person.says("/myreports")
    assert person.options == []


async def test_a_channel_without_buttons_says_type_the_number_and_one_with_says_press(
    conversation: Conversation,
) -> None:
    typing = Person(conversation)
    await typing.says("/report")
    await typing.says("1")
    assert await typing.says("the bin is full") == (
        "Send one or more photos if you can, then type 1 (“Next”)."
    )
    pressing = Person(conversation, "43", channel="telegram")
    await pressing.says("/report")
    await pressing.presses(pressing.option_data()[0])
    assert await pressing.says("the bin is full") == (
        "Send one or more photos if you can, then press “Next”."
    )


async def test_an_invitation_not_yet_answered_can_be_found_in_my_reports(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    person = Person(conversation)
    await person.says("/start nk-hem-51")
    await open_call(seeded, clock, "Dọn hẻm 51")
    await person.says("/schedule")  # the invitation is off the screen
    listed = await person.says("/myreports")
    assert "You are invited to Dọn hẻm 51: will you join?" in listed
    assert person.options == ["Dọn hẻm 51: I'll join", "Dọn hẻm 51: I can't"]
    assert "You have a place in Dọn hẻm 51" in await person.says("1")
    assert await person.says("/myreports") == (
        "You have filed no report yet. Send /report to file one."
    )
