"""Finding an alley and a call: codes in any letter case, search pages, what search repeats,
calls "near you", and option labels cut at a word."""

from __future__ import annotations

import yaml

from bot.chat.conversation import Conversation
from core.ports import UnitOfWorkFactory
from core.seeding import apply_seed, parse_seed
from tests.integration.conftest import Person, deliver, open_call
from tests.support import FixedClock

OFFICER = "9001"  # Chị Lan, officer of Ninh Kiều in the demo seed
BIDI = "\u202e"  # RIGHT-TO-LEFT OVERRIDE


async def test_start_takes_an_alley_code_in_any_letter_case(conversation: Conversation) -> None:
    person = Person(conversation)
    assert "You now follow Hẻm 132 Đường 3 Tháng 2" in await person.says("/start NK-HEM-132")


async def test_skip_takes_an_alley_code_in_any_letter_case(conversation: Conversation) -> None:
    officer = Person(conversation, OFFICER)
    answer = await officer.says("/skip NK-Hem-51 2026-12-02")
    assert "No alley has the code" not in answer
    assert "Hẻm 51" in answer


async def test_a_seed_in_other_letter_case_updates_the_same_alley(
    seeded: UnitOfWorkFactory,
) -> None:
    seed = {
        "wards": [
            {
                "code": "NINH-KIEU",
                "name": "Phường Ninh Kiều",
                "holidays": "skip",
                "alleys": [
                    {
                        "code": "NK-HEM-51",
                        "name": "Hẻm 51 (mới)",
                        "collections": [{"days": ["mon"], "time": "18:00"}],
                    }
                ],
            }
        ]
    }
    async with seeded() as uow:
        summary = await apply_seed(uow, parse_seed(yaml.safe_load(yaml.dump(seed))), "UTC")
        await uow.commit()
        alley = await uow.alleys.by_code("nk-hem-51")
        ward = await uow.wards.by_code("ninh-kieu")
    assert alley is not None and (alley.code, alley.name) == ("nk-hem-51", "Hẻm 51 (mới)")
    assert ward is not None and ward.code == "ninh-kieu"
    assert summary.created == {} and summary.updated == {"wards": 1, "alleys": 1}


async def test_a_search_with_many_matches_pages_through_all_of_them(
    conversation: Conversation,
) -> None:
    person = Person(conversation)
    await person.says("/subscribe hẻm")
    first = person.options
    assert len(first) == 10 and first[-2:] == ["More…", "Pick from my ward's list"]
    await person.says("9")  # "More…", typed
    second = person.options
    assert second[-1] == "Pick from my ward's list" and "More…" not in second
    alleys = first[:-2] + second[:-1]
    assert len(alleys) == len(set(alleys)) == 11  # every "Hẻm" of the demo wards, once
    assert "You now follow" in await person.says("1")


async def test_a_long_search_is_echoed_short_and_without_direction_overrides(
    conversation: Conversation,
) -> None:
    person = Person(conversation)
    refused = await person.says("/subscribe " + BIDI + "abc " * 1250)
    assert BIDI not in refused and "at most 100 characters" in refused
    answer = await person.says("/subscribe " + BIDI + "abc " * 24)
    assert BIDI not in answer
    assert len(answer) < 200
    assert "abc abc…”" in answer


async def test_volunteer_says_near_you_only_of_the_persons_own_ward(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await open_call(seeded, clock, "Dọn hẻm 51")  # in Ninh Kiều
    newcomer = Person(conversation, "7")
    listed = await newcomer.says("/volunteer")
    assert "calls near you" not in listed
    assert "You follow no alley" in listed and "Dọn hẻm 51" in newcomer.options[0]
    elsewhere = Person(conversation, "8")
    await elsewhere.says("/start st-hem-30-thd")  # in Sóc Trăng
    assert "No volunteer call near you" in await elsewhere.says("/volunteer")
    neighbour = Person(conversation, "9")
    await neighbour.says("/start nk-hem-51")
    await deliver(conversation)
    assert "Volunteer calls near you" in await neighbour.says("/volunteer")


async def test_a_long_call_title_is_cut_at_a_word_and_keeps_its_time(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    title = "Dọn sạch toàn bộ rác thải dọc bờ kè sông Cần Thơ và các hẻm lân cận"
    await open_call(seeded, clock, title)
    neighbour = Person(conversation)
    await neighbour.says("/start nk-hem-51")
    await neighbour.says("/volunteer")
    label = neighbour.options[0]
    assert len(label) <= 60
    shown, at = label.split(" · ")
    assert shown.endswith("…") and title.startswith(shown[:-1])
    assert title[len(shown) - 1] == " "  # cut between words
    assert at[-3] == ":" and at[-2:].isdecimal(), at  # the time whole: HH:MM
