"""The real `urbanbell run` when what it needs is not there at start-up: a setting that would
break it later, a database or a Bot API that does not answer. Each try is one log line, the end
is one line naming what to check, and no traceback."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import LAN, free_port, urbanbell
from tests.e2e.outage import postgres_behind_a_proxy, start
from tests.fakes.telegram import FakeTelegram

TRIES = re.compile(r"try (\d) of 3: .*?(?:; trying again in ([\d.]+) s)?$", re.MULTILINE)
QUICKLY = {"URBANBELL_STARTUP_TRIES": "3", "URBANBELL_STARTUP_WAIT_SECONDS": "0.3"}


def environment(database_url: str, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("URBANBELL_")}
    env.update(URBANBELL_DATABASE_URL=database_url, URBANBELL_HTTP_PORT=str(free_port()))
    env.update(settings)
    return env


async def finished(env: dict[str, str], *args: str) -> tuple[int, str]:
    process = await urbanbell(env, *args)
    _, stderr = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, stderr.decode()


def gave_up(stderr: str, reason: str, advice: str) -> None:
    """Three tries, one line each, waits growing; then one line saying what to check."""
    assert "Traceback" not in stderr, stderr
    tries = TRIES.findall(stderr)
    assert [number for number, _ in tries] == ["1", "2", "3"], stderr
    assert [float(wait) for _, wait in tries[:2]] == [0.3, 0.6], stderr
    lines = stderr.strip().splitlines()
    *logged, last = [line for line in lines if reason in line]
    assert len(logged) == 3 and lines[-1] == last, stderr
    assert last.startswith(f"urbanbell: {reason}"), last
    assert last.endswith(f"gave up after 3 tries: {advice}"), last


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("URBANBELL_REMINDER_LEAD_MINUTES", "7", "must be one of 10, 15, 30, 60"),
        ("URBANBELL_REPORT_TARGETS", "{bad", "not valid JSON"),
        ("URBANBELL_REPORT_TARGETS", '{"lighting": {"resolve_days": 0}}', "lighting.resolve_days"),
        ("URBANBELL_STARTUP_TRIES", "0", "greater than or equal to 1"),
    ],
)
async def test_a_bad_setting_is_one_line_naming_it(
    tmp_path: Path, variable: str, value: str, says: str
) -> None:
    env = environment(
        f"sqlite+aiosqlite:///{tmp_path / 'bell.db'}", URBANBELL_TELEGRAM_TOKEN="1:t"
    )
    env[variable] = value
    status, stderr = await finished(env, "run")
    assert status == 2
    [line] = stderr.strip().splitlines()
    assert line.startswith(f"urbanbell: setting {variable}: ") and says in line, line


async def test_an_unreachable_database_is_tried_with_growing_waits_then_exit_1(
    unused_tcp_port: int,
) -> None:
    url = f"postgresql+asyncpg://postgres:secret@127.0.0.1:{unused_tcp_port}/test"
    env = environment(url, URBANBELL_TELEGRAM_TOKEN="1:t", **QUICKLY)
    status, stderr = await finished(env, "run")
    assert status == 1
    where = f"postgresql+asyncpg://postgres:***@127.0.0.1:{unused_tcp_port}/test"
    gave_up(
        stderr,
        f"cannot reach the database at {where}",
        "check URBANBELL_DATABASE_URL and that the database server runs",
    )
    assert "secret" not in stderr


async def test_an_unreachable_bot_api_is_tried_with_growing_waits_then_exit_1(
    tmp_path: Path, unused_tcp_port: int
) -> None:
    api = f"http://127.0.0.1:{unused_tcp_port}/bot"
    env = environment(
        f"sqlite+aiosqlite:///{tmp_path / 'bell.db'}",
        URBANBELL_TELEGRAM_TOKEN="1:t",
        URBANBELL_TELEGRAM_API_URL=api,
        **QUICKLY,
    )
    status, stderr = await finished(env, "run")
    assert status == 1
    gave_up(
        stderr,
        f"cannot reach the Telegram Bot API at {api}",
        "check the network and URBANBELL_TELEGRAM_API_URL",
    )


async def test_the_bot_starts_once_telegram_answers_again(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    fake.fail_next("getMe", status=502, times=2)
    env = environment(
        f"sqlite+aiosqlite:///{tmp_path / 'bell.db'}",
        URBANBELL_TELEGRAM_TOKEN=fake.token,
        URBANBELL_TELEGRAM_API_URL=fake.base_url,
        **QUICKLY,
    )
    log = tmp_path / "urbanbell.log"
    process = await start(env, log, "run")
    try:
        fake.send_text(LAN, "/start", language_code="en")
        await fake.wait_for_messages(LAN, 1, timeout=60)
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 30)
    output = await asyncio.to_thread(log.read_text)
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert [number for number, _ in TRIES.findall(output)] == ["1", "2"], output
    assert len(fake.calls_of("getMe")) == 3


async def test_the_bot_starts_once_the_database_answers(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    log = tmp_path / "urbanbell.log"
    async with postgres_behind_a_proxy() as (url, proxy):
        await proxy.close()
        env = environment(
            url,
            URBANBELL_TELEGRAM_TOKEN=fake.token,
            URBANBELL_TELEGRAM_API_URL=fake.base_url,
            URBANBELL_STARTUP_TRIES="20",
            URBANBELL_STARTUP_WAIT_SECONDS="0.5",
        )
        process = await start(env, log, "run")
        try:
            while "try 1 of 20" not in await asyncio.to_thread(log.read_text):
                assert process.returncode is None
                await asyncio.sleep(0.2)
            await proxy.open()
            fake.send_text(LAN, "/start", language_code="en")
            await fake.wait_for_messages(LAN, 1, timeout=90)
        finally:
            process.terminate()
            await asyncio.wait_for(process.wait(), 30)
    output = await asyncio.to_thread(log.read_text)
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert "cannot reach the database" in output
