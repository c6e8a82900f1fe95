"""An announcement to 10,000 residents through the outbox, on both dialects: each resident gets
it exactly once, those who blocked the bot are marked, a dispatcher that dies in the middle loses
nothing, and the officer is told how it went."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import func, insert, select

from bot.chat.i18n import Catalogues
from bot.features.announcements.wording import AnnouncementWording
from core import announcements
from core.announcements import PROGRESS_EVERY
from core.model import Delivery, HolidayPolicy, Officer, Outcome, Role
from scheduler.dispatcher import DispatchPolicy
from storage.models import OutboxRow, ResidentRow, SubscriptionRow
from storage.uow import SqlUnitOfWork
from tests.conftest import UnitOfWorkFactory
from tests.integration.test_dispatcher import dispatcher_for
from tests.support import FixedClock

RESIDENTS = 10_000
BLOCKED = [f"r{n}" for n in range(0, RESIDENTS, 200)]  # 50 of them blocked the bot
WORDING = AnnouncementWording(Catalogues(), "vi")


async def a_ward_of_ten_thousand(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> Officer:
    """A ward whose one alley 10,000 residents follow, written in bulk, and its officer."""
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        ward, _ = await uow.wards.upsert(
            "ninh-kieu", "Phường Ninh Kiều", "Asia/Ho_Chi_Minh", HolidayPolicy.SKIP
        )
        alley, _ = await uow.alleys.upsert(ward, "nk-hem-51", "Hẻm 51", None, (), ())
        officer, _ = await uow.officers.upsert(ward, "fake", "officer", Role.OFFICER, "Lan")
        now = clock.now()
        await uow.session.execute(
            insert(ResidentRow),
            [
                {
                    "channel": "fake",
                    "external_id": f"r{n}",
                    "language": "vi" if n % 2 else "en",
                    "active": True,
                    "muted_announcements": False,
                    "created_at": now,
                    "last_seen_at": now,
                }
                for n in range(RESIDENTS)
            ],
        )
        ids = await uow.session.scalars(
            select(ResidentRow.id).where(ResidentRow.external_id.startswith("r"))
        )
        await uow.session.execute(
            insert(SubscriptionRow),
            [
                {"resident_id": i, "alley_id": alley.id, "lead_minutes": 15, "created_at": now}
                for i in ids
            ],
        )
        await uow.commit()
    return officer


async def test_an_announcement_reaches_ten_thousand_residents_once_despite_a_crash(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    officer = await a_ward_of_ten_thousand(uow_factory, clock)
    async with uow_factory() as uow:
        sent = await announcements.announce(
            uow,
            [officer],
            officer.ward.id,
            [],
            "Chủ nhật này tổng vệ sinh toàn phường.",
            ("fake", "officer"),
            "en",
            WORDING,
        )
        await uow.commit()
    assert sent.recipients == RESIDENTS

    dispatcher, messenger, _ = dispatcher_for(uow_factory, clock)
    dispatcher.policy = DispatchPolicy(lease=timedelta(seconds=30), batch=1000)
    for chat in BLOCKED:
        messenger.script[chat] = [Delivery(Outcome.BLOCKED, "Forbidden: bot was blocked")]
    # One dispatcher takes 700 messages and dies holding them; another sends the rest.
    async with uow_factory() as uow:
        held = await uow.outbox.claim(["fake"], clock.now(), timedelta(seconds=30), 700)
        await uow.commit()
    assert len(held) == 700
    while await dispatcher.send_due():
        pass
    blocked_later = len(BLOCKED) - sum(1 for item in held if item.chat_id in BLOCKED)
    assert len(messenger.sent) == RESIDENTS - 700 - blocked_later

    # Meanwhile its officer hears how far it has come, and no summary yet.
    clock.move(PROGRESS_EVERY)
    async with uow_factory() as uow:
        assert await announcements.follow_up(uow, clock.now(), WORDING) == 0
        await uow.commit()

    clock.move(timedelta(seconds=31))  # the dead dispatcher's lease runs out
    while await dispatcher.send_due():
        pass

    to_residents = [chat for chat, _ in messenger.sent if chat != "officer"]
    assert set(Counter(to_residents).values()) == {1}
    assert set(to_residents) == {f"r{n}" for n in range(RESIDENTS)} - set(BLOCKED)
    texts = {text for chat, text in messenger.sent if chat in ("r1", "r2")}
    assert texts == {
        "📢 Phường Ninh Kiều thông báo:\n\nChủ nhật này tổng vệ sinh toàn phường.",
        "📢 Phường Ninh Kiều announces:\n\nChủ nhật này tổng vệ sinh toàn phường.",
    }
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        inactive = await uow.session.scalars(
            select(ResidentRow.external_id).where(ResidentRow.active.is_(False))
        )
        assert sorted(inactive) == sorted(BLOCKED)
        assert await announcements.follow_up(uow, clock.now(), WORDING) == 1
        assert await announcements.follow_up(uow, clock.now(), WORDING) == 0  # told once
        await uow.commit()
    while await dispatcher.send_due():
        pass

    told = [text for chat, text in messenger.sent if chat == "officer"]
    assert told == [
        "📢 Announcement #1: 9300 of 10000 messages sent so far.",
        "📢 Announcement #1 has gone out to 10000 residents: 9950 delivered, "
        "50 have blocked the bot, 0 failed.",
    ]
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        rows = await uow.session.execute(
            select(OutboxRow.status, func.count())
            .where(OutboxRow.key.startswith("announce:1:"))
            .group_by(OutboxRow.status)
        )
        assert dict(rows.all()) == {"sent": RESIDENTS - len(BLOCKED), "failed": len(BLOCKED)}


async def test_a_progress_line_is_not_told_again_while_nothing_moved(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with uow_factory() as uow:
        ward, _ = await uow.wards.upsert(
            "ninh-kieu", "Phường Ninh Kiều", "Asia/Ho_Chi_Minh", HolidayPolicy.SKIP
        )
        alley, _ = await uow.alleys.upsert(ward, "nk-hem-51", "Hẻm 51", None, (), ())
        officer, _ = await uow.officers.upsert(ward, "fake", "officer", Role.OFFICER, "Lan")
        for n in range(3):
            resident = await uow.residents.seen("fake", f"r{n}", None, "en")
            await uow.subscriptions.add(resident.id, alley, 15)
        await announcements.announce(
            uow, [officer], ward.id, [], "Tổng vệ sinh.", ("fake", "officer"), "en", WORDING
        )
        await uow.commit()
    dispatcher, messenger, _ = dispatcher_for(uow_factory, clock)
    # The first resident's message goes; the others wait on a platform that makes us wait.
    async with uow_factory() as uow:
        held = await uow.outbox.claim(["fake"], clock.now(), timedelta(hours=1), 2)
        await uow.commit()
    assert len(held) == 2
    while await dispatcher.send_due():
        pass

    for _ in range(3):  # three follow-ups with nothing new in between
        clock.move(PROGRESS_EVERY)
        async with uow_factory() as uow:
            assert await announcements.follow_up(uow, clock.now(), WORDING) == 0
            await uow.commit()
        while await dispatcher.send_due():
            pass

    told = [text for chat, text in messenger.sent if chat == "officer"]
    assert told == ["📢 Announcement #1: 1 of 3 messages sent so far."]
