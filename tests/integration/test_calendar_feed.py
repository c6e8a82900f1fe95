"""The calendar feed as phones fetch it again and again: kept while the alley's schedule stays
the same (even when another process changes it), 304 for a phone that has it, a limit a client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
import yaml
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from bot.web.calendar import calendar_route
from core.holidays import VietnamHolidays
from core.model import CollectionException, ExceptionAction
from core.ports import UnitOfWorkFactory
from core.seeding import apply_seed, parse_seed
from storage.database import create_engine, session_factory
from storage.uow import SqlUnitOfWork
from tests.support import FixedClock
from urbanbell.cli import DEMO_SEED

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FEED = "/calendar/nk-hem-51.ics"
WEDNESDAY = date(2026, 12, 2)


def feed_app(uow_factory: UnitOfWorkFactory, clock: FixedClock, per_minute: int = 30) -> Starlette:
    route = calendar_route(uow_factory, VietnamHolidays(), clock, per_minute=per_minute)
    return Starlette(routes=[route])


def client_of(app: Starlette, address: str = "10.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 50_000))
    return httpx.AsyncClient(transport=transport, base_url="http://ward.test")


@pytest.fixture
async def client(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> AsyncIterator[httpx.AsyncClient]:
    async with uow_factory() as uow:
        await apply_seed(uow, parse_seed(yaml.safe_load(DEMO_SEED.read_text())), VN.key)
        await uow.commit()
    async with client_of(feed_app(uow_factory, clock)) as client:
        yield client


async def skip(uow_factory: UnitOfWorkFactory, day: date) -> None:
    async with uow_factory() as uow:
        alley = await uow.alleys.by_code("nk-hem-51")
        assert alley is not None
        await uow.alleys.set_exception(alley.id, CollectionException(day, ExceptionAction.SKIP))
        await uow.commit()


async def test_a_phone_that_has_the_calendar_gets_a_304_by_etag_or_by_date(
    client: httpx.AsyncClient, clock: FixedClock
) -> None:
    first = await client.get(FEED)
    clock.move(timedelta(minutes=30))  # no collection has passed meanwhile
    by_tag = await client.get(FEED, headers={"If-None-Match": first.headers["etag"]})
    by_date = await client.get(FEED, headers={"If-Modified-Since": first.headers["last-modified"]})
    stale_tag = await client.get(FEED, headers={"If-None-Match": '"an-older-one"'})
    earlier = await client.get(
        FEED, headers={"If-Modified-Since": "Sun, 29 Nov 2026 00:00:00 GMT"}
    )

    assert first.status_code == 200
    assert first.headers["last-modified"] == "Mon, 30 Nov 2026 01:00:00 GMT"
    assert (by_tag.status_code, by_tag.content) == (304, b"")
    assert by_tag.headers["etag"] == first.headers["etag"]
    assert by_date.status_code == 304
    # Made once: the same bytes, its stamp from the first fetch.
    assert (stale_tag.status_code, stale_tag.content) == (200, first.content)
    assert earlier.status_code == 200


async def test_a_schedule_changed_by_another_process_shows_at_the_next_fetch(
    client: httpx.AsyncClient, engine: AsyncEngine, db_url: str, clock: FixedClock
) -> None:
    first = await client.get(FEED)
    other = create_engine(db_url)  # another `urbanbell` process on the same database
    try:
        await skip(lambda: SqlUnitOfWork(session_factory(other), clock), WEDNESDAY)
    finally:
        await other.dispose()
    second = await client.get(FEED, headers={"If-None-Match": first.headers["etag"]})

    assert second.status_code == 200
    assert second.headers["etag"] != first.headers["etag"]
    assert "DTSTART;TZID=Asia/Ho_Chi_Minh:20261202T180000" in first.text
    assert "DTSTART;TZID=Asia/Ho_Chi_Minh:20261202T180000" not in second.text


async def test_a_collection_that_has_passed_leaves_the_calendar(
    client: httpx.AsyncClient, clock: FixedClock
) -> None:
    first = await client.get(FEED)
    clock.move(timedelta(hours=11))  # Monday's 18:00 collection is over
    second = await client.get(FEED, headers={"If-None-Match": first.headers["etag"]})

    assert second.status_code == 200
    assert "20261130T180000" in first.text and "20261130T180000" not in second.text


async def test_a_client_past_its_limit_is_told_when_to_come_back_and_others_are_not(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with uow_factory() as uow:
        await apply_seed(uow, parse_seed(yaml.safe_load(DEMO_SEED.read_text())), VN.key)
        await uow.commit()
    app = feed_app(uow_factory, clock, per_minute=3)
    async with client_of(app, "10.0.0.1") as greedy, client_of(app, "10.0.0.2") as polite:
        allowed = [(await greedy.get(FEED)).status_code for _ in range(3)]
        refused = await greedy.get(FEED)
        unknown = await greedy.get("/calendar/nk-hem-999.ics")
        other = await polite.get(FEED)
        clock.move(timedelta(seconds=20))  # a third of a minute: one more request
        again = await greedy.get(FEED)
        too_soon = await greedy.get(FEED)

    assert allowed == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "20"
    assert refused.text == "Quá nhiều yêu cầu: vui lòng thử lại sau giây lát."
    assert unknown.status_code == 429  # counted before the database is asked
    assert other.status_code == 200
    assert (again.status_code, too_soon.status_code) == (200, 429)
