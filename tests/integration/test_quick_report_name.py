"""A quick `/report <category> <text>` says that it carries the resident's name, and offers to
take the name off."""

from __future__ import annotations

from bot.chat.conversation import Conversation
from core.ports import UnitOfWorkFactory
from tests.integration.conftest import Person

OFFICER = "9001"  # Chị Lan, officer of Ninh Kiều


async def test_a_quick_report_says_it_carries_the_name_and_can_be_made_anonymous(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    resident = Person(conversation)
    await resident.says("/start nk-hem-51")
    thanks = await resident.says("/report lighting đèn số 12 tắt")
    assert "#1" in thanks and "filed with your name" in thanks
    assert "Make it anonymous" in resident.options
    assert "Cô Ba" in await Person(conversation, OFFICER).says("/show 1")

    made = await resident.presses("radd:1:hide")
    assert "#1 is anonymous now" in made
    shown = await Person(conversation, OFFICER).says("/show 1")
    assert "Cô Ba" not in shown and "anonymous resident" in shown


async def test_only_the_reporter_may_make_a_report_anonymous(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    resident = Person(conversation)
    await resident.says("/start nk-hem-51")
    await resident.says("/report lighting đèn số 12 tắt")
    await Person(conversation, "77").presses("radd:1:hide")
    assert "Cô Ba" in await Person(conversation, OFFICER).says("/show 1")
