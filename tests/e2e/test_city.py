"""Three `urbanbell run` processes on one PostgreSQL database, with webhooks, against a fake Bot
API that answers 429 beyond 30 messages a second overall and one a second per chat."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.reports import EventKind
from core.seeding import apply_seed, parse_seed
from storage import migrate
from storage.database import create_engine, session_factory
from storage.models import OutboxRow, ReportEventRow
from storage.uow import SqlUnitOfWork
from tests.conftest import POSTGRES_URL_VARIABLE, _fresh_postgres_database
from tests.e2e.city_harness import (
    DISPATCHER,
    POLLER,
    Instance,
    city_env,
    free_port,
    outbox_rows,
    queue_evening,
    start,
    to_residents,
    wait_running,
)
from tests.fakes.telegram import FakeTelegram
from tests.integration.conftest import Person, converse
from tests.support import FixedClock
from urbanbell.cli import DEMO_SEED

INSTANCES = 3
# 2,000 messages: an announcement to 1,400 residents, and a bell to 600 of them.
BELLS, ANNOUNCED = 600, 1_400
LEASE = 10  # seconds


@pytest.fixture
async def city_url() -> AsyncIterator[str]:
    server = os.environ.get(POSTGRES_URL_VARIABLE)
    if not server:
        pytest.skip(f"set {POSTGRES_URL_VARIABLE}: a city shares one PostgreSQL database")
    async with _fresh_postgres_database(server) as url:
        yield url


@pytest.fixture
async def city(city_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(city_url)
    await migrate.upgrade(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


async def start_city(bot_env: dict[str, str], url: str) -> list[Instance]:
    """Start the instances at the same moment; return once each one serves its webhook."""
    instances = await asyncio.gather(
        *(start(city_env(bot_env, url, LEASE)) for _ in range(INSTANCES))
    )
    await asyncio.gather(*(wait_running(i) for i in instances))
    return list(instances)


async def wait_delivered(fake: FakeTelegram, expected: int, timeout: float) -> None:  # noqa: ASYNC109
    delivered = await fake._wait_until(
        lambda: sum(to_residents(fake).values()) >= expected, timeout
    )
    assert delivered, f"{sum(to_residents(fake).values())} of {expected} delivered"


async def test_three_instances_deliver_an_evening_once_at_the_bots_one_pace(
    fake: FakeTelegram, bot_env: dict[str, str], city: AsyncEngine, city_url: str
) -> None:
    expected = await queue_evening(city, BELLS, ANNOUNCED)
    fake.limit(per_second=30, per_chat_per_second=1)
    instances = await start_city(bot_env, city_url)
    try:
        # Every instance serves its webhook: a resident's /start through each is answered once.
        for number, instance in enumerate(instances):
            update_id = fake.send_text(1001 + number, "/start")
            assert await instance.post(fake.update_json(update_id)) == 200
        await wait_delivered(fake, expected.total(), timeout=expected.total() / 30 * 3 + 60)
        for number in range(INSTANCES):
            assert len(await fake.wait_for_messages(1001 + number, 1, timeout=30)) == 1
        senders = sum(i.said(DISPATCHER) for i in instances)  # before a stop hands it on
    finally:
        logs = await asyncio.gather(*(instance.stop() for instance in instances))
    assert to_residents(fake) == expected  # each message once, none lost
    assert fake.too_many_requests == 0
    assert senders == 1  # one sender, whatever the instances
    assert all("Traceback" not in log for log in logs), logs


async def test_when_the_sending_instance_is_killed_another_goes_on_within_one_lease(
    fake: FakeTelegram, bot_env: dict[str, str], city: AsyncEngine, city_url: str
) -> None:
    expected = await queue_evening(city, 0, 600)
    fake.limit(per_second=30, per_chat_per_second=1)
    instances = await start_city(bot_env, city_url)
    try:
        await wait_delivered(fake, 150, timeout=120)
        sender = next(i for i in instances if i.said(DISPATCHER))
        await sender.stop(signal.SIGKILL)
        killed_at = time.monotonic()
        before = len(fake.sent)
        await wait_delivered(fake, expected.total(), timeout=120)
        resumed_after = fake.sent[before].at - killed_at if len(fake.sent) > before else None
        # Nothing waits for the dead sender's lease but what it held.
        for _ in range(10 * (LEASE + 30)):
            if {r.status for r in await outbox_rows(city) if r.kind == "broadcast"} == {"sent"}:
                break
            await asyncio.sleep(0.1)
        senders = sum(i.said(DISPATCHER) for i in instances)  # before a stop hands it on
    finally:
        await asyncio.gather(*(instance.stop() for instance in instances))
    assert resumed_after is not None and resumed_after < LEASE, resumed_after
    delivered = to_residents(fake)
    assert set(delivered) == set(expected)  # nothing lost
    repeated = {chat for chat, count in delivered.items() if count > 1}
    taken_back = {
        int(r.chat_id)
        for r in await outbox_rows(city)
        if r.kind == "broadcast" and r.outcome and "taken back" in r.outcome
    }
    assert repeated <= taken_back and len(repeated) <= 5  # in flight at the kill, on record
    assert fake.too_many_requests == 0
    assert senders == 2  # the dead one, and its successor


async def _follow_ups(engine: AsyncEngine) -> tuple[int, int]:
    """Escalation events, and "Is it fixed?" asked again, in the database."""
    async with SqlUnitOfWork(session_factory(engine), FixedClock(datetime.now(UTC))) as uow:
        escalated = await uow.session.scalar(
            select(func.count())
            .select_from(ReportEventRow)
            .where(ReportEventRow.kind == EventKind.ESCALATED.value)
        )
        asked = await uow.session.scalar(
            select(func.count())
            .select_from(OutboxRow)
            .where(OutboxRow.key.startswith("ask-again:"))
        )
        return int(escalated or 0), int(asked or 0)


async def test_three_instances_started_together_follow_up_reports_once(
    fake: FakeTelegram, bot_env: dict[str, str], city: AsyncEngine, city_url: str
) -> None:
    # Six days ago a resident filed two reports; one was resolved at once, the other is overdue.
    clock = FixedClock(datetime.now(UTC) - timedelta(days=6))
    sessions = session_factory(city)
    async with SqlUnitOfWork(sessions, clock) as uow:
        seed = parse_seed(yaml.safe_load(DEMO_SEED.read_text()))
        await apply_seed(uow, seed, "Asia/Ho_Chi_Minh")
        await uow.commit()
    conversation = converse(lambda: SqlUnitOfWork(sessions, clock), clock)
    person = Person(conversation, "42")
    await person.says("/start nk-hem-51")
    await person.says("/report litter pile by the canal")  # #1: nobody acknowledges it
    await person.says("/report lighting the lamp is out")  # #2: resolved, never rated
    await Person(conversation, "9001").says("/status 2 resolved")

    for _ in range(2):  # a deploy that restarts every instance starts the jobs again
        instances = await start_city(bot_env, city_url)
        try:
            for _ in range(600):
                if await _follow_ups(city) == (1, 1):
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(3)  # time for a second run, were there one
        finally:
            await asyncio.gather(*(instance.stop() for instance in instances))
        assert await _follow_ups(city) == (1, 1)


def poller_env(bot_env: dict[str, str], url: str) -> dict[str, str]:
    """A long-polling instance's environment: the shared database, a web port of its own."""
    return {
        **bot_env,
        "URBANBELL_DATABASE_URL": url,
        "URBANBELL_OUTBOX_LEASE_SECONDS": str(LEASE),
        "URBANBELL_HTTP_PORT": str(free_port()),
    }


