"""Officers' schedule changes act only on real collections, show a preview first, and tell
each change once; dates are typed day first and shown with the year when it is another."""

from __future__ import annotations

import pytest

from bot.chat.conversation import Conversation
from bot.features.bell.calendar_changes import CONFIRM
from core.ports import UnitOfWorkFactory
from tests.integration.conftest import Person
from tests.integration.test_officers import CHI_LAN, exceptions, notices

# The clock stands at Monday 30/11/2026 08:00; nk-hem-51 is collected Mon, Wed, Fri at 18:00.


async def followers(conversation: Conversation) -> Person:
    english = Person(conversation, "2", "en")
    await english.says("/start nk-hem-51")
    await Person(conversation, "1", None).says("/start nk-hem-51")
    return english


async def test_a_skip_on_a_day_without_collection_is_refused_naming_the_alleys_days(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    await followers(conversation)
    officer = Person(conversation, CHI_LAN, "en")

    answer = await officer.says("/skip nk-hem-51 2026-12-08")

    assert answer == (
        "nk-hem-51 has no collection on Tuesday 08/12; its truck comes "
        "Monday, Wednesday, Friday at 18:00."
    )
    assert officer.options == []
    assert await exceptions(seeded) == []
    assert await notices(seeded) == []


async def test_a_move_from_a_day_without_collection_is_refused(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    officer = Person(conversation, CHI_LAN, "vi")
    answer = await officer.says("/move nk-hem-51 2026-12-15 2026-12-16 07:00")
    assert "Thứ Ba 15/12" in answer and "Thứ Hai, Thứ Tư, Thứ Sáu" in answer
    assert await exceptions(seeded) == []


async def test_a_move_onto_a_time_that_has_a_collection_is_refused(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    officer = Person(conversation, CHI_LAN, "en")
    answer = await officer.says("/move nk-hem-51 2026-12-07 2026-12-09 18:00")
    assert answer == (
        "nk-hem-51 already has a collection on Wednesday 09/12 at 18:00; choose another time."
    )
    assert await exceptions(seeded) == []


async def test_the_officer_sees_what_residents_read_and_how_many_before_anyone_is_told(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    await followers(conversation)
    officer = Person(conversation, CHI_LAN, "en")

    preview = await officer.says("/skip nk-hem-51 2/12")

    assert preview == (
        "Residents will read:\n\n"
        "🔔 Hẻm 51 Đường 3 Tháng 2: no garbage collection on Wednesday 02/12.\n\n"
        "It goes to 2 followers of the alley."
    )
    assert officer.option_data() == [CONFIRM, "cancel"]
    assert await exceptions(seeded) == [] and await notices(seeded) == []

    done = await officer.presses(CONFIRM)

    assert done.endswith("2 followers are being told.")
    assert await exceptions(seeded) == [("2026-12-02", "skip")]
    assert len(await notices(seeded)) == 2


async def test_cancelling_the_preview_changes_nothing(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    await followers(conversation)
    officer = Person(conversation, CHI_LAN, "en")
    await officer.says("/skip nk-hem-51 2/12")
    await officer.presses("cancel")
    assert "out of date" in await officer.presses(CONFIRM)
    assert await exceptions(seeded) == [] and await notices(seeded) == []


async def test_repeating_a_skip_tells_no_one_again(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    await followers(conversation)
    officer = Person(conversation, CHI_LAN, "en")
    await officer.says("/skip nk-hem-51 2/12")
    await officer.presses(CONFIRM)

    again = await officer.says("/skip nk-hem-51 02/12/2026")

    assert again == (
        "It is already so: Hẻm 51 Đường 3 Tháng 2: no garbage collection on Wednesday 02/12. "
        "No one is told again."
    )
    assert officer.options == []
    assert len(await notices(seeded)) == 2


async def test_unskip_gives_the_collection_back_and_tells_it_once(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    english = await followers(conversation)
    officer = Person(conversation, CHI_LAN, "en")
    await officer.says("/skip nk-hem-51 2/12")
    await officer.presses(CONFIRM)

    preview = await officer.says("/unskip nk-hem-51 2-12-2026")
    assert "🔔 Hẻm 51 Đường 3 Tháng 2: the collection of Wednesday 02/12 is back" in preview
    done = await officer.presses(CONFIRM)

    assert done == (
        "Done: the collection of Wednesday 02/12 in Hẻm 51 Đường 3 Tháng 2 is back at 18:00. "
        "2 followers are being told."
    )
    assert await exceptions(seeded) == []
    assert len(await notices(seeded)) == 4
    assert "Wednesday 02/12 at 18:00" in await english.says("/schedule")
    assert "already as usual" in await officer.says("/unskip nk-hem-51 2/12")
    assert officer.options == []
    assert len(await notices(seeded)) == 4


async def test_moving_a_collection_back_to_its_own_time_undoes_the_move(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    await followers(conversation)
    officer = Person(conversation, CHI_LAN, "en")
    await officer.says("/move nk-hem-51 2/12 3/12 07:00")
    await officer.presses(CONFIRM)
    assert await exceptions(seeded) == [("2026-12-02", "move")]

    await officer.says("/move nk-hem-51 2/12 2/12 18:00")
    done = await officer.presses(CONFIRM)

    assert "is back at 18:00" in done
    assert await exceptions(seeded) == []
    assert len(await notices(seeded)) == 4


@pytest.mark.parametrize("typed", ["2/12", "02/12", "02/12/2026", "2-12-2026", "2026-12-02"])
async def test_days_are_typed_day_first_or_iso(
    conversation: Conversation, seeded: UnitOfWorkFactory, typed: str
) -> None:
    officer = Person(conversation, CHI_LAN, "en")
    assert "Wednesday 02/12" in await officer.says(f"/skip nk-hem-51 {typed}")
    await officer.presses(CONFIRM)
    assert await exceptions(seeded) == [("2026-12-02", "skip")]


async def test_a_day_of_another_year_is_shown_with_its_year(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    await followers(conversation)
    officer = Person(conversation, CHI_LAN, "en")
    preview = await officer.says("/skip nk-hem-51 31/12/2027")
    assert "no garbage collection on Friday 31/12/2027." in preview
    await officer.presses(CONFIRM)
    told = dict(await notices(seeded))
    assert "Thứ Sáu 31/12/2027" in told["1"]
    assert "Friday 31/12/2027" in told["2"]
