"""Many residents writing at once: each update waits its turn, none is lost or refused."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.model import Alley, DialogueState, HolidayPolicy
from core.ports import Memory
from storage.models import Base, DialogueStateRow, ResidentRow, SubscriptionRow
from tests.conftest import UnitOfWorkFactory

WRITERS = 50


async def _hem_51(uow_factory: UnitOfWorkFactory) -> Alley:
    async with uow_factory() as uow:
        ward, _ = await uow.wards.upsert(
            "ninh-kieu", "Phường Ninh Kiều", "Asia/Ho_Chi_Minh", HolidayPolicy.SKIP
        )
        alley, _ = await uow.alleys.upsert(ward, "nk-hem-51", "Hẻm 51", None, (), ())
        await uow.commit()
    return alley


async def _subscribe(uow_factory: UnitOfWorkFactory, alley_code: str, user: int) -> None:
    """What `/start nk-hem-51` does: read, then write, in one unit of work."""
    async with uow_factory() as uow:
        resident = await uow.residents.seen("telegram", str(user), f"Cư dân {user}", "vi")
        alley = await uow.alleys.by_code(alley_code)
        assert alley is not None
        if await uow.subscriptions.find(resident.id, alley.id) is None:
            await uow.subscriptions.add(resident.id, alley, 15)
        await uow.dialogues.remember(
            resident.id,
            Memory(DialogueState("subscribe", "lead", {"alley": alley.code})),
        )
        await uow.commit()


async def _count(engine: AsyncEngine, row: type[Base]) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(row)) or 0)


async def test_fifty_residents_subscribing_at_once_are_all_stored(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory
) -> None:
    alley = await _hem_51(uow_factory)

    outcomes = await asyncio.gather(
        *(_subscribe(uow_factory, alley.code, user) for user in range(WRITERS)),
        return_exceptions=True,
    )

    # On SQLite a failure would read "database is locked"; on PostgreSQL, a deadlock.
    assert [repr(o) for o in outcomes if isinstance(o, BaseException)] == []
    assert await _count(engine, ResidentRow) == WRITERS
    assert await _count(engine, SubscriptionRow) == WRITERS
    assert await _count(engine, DialogueStateRow) == WRITERS
    async with uow_factory() as uow:
        resident = await uow.residents.seen("telegram", "7", None, None)
        [subscription] = await uow.subscriptions.of_resident(resident.id)
        memory = await uow.dialogues.recall(resident.id)
    assert subscription.alley == alley
    assert memory.dialogue == DialogueState("subscribe", "lead", {"alley": "nk-hem-51"})


async def test_one_resident_tapping_start_many_times_at_once_is_stored_once(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory
) -> None:
    alley = await _hem_51(uow_factory)

    outcomes = await asyncio.gather(
        *(_subscribe(uow_factory, alley.code, 42) for _ in range(10)), return_exceptions=True
    )

    assert [repr(o) for o in outcomes if isinstance(o, BaseException)] == []
    assert await _count(engine, ResidentRow) == 1
    assert await _count(engine, SubscriptionRow) == 1
    assert await _count(engine, DialogueStateRow) == 1
