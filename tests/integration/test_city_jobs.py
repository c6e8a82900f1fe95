"""Several instances on one database: each periodic job does its work once, however many run."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select, update

from bot.chat.conversation import Conversation
from bot.chat.i18n import Catalogues
from bot.features.announcements.wording import AnnouncementWording
from core import announcements
from core.announcements import PROGRESS_EVERY
from core.model import HolidayPolicy, Role
from core.ports import UnitOfWorkFactory
from core.reports import EventKind
from scheduler.jobs import follow_up_reports
from storage.models import OutboxRow, ReportEventRow
from storage.uow import SqlUnitOfWork
from tests.integration.conftest import Person
from tests.support import FixedClock

RESIDENT, OFFICER, ADMIN = "42", "9001", "9002"  # Chị Lan and Anh Tuấn of Ninh Kiều in the seed
RUNS = 3  # instances whose follow-up jobs start together
ANNOUNCED = AnnouncementWording(Catalogues(), "vi")


async def _texts_to(uow_factory: UnitOfWorkFactory, chat_id: str, words: str) -> list[str]:
    """What was queued for the chat in the console, where these people (and the demo's
    officers, who are on Telegram too) are reached."""
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        rows = await uow.session.scalars(
            select(OutboxRow).where(OutboxRow.chat_id == chat_id, OutboxRow.channel == "console")
        )
        return [str(r.payload["text"]) for r in rows if words in str(r.payload["text"])]


async def _escalations(uow_factory: UnitOfWorkFactory) -> int:
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        found = await uow.session.scalar(
            select(func.count())
            .select_from(ReportEventRow)
            .where(ReportEventRow.kind == EventKind.ESCALATED.value)
        )
        return int(found or 0)


async def test_follow_ups_run_together_by_three_instances_escalate_and_ask_once(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    person = Person(conversation, RESIDENT)
    await person.says("/start nk-hem-51")
    await person.says("/report litter pile by the canal")  # #1: nobody acknowledges it
    await person.says("/report lighting the lamp is out")  # #2: resolved, never rated
    await Person(conversation, OFFICER).says("/status 2 resolved")
    clock.move(timedelta(days=3, hours=1))  # #1 past its target, #2's question unanswered

    triage = conversation.triage
    await asyncio.gather(*(follow_up_reports(seeded, clock, triage) for _ in range(RUNS)))
    await asyncio.gather(*(follow_up_reports(seeded, clock, triage) for _ in range(RUNS)))

    assert await _escalations(seeded) == 1
    assert len(await _texts_to(seeded, ADMIN, "chưa được tiếp nhận")) == 1
    asked = await _texts_to(seeded, RESIDENT, "Is it fixed?")
    assert len(asked) == 2  # when it was resolved, and once more


async def _announcement_notices(uow_factory: UnitOfWorkFactory) -> list[str]:
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        keys = await uow.session.scalars(
            select(OutboxRow.key).where(OutboxRow.key.startswith("announced:"))
        )
        return sorted(str(key).split(":")[2] for key in keys)


async def _follow_up_together(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> None:
    async def one_run() -> None:
        async with uow_factory() as uow:
            await announcements.follow_up(uow, clock.now(), ANNOUNCED)
            await uow.commit()

    await asyncio.gather(*(one_run() for _ in range(RUNS)))


async def test_announcement_follow_ups_run_together_tell_the_officer_once(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        ward, _ = await uow.wards.upsert(
            "ninh-kieu", "Phường Ninh Kiều", "Asia/Ho_Chi_Minh", HolidayPolicy.SKIP
        )
        alley, _ = await uow.alleys.upsert(ward, "nk-hem-51", "Hẻm 51", None, (), ())
        officer, _ = await uow.officers.upsert(ward, "fake", "officer", Role.OFFICER, "Lan")
        for number in range(3):
            resident = await uow.residents.seen("fake", f"r{number}", None, "vi")
            await uow.subscriptions.add(resident.id, alley, 15)
        await uow.commit()
    async with uow_factory() as uow:
        await announcements.announce(
            uow, [officer], ward.id, [], "Tổng vệ sinh", ("fake", "officer"), "vi", ANNOUNCED
        )
        await uow.commit()

    clock.move(PROGRESS_EVERY)
    await _follow_up_together(uow_factory, clock)
    assert len(await _announcement_notices(uow_factory)) == 1  # how far it has come, once

    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        await uow.session.execute(
            update(OutboxRow).where(OutboxRow.kind == "broadcast").values(status="sent")
        )
        await uow.commit()
    await _follow_up_together(uow_factory, clock)
    notices = await _announcement_notices(uow_factory)
    assert notices.count("done") == 1 and len(notices) == 2  # and the summary, once
