"""Runs the whole bot in the test's event loop against the fake Zalo server (and Telegram's)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from core.clock import Clock
from tests.e2e.conftest import free_port
from tests.e2e.telegram_harness import seed_demo
from tests.fakes.zalo import FakeZalo
from urbanbell.app import App, open_app, serve
from urbanbell.settings import Settings

LAN = "6ede9afa6a7d2a3c1b54"  # a resident's Zalo id; her chat with the bot has the same id
BINH = "2d758cb5e222177a4e33"


def zalo_settings(zalo: FakeZalo, database_url: str, **more: Any) -> Settings:
    return Settings.model_validate(
        {
            "database_url": database_url,
            "zalo_token": zalo.token,
            "zalo_api_url": zalo.base_url,
            "http_port": free_port(),
            **more,
        }
    )


@asynccontextmanager
async def running(settings: Settings, clock: Clock | None = None) -> AsyncIterator[App]:
    """The bot as `urbanbell run` runs it, with the demo wards, stopped on the way out."""
    stop = asyncio.Event()
    async with open_app(settings, clock) as app:
        await seed_demo(app)
        task = asyncio.create_task(serve(app, stop))
        try:
            yield app
        finally:
            stop.set()
            await task
