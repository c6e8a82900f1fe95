"""A typed alley code follows the alley: on Zalo there is no deep link, only the poster's code."""

from __future__ import annotations

from bot.chat.conversation import Conversation
from core.ports import UnitOfWorkFactory
from tests.integration.conftest import Person
from tests.integration.test_conversation import subscriptions_of


async def test_a_newcomers_first_words_are_answered_with_a_request_for_the_code(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    resident = Person(conversation)
    greeting = await resident.says("xin chào")
    assert greeting.startswith("Hello! I am Urban Bell")
    assert "code printed on your alley's bell poster (for example: nk-hem-51)" in greeting

    followed = await resident.says("nk-hem-51")
    assert "You now follow Hẻm 51 Đường 3 Tháng 2" in followed
    assert await subscriptions_of(seeded, resident) == {"nk-hem-51": 15}


async def test_after_the_greeting_a_name_is_searched(conversation: Conversation) -> None:
    resident = Person(conversation)
    await resident.says("chào bot")
    await resident.says("hem 132")
    assert resident.options[0] == "Hẻm 132 Đường 3 Tháng 2 (Phường Ninh Kiều)"


async def test_a_bare_code_follows_the_alley_whatever_its_letter_case(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    resident = Person(conversation)
    assert "You now follow Hẻm 132" in await resident.says("Nk-hem-132")
    assert await subscriptions_of(seeded, resident) == {"nk-hem-132": 15}


async def test_a_code_typed_in_the_search_follows_at_once(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    resident = Person(conversation)
    await resident.says("/subscribe")
    assert "You now follow Hẻm 51" in await resident.says("nk-hem-51")
    assert await subscriptions_of(seeded, resident) == {"nk-hem-51": 15}


async def test_someone_who_follows_an_alley_is_not_greeted_again(
    conversation: Conversation,
) -> None:
    resident = Person(conversation)
    await resident.says("/start nk-hem-51")
    await resident.says("/help")
    assert "/subscribe and its name" in await resident.says("cảm ơn")
