"""The real `urbanbell run` on PostgreSQL while the database refuses connections for a while:
what residents wrote meanwhile is answered once it is back, and never confirmed before."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import LAN, free_port
from tests.e2e.outage import DatabaseProxy, postgres_behind_a_proxy, start
from tests.e2e.zalo_harness import LAN as ZALO_LAN
from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo
from urbanbell.cli import DEMO_SEED

OUTAGE = 20.0  # seconds the database refuses connections
BACK_WITHIN = 90.0  # seconds to answer once it is back: the bot retries with growing waits
BINH = 1002  # another resident on Telegram
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def environment(database_url: str, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("URBANBELL_")}
    env.update(
        URBANBELL_DATABASE_URL=database_url,
        URBANBELL_OUTBOX_LEASE_SECONDS="2",
        URBANBELL_HTTP_PORT=str(free_port()),
    )
    env.update(settings)
    return env


async def seeded(env: dict[str, str], log: Path) -> None:
    seeding = await start(env, log, "seed", str(DEMO_SEED))
    assert await seeding.wait() == 0, await asyncio.to_thread(log.read_text)


async def stopped(process: asyncio.subprocess.Process, log: Path) -> str:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    await asyncio.wait_for(process.wait(), 30)
    return await asyncio.to_thread(log.read_text)


async def outage(proxy: DatabaseProxy) -> None:
    await proxy.close()
    await asyncio.sleep(OUTAGE)
    await proxy.open()


async def test_telegram_polling_answers_what_came_while_the_database_was_down(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    log = tmp_path / "urbanbell.log"
    async with postgres_behind_a_proxy() as (url, proxy):
        env = environment(
            url, URBANBELL_TELEGRAM_TOKEN=fake.token, URBANBELL_TELEGRAM_API_URL=fake.base_url
        )
        await seeded(env, log)
        process = await start(env, log, "run")
        try:
            await fake.wait_for_calls("getUpdates", 1, timeout=60)
            down = asyncio.create_task(outage(proxy))
            await asyncio.sleep(0.5)
            fake.send_text(LAN, "/start nk-hem-51", language_code="en")
            fake.send_text(BINH, "/start nk-hem-51", language_code="en")
            await down
            [to_lan] = await fake.wait_for_messages(LAN, 1, timeout=BACK_WITHIN)
            [to_binh] = await fake.wait_for_messages(BINH, 1, timeout=BACK_WITHIN)
            await asyncio.sleep(2)  # time for a repeat, were there one
        finally:
            output = await stopped(process, log)

    assert process.returncode == 0, output
    for reply in (to_lan, to_binh):
        assert reply.text is not None and reply.text.startswith("You now follow Hẻm 51"), output
    # Updates handled before the batch failed come again; none is answered twice.
    assert len(fake.messages_to(LAN)) == len(fake.messages_to(BINH)) == 1


async def test_telegram_webhook_answers_503_until_the_update_is_stored_then_answers_once(
    fake: FakeTelegram, tmp_path: Path, unused_tcp_port: int
) -> None:
    log = tmp_path / "urbanbell.log"
    hook = f"http://127.0.0.1:{unused_tcp_port}/telegram"
    statuses: list[int] = []
    async with postgres_behind_a_proxy() as (url, proxy):
        env = environment(
            url,
            URBANBELL_TELEGRAM_TOKEN=fake.token,
            URBANBELL_TELEGRAM_API_URL=fake.base_url,
            URBANBELL_TELEGRAM_WEBHOOK_URL=hook,
            URBANBELL_WEBHOOK_SECRET="right-secret",
            URBANBELL_HTTP_PORT=str(unused_tcp_port),
        )
        await seeded(env, log)
        process = await start(env, log, "run")
        try:
            await fake.wait_for_calls("setWebhook", 1, timeout=60)
            update = fake.update_json(fake.send_text(LAN, "/start nk-hem-51", language_code="en"))
            headers = {SECRET_HEADER: "right-secret"}
            async with httpx.AsyncClient(timeout=30) as client:
                down = asyncio.create_task(outage(proxy))
                await asyncio.sleep(0.5)
                while not down.done():  # Telegram delivers it again and again meanwhile
                    answer = await client.post(hook, json=update, headers=headers)
                    statuses.append(answer.status_code)
                    await asyncio.sleep(4)
                await down
                for _ in range(int(BACK_WITHIN / 2)):
                    back = await client.post(hook, json=update, headers=headers)
                    if back.status_code == 200:
                        break
                    await asyncio.sleep(2)
                again = await client.post(hook, json=update, headers=headers)
            [reply] = await fake.wait_for_messages(LAN, 1, timeout=BACK_WITHIN)
            await asyncio.sleep(2)  # time for a repeat, were there one
        finally:
            output = await stopped(process, log)

    assert statuses and set(statuses) == {503}, (statuses, output)
    assert (back.status_code, again.status_code) == (200, 200)
    assert reply.text is not None and reply.text.startswith("You now follow Hẻm 51"), output
    assert len(fake.messages_to(LAN)) == 1  # answered once, however often it came


async def test_zalo_polling_answers_what_came_while_the_database_was_down(
    zalo: FakeZalo, tmp_path: Path
) -> None:
    log = tmp_path / "urbanbell.log"
    async with postgres_behind_a_proxy() as (url, proxy):
        env = environment(
            url, URBANBELL_ZALO_TOKEN=zalo.token, URBANBELL_ZALO_API_URL=zalo.base_url
        )
        await seeded(env, log)
        process = await start(env, log, "run")
        try:
            await zalo.wait_for_long_poll(timeout=60)
            down = asyncio.create_task(outage(proxy))
            await asyncio.sleep(0.5)
            zalo.send_text(ZALO_LAN, "nk-hem-51")
            await down
            [reply] = await zalo.wait_for_messages(ZALO_LAN, 1, timeout=BACK_WITHIN)
            await asyncio.sleep(2)
        finally:
            output = await stopped(process, log)

    assert process.returncode == 0, output
    assert reply.text is not None and reply.text.startswith("Bạn đã theo dõi Hẻm 51"), output
    assert len(zalo.messages_to(ZALO_LAN)) == 1
