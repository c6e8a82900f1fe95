"""Roles that one instance at a time plays when several share a PostgreSQL database.

A role is a session-level advisory lock held on a connection of its own, for as long as the
instance plays it. PostgreSQL lets go of the lock the moment that connection ends, however it
ends (a stop, `kill -9`, a lost network), and another instance, trying every few seconds, takes
it: no lease to wait out, no clock to trust. An instance that loses the connection stops the
role's work within one check and waits its turn again. On SQLite, one process works on one file:
every role is played at once.
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
    """The connection holding the role ended: another instance may have it by now."""


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
        has it, and again whenever it is lost; a new holder first waits `settle` seconds (what
        the last holder did in them still counts against the platform's limits)."""
        if not self.shared:
            await work()
            return
        while True:
            try:
                async with self.engine.connect() as connection:
                    await connection.execution_options(isolation_level="AUTOCOMMIT")
                    if await _take(connection, name):
                        try:
                            log.info("this instance now plays %s", name)
                            await self._hold(connection, name, work, settle)
                            return
                        finally:
                            # Closed rather than pooled: the lock must not outlive the role.
                            await connection.invalidate()
            except (SQLAlchemyError, OSError, RoleLost) as error:
                log.warning("%s: lost the database (%s); trying again", name, type(error).__name__)
            await asyncio.sleep(self.retry)

    async def _hold(
        self,
        connection: AsyncConnection,
        name: str,
        work: Callable[[], Awaitable[None]],
        settle: float,
    ) -> None:
        async def settled() -> None:
            await asyncio.sleep(settle)
            await work()

        task = asyncio.ensure_future(settled())
        try:
            while True:
                done, _ = await asyncio.wait({task}, timeout=self.check)
                if done:
                    return task.result()
                try:
                    await connection.scalar(select(1))
                except (SQLAlchemyError, OSError) as error:
                    log.warning("%s: stopped, as its database connection ended", name)
                    raise RoleLost(name) from error
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def _take(connection: AsyncConnection, name: str) -> bool:
    key = zlib.crc32(name.encode()) - 2**31  # a signed 32-bit key, the same in every instance
    return bool(await connection.scalar(select(func.pg_try_advisory_lock(ROLE_LOCKS, key))))
