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


async def test_one_instance_plays_a_role_and_another_takes_over_when_its_connection_ends(
    engine: AsyncEngine, db_url: str
) -> None:
    other_engine = create_engine(db_url)  # a second instance: its own pool, its own session
    first, second = Player(), Player()
    roles = [Roles(engine, retry=0.1, check=0.1), Roles(other_engine, retry=0.1, check=0.1)]
    tasks = [asyncio.create_task(roles[0].play("the dispatcher", first.work))]
    try:
        await asyncio.wait_for(first.playing.wait(), 10)
        tasks.append(asyncio.create_task(roles[1].play("the dispatcher", second.work)))
        if not roles[0].shared:
            # SQLite: one process a file, so every instance plays every role.
            await asyncio.wait_for(second.playing.wait(), 10)
            return
        await asyncio.sleep(1)
        assert not second.playing.is_set()  # the role is taken

        # The first instance's connection ends, as when its process is killed.
        async with other_engine.connect() as admin:
            await admin.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid() "
                    "AND database = (SELECT oid FROM pg_database "
                    "WHERE datname = current_database())"
                )
            )
        await asyncio.wait_for(second.playing.wait(), 10)
        await asyncio.wait_for(first.stopped.wait(), 10)  # and it stopped playing
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await other_engine.dispose()