async def test_one_instance_long_polls_and_another_takes_over_within_seconds(
    fake: FakeTelegram, bot_env: dict[str, str], city: AsyncEngine, city_url: str
) -> None:
    instances = await asyncio.gather(*(start(poller_env(bot_env, city_url)) for _ in range(3)))
    try:
        await asyncio.gather(*(wait_running(i) for i in instances))
        fake.send_text(1001, "/start")
        await fake.wait_for_messages(1001, 1, timeout=60)
        poller = next(i for i in instances if i.said(POLLER))
        await poller.stop(signal.SIGKILL)
        killed_at = time.monotonic()
        fake.send_text(1002, "/start")
        answered = await fake.wait_for_messages(1002, 1, timeout=60)
        taken_over_in = answered[0].at - killed_at
        pollers = sum(i.said(POLLER) for i in instances)  # before a stop hands it on
    finally:
        logs = await asyncio.gather(*(instance.stop() for instance in instances))
    # Telegram drops the long poll of a process that died; the fake answers it 409 once the
    # successor polls, and a stopping instance's abandoned poll likewise. No live instance saw
    # one (it would have stopped with the error).
    assert all("Conflict" not in log for log in logs), logs
    assert pollers == 2  # the dead one, and its successor
    assert all("Traceback" not in log for log in logs), logs
    assert taken_over_in < 10, taken_over_in
    assert len(fake.messages_to(1001)) == len(fake.messages_to(1002)) == 1
