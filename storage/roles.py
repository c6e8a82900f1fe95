"""Roles that one instance at a time plays when several share a PostgreSQL database.

A role is a session-level advisory lock held on a connection of its own, for as long as the
instance plays it. PostgreSQL lets go of the lock the moment that connection ends, however it
ends (a stop, `kill -9`, a lost network), and another instance, trying every few seconds, takes
it: no lease to wait out, no clock to trust. An instance that loses its connection tries to take
the role again, working on meanwhile, and stops the work once it finds another instance holding
it. On SQLite, one process works on one file: every role is played at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import zlib
from collections.abc import Awaitable, Callable

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

ROLE_LOCKS = 0x0B_E1  # the first key of the roles' two-key advisory locks, in every instance


class RoleLost(Exception):
    """The connection holding the role ended."""


class Roles:
    """Plays a role's work only while this instance holds the role."""

    def __init__(self, engine: AsyncEngine, retry: float = 2.0, check: float = 2.0) -> None:
        self.engine = engine
        self.retry = retry  # seconds between tries to take a role another instance holds
        self.check = check  # seconds between looks at the connection that holds a role

    @property
    def shared(self) -> bool:
        """Whether instances may share the database (and so take turns at roles)."""
        return self.engine.dialect.name == "postgresql"

    async def play(
        self, name: str, work: Callable[[], Awaitable[None]], settle: float = 0.0
    ) -> None:
        """Run `work` while holding the role `name`, waiting for it as long as another instance
        has it; a new holder first waits `settle` seconds (what the last holder did in them
        still counts against the platform's limits).

        When the database cannot be reached, the work goes on (a poller keeps the update in
        hand until it can be stored): nobody else can take the role from a database that is
        away for all. It stops only once another instance is found holding the role.
        """
        if not self.shared:
            await work()
            return
        task: asyncio.Future[None] | None = None
        try:
            while True:
                try:
                    async with self.engine.connect() as connection:
                        await connection.execution_options(isolation_level="AUTOCOMMIT")
                        if await _take(connection, name):
                            if task is None:
                                log.info("this instance now plays %s", name)
                                task = asyncio.ensure_future(_after(settle, work))
                            try:
                                await self._hold(connection, task)
                            finally:
                                if not connection.invalidated:
                                    await _let_go(connection, name)
                            return task.result()
                        if task is not None:
                            log.warning("%s: another instance took it over; stopped here", name)
                            await _stopped(task)
                            task = None
                except (SQLAlchemyError, OSError, RoleLost) as error:
                    if task is not None and task.done():
                        return task.result()
                    log.warning(
                        "%s: the database cannot be reached (%s)", name, type(error).__name__
                    )
                if task is None:
                    await asyncio.sleep(self.retry)
                elif (await asyncio.wait({task}, timeout=self.retry))[0]:
                    return task.result()
        finally:
            if task is not None:
                await _stopped(task)

    async def _hold(self, connection: AsyncConnection, task: asyncio.Future[None]) -> None:
        """Until the work ends; raise `RoleLost` when the connection does, dropping it."""
        while not (await asyncio.wait({task}, timeout=self.check))[0]:
            try:
                await connection.scalar(select(1))
            except (SQLAlchemyError, OSError) as error:
                with contextlib.suppress(SQLAlchemyError, OSError):
                    await connection.invalidate()
                raise RoleLost() from error


async def _after(settle: float, work: Callable[[], Awaitable[None]]) -> None:
    await asyncio.sleep(settle)
    await work()


async def _stopped(task: asyncio.Future[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _key(name: str) -> int:
    return zlib.crc32(name.encode()) - 2**31  # a signed 32-bit key, the same in every instance


async def _take(connection: AsyncConnection, name: str) -> bool:
    return bool(await connection.scalar(select(func.pg_try_advisory_lock(ROLE_LOCKS, _key(name)))))


async def _let_go(connection: AsyncConnection, name: str) -> None:
    """The work ended or was stopped: the connection goes back to the pool without the lock
    (one that fails here is closed by the pool, which ends the lock as well)."""
    with contextlib.suppress(SQLAlchemyError, OSError):
        await connection.scalar(select(func.pg_advisory_unlock(ROLE_LOCKS, _key(name))))
