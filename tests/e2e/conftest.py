"""Fixtures for end-to-end tests: the fake Telegram server and the real `urbanbell` command."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo

URBANBELL = str(Path(sys.executable).with_name("urbanbell"))
LAN = 1001  # a resident's Telegram id; her private chat has the same id


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now, for a bot's web server: several tests
    (and several people's tests) run on one machine, so none may take the default 8080."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZalo]:
    async with FakeZalo() as server:
        yield server


@pytest.fixture
def bot_env(tmp_path: Path, fake: FakeTelegram) -> dict[str, str]:
    """The environment of an `urbanbell run` that talks to the fake server."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("URBANBELL_")}
    clean.update(
        URBANBELL_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bell.db'}",
        URBANBELL_TELEGRAM_TOKEN=fake.token,
        URBANBELL_TELEGRAM_API_URL=fake.base_url,
        URBANBELL_OUTBOX_LEASE_SECONDS="2",
        URBANBELL_HTTP_PORT=str(free_port()),
    )
    return clean


async def urbanbell(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        URBANBELL,
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
