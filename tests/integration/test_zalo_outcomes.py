"""Zalo's errors through the real client and dispatcher: each outcome keeps Zalo's code and
description, and only an answer saying the person cannot be reached marks them inactive."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.channels.zalo.client import ZaloClient
from bot.channels.zalo.messenger import ZaloMessenger
from core.model import NewMessage
from core.ports import UnitOfWorkFactory
from scheduler.dispatcher import Dispatcher, DispatchPolicy, Route
from scheduler.pacing import Pace, Pacer
from storage.models import OutboxRow, ResidentRow
from storage.uow import SqlUnitOfWork
from tests.fakes.zalo import FakeZalo
from tests.support import FixedClock

PERSON = "6ede9afa66b88fe6d6a9"
ATTEMPTS = 3


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZalo]:
    async with FakeZalo() as server:
        yield server


async def setup(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, zalo: FakeZalo
) -> tuple[Dispatcher, ZaloClient]:
    zalo.send_text(PERSON, "Xin chào")  # Zalo knows the chat once the person has written
    async with uow_factory() as uow:
        resident = await uow.residents.seen("zalo", PERSON, "Lan", None)
        await uow.outbox.add(
            NewMessage("reply", "zalo", PERSON, {"text": "Xin chào", "choices": []}, resident.id)
        )
        await uow.commit()
    client = ZaloClient(zalo.token, zalo.base_url)
    policy = DispatchPolicy(max_attempts=ATTEMPTS)
    route = Route(ZaloMessenger(client), Pacer(Pace()))
    return Dispatcher(uow_factory, {"zalo": route}, clock, policy), client


async def ending(uow_factory: UnitOfWorkFactory) -> tuple[str, str | None, int, bool]:
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        row = (await uow.session.scalars(select(OutboxRow))).one()
        active = (await uow.session.scalars(select(ResidentRow.active))).one()
        return row.status, row.outcome, row.attempts, active


async def test_a_bare_403_is_retried_then_fails_and_deactivates_nobody(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, zalo: FakeZalo
) -> None:
    zalo.fail_next("sendMessage", 403, "Forbidden", times=ATTEMPTS)
    dispatcher, client = await setup(uow_factory, clock, zalo)
    try:
        for _ in range(ATTEMPTS):
            await dispatcher.send_due()
            status, outcome, attempts, active = await ending(uow_factory)
            assert active  # at no step is the resident taken for gone
            clock.move(timedelta(minutes=10))
    finally:
        await client.close()
    assert (status, attempts) == ("failed", ATTEMPTS)
    assert outcome is not None and "Zalo 403: Forbidden" in outcome
    assert len(zalo.calls_of("sendMessage")) == ATTEMPTS


async def test_an_unknown_code_is_retried_and_kept_in_the_outcome(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, zalo: FakeZalo
) -> None:
    zalo.fail_next("sendMessage", 418, "Something Zalo never documented")
    dispatcher, client = await setup(uow_factory, clock, zalo)
    try:
        await dispatcher.send_due()
        retried = await ending(uow_factory)
        clock.move(timedelta(minutes=10))
        await dispatcher.send_due()
    finally:
        await client.close()
    status, outcome, _, active = retried
    assert status == "pending" and active
    assert outcome is not None and "Zalo 418: Something Zalo never documented" in outcome
    assert (await ending(uow_factory))[0] == "sent"


async def test_an_answer_that_the_person_blocked_the_bot_marks_them_inactive(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, zalo: FakeZalo
) -> None:
    dispatcher, client = await setup(uow_factory, clock, zalo)
    zalo.block(PERSON)
    try:
        await dispatcher.send_due()
    finally:
        await client.close()
    status, outcome, _, active = await ending(uow_factory)
    assert status == "failed" and not active
    assert outcome is not None and "Zalo 403: Forbidden: the user has blocked the bot" in outcome
