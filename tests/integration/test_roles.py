"""Roles: one instance at a time plays each; another takes over once the holder is gone."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.database import create_engine
from storage.roles import Roles


class Player:
    """An instance's work for a role: it notes that it plays, and plays until stopped."""

    def __init__(self) -> None:
        self.playing = asyncio.Event()
        self.stopped = asyncio.Event()

    async def work(self) -> None:
        self.playing.set()
        try:
            await asyncio.Event().wait()
        finally:
            self.stopped.set()


async def _holders(engine: AsyncEngine) -> list[int]:
    """The sessions holding an advisory lock in this database."""
    async with engine.connect() as connection:
        found = await connection.scalars(
            text(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        )
        return list(found)


async def test_one_instance_plays_a_role_and_another_takes_over_when_it_stops(
    engine: AsyncEngine, db_url: str
) -> None:
    other_engine = create_engine(db_url)  # a second instance: its own pool, its own session
    first, second = Player(), Player()
    roles = [Roles(engine, retry=0.1, check=0.1), Roles(other_engine, retry=0.1, check=0.1)]
    playing = asyncio.create_task(roles[0].play("the dispatcher", first.work))
    waiting = asyncio.create_task(roles[1].play("the dispatcher", second.work))
    try:
        await asyncio.wait_for(first.playing.wait(), 10)
        if not roles[0].shared:
            # SQLite: one process a file, so every instance plays every role.
            await asyncio.wait_for(second.playing.wait(), 10)
            return
        await asyncio.sleep(1)
        assert not second.playing.is_set()  # the role is taken

        playing.cancel()  # the first instance stops
        await asyncio.wait_for(second.playing.wait(), 10)
        assert first.stopped.is_set()
    finally:
        for task in (playing, waiting):
            task.cancel()
        await asyncio.gather(playing, waiting, return_exceptions=True)
        await other_engine.dispose()


async def test_a_role_whose_connection_ends_goes_on_and_is_held_again(
    engine: AsyncEngine,
) -> None:
    player = Player()
    roles = Roles(engine, retry=0.1, check=0.1)
    playing = asyncio.create_task(roles.play("the poller of zalo", player.work))
    try:
        await asyncio.wait_for(player.playing.wait(), 10)
        if not roles.shared:
            return
        [holder] = await _holders(engine)
        async with engine.connect() as admin:  # its connection ends, as in a database outage
            await admin.execute(text(f"SELECT pg_terminate_backend({holder})"))
        for _ in range(100):
            if (held := await _holders(engine)) and held != [holder]:
                break
            await asyncio.sleep(0.1)
        assert held and held != [holder]  # held again, on a new connection
        assert not player.stopped.is_set()  # and the work went on meanwhile
    finally:
        playing.cancel()
        await asyncio.gather(playing, return_exceptions=True)
