"""`urbanbell run`'s calendar feed reads without the write lock: a fetch is answered while a
writer holds the database (in the process and in SQLite), as it was before the writer began."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from pathlib import Path

import httpx
import pytest
from icalendar import Calendar

from core.model import CollectionException, ExceptionAction
from tests.e2e.telegram_harness import bot_settings, running_bot
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


async def first_fetch(client: httpx.AsyncClient, url: str) -> httpx.Response:
    """The feed, once the web server listens (it starts beside the bot, a moment later)."""
    for _ in range(100):
        try:
            return await client.get(url)
        except httpx.ConnectError:
            await asyncio.sleep(0.05)
    return await client.get(url)


def next_day(feed: httpx.Response) -> date:
    """The day of the feed's first collection."""
    starts: list[datetime] = [
        e.decoded("dtstart") for e in Calendar.from_ical(feed.content).walk("VEVENT")
    ]
    return min(starts).date()


async def test_a_calendar_fetch_does_not_wait_for_a_writer(
    fake: FakeTelegram, tmp_path: Path, unused_tcp_port: int
) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'bell.db'}"
    feed = f"http://127.0.0.1:{unused_tcp_port}/calendar/nk-hem-51.ics"
    settings = bot_settings(fake, database, http_port=unused_tcp_port)
    async with running_bot(settings) as app, httpx.AsyncClient() as client:
        before = await first_fetch(client, feed)
        async with app.uow() as uow:
            alley = await uow.alleys.by_code("nk-hem-51")
            assert alley is not None
            skipped = CollectionException(next_day(before), ExceptionAction.SKIP)
            await uow.alleys.set_exception(alley.id, skipped)  # SQLite's write lock is taken
            during = await asyncio.wait_for(client.get(feed), timeout=10)
            await uow.commit()
        after = await client.get(feed)

    assert (before.status_code, during.status_code) == (200, 200)
    assert next_day(during) == skipped.on  # not yet committed
    assert next_day(after) > skipped.on
