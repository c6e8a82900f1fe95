"""Hostile text through the real adapters, on SQLite and PostgreSQL: what one accepts and the
other refuses is cleaned at the edge or bounded before it is stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from telegram import Update

from bot.channels.telegram.adapter import to_incoming as from_telegram
from bot.channels.zalo.adapter import to_incoming as from_zalo
from bot.chat.conversation import Conversation
from bot.chat.events import Incoming, Kind
from bot.chat.replies import Reply
from core import limits
from core.ports import UnitOfWorkFactory
from storage.models import ReportRow, ResidentRow
from storage.uow import SqlUnitOfWork

SORRY = "Sorry, something went wrong"


def telegram_text(text: str, first_name: str = "Ba", update_id: int = 1) -> Incoming:
    data = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_790_000_000,
            "chat": {"id": 4242, "type": "private"},
            "from": {"id": 4242, "is_bot": False, "first_name": first_name, "language_code": "en"},
            "text": text,
        },
    }
    update = Update.de_json(data, None)
    assert update is not None
    event = from_telegram(update)
    assert event is not None
    return event


def zalo_text(text: str, name: str = "Lan", message_id: str = "m1") -> Incoming:
    update: dict[str, Any] = {
        "event_name": "message.text.received",
        "message": {
            "message_id": message_id,
            "from": {"id": "6ede9afa66b88fe6d6a9", "display_name": name, "is_bot": False},
            "chat": {"id": "6ede9afa66b88fe6d6a9", "chat_type": "PRIVATE"},
            "date": 1_750_316_131_602,
            "text": text,
        },
    }
    event = from_zalo(update)
    assert event is not None
    return event


def said(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def descriptions(uow_factory: UnitOfWorkFactory) -> list[str]:
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        return list(await uow.session.scalars(select(ReportRow.description)))


async def names(uow_factory: UnitOfWorkFactory) -> list[str | None]:
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        return list(await uow.session.scalars(select(ResidentRow.display_name)))


async def test_a_nul_byte_in_a_report_is_dropped_and_the_report_filed(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    await conversation.handle(zalo_text("/start nk-hem-51", message_id="m1"))
    answer = said(
        await conversation.handle(
            zalo_text("/report lighting Đèn\x00 số 12 hỏng\u202e gpj.exe", message_id="m2")
        )
    )
    assert SORRY not in answer and "#" in answer
    assert await descriptions(seeded) == ["Đèn số 12 hỏng gpj.exe"]


async def test_a_nul_in_a_display_name_never_locks_the_person_out(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    first = await conversation.handle(telegram_text("/start", "Ba\x00\u202eBa", update_id=1))
    second = await conversation.handle(telegram_text("/mine", "Ba\x00\u202eBa", update_id=2))
    assert SORRY not in said(first) and SORRY not in said(second)
    assert await names(seeded) == ["BaBa"]


async def test_a_zalo_name_over_its_column_is_cut_and_every_message_answered(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    name = "Nguyễn " * 50  # 350 characters
    for number in range(3):
        answer = said(await conversation.handle(zalo_text("/help", name, f"m{number}")))
        assert SORRY not in answer and answer
    (kept,) = await names(seeded)
    assert kept is not None and len(kept) == limits.NAME and kept.startswith("Nguyễn")


async def test_a_search_of_a_thousand_words_gets_a_clear_answer(
    conversation: Conversation,
) -> None:
    answer = said(await conversation.handle(zalo_text("/subscribe " + "hem " * 1000)))
    assert SORRY not in answer
    # Zalo tells no language: the answer is in Vietnamese.
    assert f"tối đa {limits.SEARCH} ký tự" in answer


async def test_a_description_over_the_limit_is_refused_whole_and_nothing_is_filed(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    await conversation.handle(telegram_text("/start nk-hem-51", update_id=1))
    too_long = "x" * (limits.DESCRIPTION + 1)
    answer = said(
        await conversation.handle(telegram_text(f"/report litter {too_long}", update_id=2))
    )
    assert SORRY not in answer and f"at most {limits.DESCRIPTION} characters" in answer
    assert await descriptions(seeded) == []

    # In the guided dialogue the step stays where it was: a shorter text goes on.
    await conversation.handle(telegram_text("/report", update_id=3))
    choose = Incoming(telegram_text("x", update_id=4).sender, Kind.CHOICE, choice="rcat:litter")
    await conversation.handle(choose)
    refused = said(await conversation.handle(telegram_text(too_long, update_id=5)))
    assert f"at most {limits.DESCRIPTION} characters" in refused
    went_on = said(await conversation.handle(telegram_text("Rác ở đầu hẻm", update_id=6)))
    assert "photo" in went_on


async def test_when_a_volunteer_is_free_is_bounded_by_its_column_and_asked_again(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    await conversation.handle(telegram_text("/start th-hem-18-thot-not", update_id=1))
    sender = telegram_text("x", update_id=2).sender
    await conversation.handle(telegram_text("/volunteer", update_id=3))
    await conversation.handle(Incoming(sender, Kind.CHOICE, choice="vo"))
    await conversation.handle(Incoming(sender, Kind.CHOICE, choice="vok:transport"))
    await conversation.handle(telegram_text("Xe ba gác chở rác", update_id=4))
    long_time = "Sáng thứ Bảy " * 30  # 390 characters, past limits.AVAILABLE
    refused = said(await conversation.handle(telegram_text(long_time, update_id=5)))
    assert SORRY not in refused and "in a few words when you are free" in refused
    thanked = said(await conversation.handle(telegram_text("Sáng thứ Bảy", update_id=6)))
    assert thanked.startswith("Thank you!")
