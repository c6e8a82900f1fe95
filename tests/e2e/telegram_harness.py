"""Runs the whole bot in the test's event loop against the fake Telegram server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import yaml

from core.seeding import apply_seed, parse_seed
from tests.e2e.conftest import free_port
from tests.fakes.telegram import FakeTelegram, Sent
from urbanbell.app import App, open_app, serve
from urbanbell.cli import DEMO_SEED
from urbanbell.settings import Settings


def bot_settings(fake: FakeTelegram, database_url: str, **more: Any) -> Settings:
    return Settings.model_validate(
        {
            "database_url": database_url,
            "telegram_token": fake.token,
            "telegram_api_url": fake.base_url,
            "http_port": free_port(),
            **more,
        }
    )


async def seed_demo(app: App) -> None:
    async with app.uow() as uow:
        seed = parse_seed(yaml.safe_load(DEMO_SEED.read_text(encoding="utf-8")))
        await apply_seed(uow, seed, app.settings.timezone)
        await uow.commit()


@asynccontextmanager
async def running_bot(settings: Settings) -> AsyncIterator[App]:
    """The bot as `urbanbell run` runs it, with the demo wards, stopped on the way out."""
    stop = asyncio.Event()
    async with open_app(settings) as app:
        await seed_demo(app)
        task = asyncio.create_task(serve(app, stop))
        try:
            yield app
        finally:
            stop.set()
            await task


def buttons(message: Sent) -> list[tuple[str, str]]:
    """(label, callback data) of each button under a message."""
    markup = message.reply_markup or {}
    return [
        (b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row
    ]
