"""While the database is down, the log says so once, and once more when it is back."""

from __future__ import annotations

import asyncio
import io
import logging

import pytest

from bot.channels.console.messenger import ConsoleMessenger
from scheduler.dispatcher import Dispatcher, DispatchPolicy, Route
from scheduler.pacing import Pace, Pacer
from storage import migrate
from storage.database import create_engine, session_factory
from storage.uow import SqlUnitOfWork
from tests.e2e.outage import postgres_behind_a_proxy
from tests.support import FixedClock

OUTAGE = 3.0  # seconds the database refuses connections
TRIES_A_SECOND = 10


async def test_the_dispatcher_tells_of_an_outage_once_and_of_its_end_once(
    clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    async with postgres_behind_a_proxy() as (url, proxy):
        engine = create_engine(url)
        await migrate.upgrade(engine)
        sessions = session_factory(engine)
        dispatcher = Dispatcher(
            lambda: SqlUnitOfWork(sessions, clock),
            {"console": Route(ConsoleMessenger(io.StringIO()), Pacer(Pace()))},
            clock,
            DispatchPolicy(idle_wait=1 / TRIES_A_SECOND),
        )
        stop = asyncio.Event()
        caplog.set_level(logging.INFO, logger="scheduler.dispatcher")
        running = asyncio.create_task(dispatcher.run(stop))
        try:
            await asyncio.sleep(0.5)
            await proxy.close()
            await asyncio.sleep(OUTAGE)
            await proxy.open()
            await asyncio.sleep(2.0)
        finally:
            stop.set()
            dispatcher.wake()
            await running
            await engine.dispose()

    told = [r for r in caplog.records if r.name == "scheduler.dispatcher"]
    assert [r.levelno for r in told] == [logging.WARNING, logging.WARNING]
    down, back = (r.getMessage() for r in told)
    assert "unreachable" in down
    assert "back after" in back and " s" in back
    assert all(r.exc_info is None for r in told)  # no traceback a try
