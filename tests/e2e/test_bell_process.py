"""`kill -9` in the middle of a large send: nothing is lost, a repeat is rare and recorded."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.model import NewMessage
from storage import migrate
from storage.database import create_engine, session_factory
from storage.models import OutboxRow
from storage.uow import SqlUnitOfWork
from tests.e2e.conftest import LAN, urbanbell
from tests.fakes.telegram import FakeTelegram
from tests.support import FixedClock

RESIDENTS = 150


async def statuses(engine: AsyncEngine, now: datetime) -> set[str]:
    async with SqlUnitOfWork(session_factory(engine), FixedClock(now)) as uow:
        return set(await uow.session.scalars(select(OutboxRow.status)))


async def test_a_crash_in_a_large_send_loses_nothing_and_records_what_it_repeats(
    fake: FakeTelegram, bot_env: dict[str, str]
) -> None:
    now = datetime.now(UTC)
    engine = create_engine(bot_env["URBANBELL_DATABASE_URL"])
    await migrate.upgrade(engine)
    async with SqlUnitOfWork(session_factory(engine), FixedClock(now)) as uow:
        await uow.outbox.add_new(
            [
                NewMessage(
                    "bell",
                    "telegram",
                    str(LAN + number),
                    {"text": f"bell {number}", "choices": []},
                    key=f"bell:test-{number}",
                    deadline=now + timedelta(minutes=5),
                    expires_at=now + timedelta(hours=1),
                )
                for number in range(RESIDENTS)
            ]
        )
        await uow.commit()
    fake.limit(per_second=30, per_chat_per_second=1)

    first = await urbanbell(bot_env, "run")
    await fake.wait_for_calls("sendMessage", RESIDENTS // 3, timeout=60)
    first.send_signal(signal.SIGKILL)
    await first.wait()
    delivered_before = len(fake.sent)

    second = await urbanbell(bot_env, "run")
    try:
        for number in range(RESIDENTS):
            await fake.wait_for_messages(LAN + number, 1, timeout=60)
        # What the killed process held comes back when its lease ends, and goes again.
        for _ in range(200):
            if await statuses(engine, now) == {"sent"}:
                break
            await asyncio.sleep(0.1)
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.communicate(), 30)

    per_chat = Counter(m.chat_id for m in fake.sent)
    repeated = {chat for chat, count in per_chat.items() if count > 1}
    assert set(per_chat) == {LAN + n for n in range(RESIDENTS)}  # nothing lost
    # Only what was on its way at the kill can go twice.
    assert len(repeated) <= 3, (delivered_before, repeated)
    assert fake.too_many_requests == 0
    async with SqlUnitOfWork(session_factory(engine), FixedClock(now)) as uow:
        rows = list(await uow.session.scalars(select(OutboxRow)))
        assert {r.status for r in rows} == {"sent"}
        taken_back = {int(r.chat_id) for r in rows if r.outcome and "taken back" in r.outcome}
    await engine.dispose()
    assert repeated <= taken_back  # every repeat is on record
