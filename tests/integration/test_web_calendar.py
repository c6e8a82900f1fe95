"""`/calendar/<alley-code>.ics` over HTTP, on the demo wards in a real database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
import yaml
from icalendar import Calendar
from starlette.applications import Starlette

from bot.web.calendar import calendar_route
from core.holidays import VietnamHolidays
from core.ports import UnitOfWorkFactory
from core.seeding import apply_seed, parse_seed
from tests.support import FixedClock
from urbanbell.cli import DEMO_SEED

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
async def client(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> AsyncIterator[httpx.AsyncClient]:
    async with uow_factory() as uow:
        await apply_seed(uow, parse_seed(yaml.safe_load(DEMO_SEED.read_text())), VN.key)
        await uow.commit()
    app = Starlette(routes=[calendar_route(uow_factory, VietnamHolidays(), clock)])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ward.test") as client:
        yield client


def starts(response: httpx.Response) -> list[datetime]:
    calendar = Calendar.from_ical(response.content)
    return [event.decoded("dtstart") for event in calendar.walk("VEVENT")]


async def test_an_alley_calendar_holds_its_collections_of_the_next_90_days(
    client: httpx.AsyncClient, clock: FixedClock
) -> None:
    response = await client.get("/calendar/nk-hem-51.ics")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert 'filename="nk-hem-51.ics"' in response.headers["content-disposition"]
    found = starts(response)
    now = clock.now()
    assert found[0] == datetime(2026, 11, 30, 18, 0, tzinfo=VN)  # Monday, later today
    assert all(now <= at < now + timedelta(days=90) for at in found)
    assert len(found) > 30  # Monday, Wednesday and Friday for about 13 weeks
    days = {at.date(): at.astimezone(VN).strftime("%H:%M") for at in found}
    assert date(2026, 12, 25) not in days  # the ward skips it
    assert date(2027, 1, 1) not in days  # New Year's Day, and the ward skips holidays
    assert days.pop(date(2027, 1, 3)) == "07:00"  # moved there from 2 January
    assert set(days.values()) == {"18:00"}
    assert {d.weekday() for d in days} == {0, 2, 4}


async def test_the_events_name_the_alley_in_vietnamese_unless_english_is_asked_for(
    client: httpx.AsyncClient,
) -> None:
    vietnamese = await client.get("/calendar/nk-hem-51.ics")
    english = await client.get("/calendar/nk-hem-51.ics", params={"lang": "en"})
    by_header = await client.get(
        "/calendar/nk-hem-51.ics", headers={"Accept-Language": "en-GB,en;q=0.9"}
    )

    assert "SUMMARY:Thu gom rác: Hẻm 51 Đường 3 Tháng 2" in vietnamese.text
    assert "SUMMARY:Garbage collection: Hẻm 51 Đường 3 Tháng 2" in english.text
    assert "SUMMARY:Garbage collection: Hẻm 51 Đường 3 Tháng 2" in by_header.text


async def test_the_same_collections_keep_their_uids_from_one_fetch_to_the_next(
    client: httpx.AsyncClient, clock: FixedClock
) -> None:
    first = Calendar.from_ical((await client.get("/calendar/nk-hem-51.ics")).content)
    clock.move(timedelta(hours=3))
    second = Calendar.from_ical((await client.get("/calendar/nk-hem-51.ics")).content)

    def uids(calendar: Calendar) -> dict[datetime, str]:
        return {e.decoded("dtstart"): str(e["uid"]) for e in calendar.walk("VEVENT")}

    assert uids(first) == uids(second)


@pytest.mark.parametrize("code", ["nk-hem-999", "h%E1%BA%BBm-51", "x" * 60])
async def test_an_unknown_alley_code_is_a_short_404(client: httpx.AsyncClient, code: str) -> None:
    response = await client.get(f"/calendar/{code}.ics")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == "Không có hẻm nào mang mã này."
