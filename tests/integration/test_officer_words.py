"""Officers type states and filters in Vietnamese, with or without accents; /status N
duplicate M takes M; a closed report is refused before any question; usages list every form."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat.conversation import Conversation
from core.ports import UnitOfWorkFactory
from tests.integration.conftest import Person
from tests.integration.test_reports import OFFICER, _report_row, _resident
from tests.support import FixedClock


async def _reports(conversation: Conversation, *texts: str) -> Person:
    person = await _resident(conversation)
    for text in texts:
        await person.says(f"/report {text}")
    return Person(conversation, OFFICER, "vi")


@pytest.mark.parametrize(
    ("typed", "state"),
    [
        ("tiếp nhận", "acknowledged"),
        ("tiep nhan", "acknowledged"),
        ("đang xử lý", "in_progress"),
        ("dang xu ly", "in_progress"),
        ("đã xử lý", "resolved"),
        ("Da Xu Ly", "resolved"),
    ],
)
async def test_a_state_in_vietnamese_moves_the_report(
    conversation: Conversation, seeded: UnitOfWorkFactory, typed: str, state: str
) -> None:
    officer = await _reports(conversation, "lighting the lamp is out")
    await officer.says(f"/status 1 {typed} thợ điện đã thay bóng")
    row = await _report_row(seeded, 1)
    assert row.state == state


async def test_the_note_after_a_vietnamese_state_reaches_the_reporter(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    officer = await _reports(conversation, "lighting the lamp is out")
    answer = await officer.says("/status 1 đã xử lý thợ điện đã thay bóng")
    assert "Đã xử lý" in answer
    assert "/status" not in answer


async def test_tu_choi_asks_for_the_reason(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    officer = await _reports(conversation, "road hole")
    assert "#1" in await officer.says("/status 1 từ chối")
    await officer.says("đất tư nhân")
    assert (await _report_row(seeded, 1)).state == "rejected"


async def test_status_duplicate_takes_the_other_number_at_once(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    officer = await _reports(conversation, "road hole one", "road hole two")
    await officer.says("/status 2 duplicate 1")
    row = await _report_row(seeded, 2)
    assert (row.state, row.duplicate_of_id) == ("duplicate", 1)


async def test_trung_with_a_number_and_a_note(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    officer = await _reports(conversation, "road hole one", "road hole two")
    await officer.says("/status 2 trùng 1 cùng một ổ gà")
    row = await _report_row(seeded, 2)
    assert (row.state, row.duplicate_of_id) == ("duplicate", 1)


async def test_a_closed_report_is_refused_before_asking_for_the_other_number(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    officer = await _reports(conversation, "road hole one", "road hole two", "road hole three")
    officer = Person(conversation, OFFICER, "en")
    await officer.says("/status 2 resolved")

    answer = await officer.says("/status 2 duplicate")

    assert answer == "#2 is Resolved; it cannot become Duplicate."
    await officer.says("3")  # no question is open: a bare number is not taken as the original
    assert (await _report_row(seeded, 2)).state == "resolved"
    assert (await officer.presses("rrej:2")) == "#2 is Resolved; it cannot become Rejected."


async def test_the_status_usage_lists_every_form(conversation: Conversation) -> None:
    officer = Person(conversation, OFFICER, "en")
    usage = await officer.says("/status 1")
    for form in ("acknowledged", "in_progress", "resolved", "rejected", "duplicate", "trùng"):
        assert form in usage
    assert "đang xử lý" in await Person(conversation, OFFICER, "vi").says("/status")


@pytest.mark.parametrize(
    ("filters", "shown", "hidden"),
    [
        ("đèn", "#2", "#1"),
        ("den", "#2", "#1"),
        ("rác", "#1", "#2"),
        ("quá hạn", "#1", "#2"),
        ("qua han rac", "#1", "#2"),
        ("tiếp nhận", "#2", "#1"),
    ],
)
async def test_inbox_filters_in_vietnamese(
    conversation: Conversation,
    seeded: UnitOfWorkFactory,
    filters: str,
    shown: str,
    hidden: str,
    clock: FixedClock,
) -> None:
    person = await _resident(conversation)
    await person.says("/report litter first")
    clock.move(timedelta(days=2))
    await person.says("/report lighting second")
    officer = Person(conversation, OFFICER, "vi")
    await officer.says("/status 2 tiếp nhận")

    listed = await officer.says(f"/inbox {filters}")

    assert shown in listed and hidden not in listed


async def test_inbox_cua_toi_and_an_unknown_word(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    officer = await _reports(conversation, "litter first", "lighting second")
    await officer.presses("rme:2")
    mine = await officer.says("/inbox của tôi")
    assert "#2" in mine and "#1" not in mine
    refused = await Person(conversation, OFFICER, "en").says("/inbox bogus")
    assert refused.startswith("I do not know the filter “bogus”.")
    assert "quá hạn" in refused and "của tôi" in refused
