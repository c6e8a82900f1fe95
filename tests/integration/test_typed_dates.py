"""Organisers type a call's day and its sign-up deadline day first, as the ward writes them."""

from __future__ import annotations

import pytest

from bot.chat.conversation import Conversation
from core.ports import UnitOfWorkFactory
from tests.integration.conftest import Person
from tests.integration.test_volunteer_dialogues import CHI_HOA, alley_choice


@pytest.mark.parametrize("day", ["5/12", "05/12/2026", "5-12-2026", "2026-12-05"])
async def test_a_calls_day_and_deadline_are_understood_day_first(
    conversation: Conversation, seeded: UnitOfWorkFactory, day: str
) -> None:
    organiser = Person(conversation, CHI_HOA, "en")
    await organiser.says("/newcall")
    await organiser.presses("nck:clean_up")
    await organiser.says("Dọn hẻm 3 Quốc lộ 91")
    await organiser.says(f"{day} 7:00-10:00")
    await organiser.says("Đầu hẻm 3")
    await organiser.says("2")
    await organiser.says("4/12 20:00")
    await organiser.says("Găng tay")
    await organiser.presses(await alley_choice(organiser, "Hẻm 3 Quốc lộ 91"))

    preview = await organiser.presses("nca:done")

    assert "When: Saturday 05/12, 07:00-10:00" in preview
    assert "Friday 04/12 20:00" in preview


async def test_a_day_that_does_not_exist_asks_again_naming_the_forms(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    organiser = Person(conversation, CHI_HOA, "en")
    await organiser.says("/newcall")
    await organiser.presses("nck:clean_up")
    await organiser.says("Dọn hẻm")
    answer = await organiser.says("31/2 07:00-10:00")
    assert "5/12 07:00-10:00" in answer and "2026-12-05 07:00-10:00" in answer
