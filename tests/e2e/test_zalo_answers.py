"""Answers typed on Zalo, where every option is answered by typing: over HTTP against the fake
Zalo Bot API, with the real dispatcher deciding what the resident has seen."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from storage.models import ResidentRow, SubscriptionRow
from storage.uow import SqlUnitOfWork
from tests.e2e.zalo_harness import LAN, running, zalo_settings
from tests.fakes.zalo import FakeZalo
from tests.support import FixedClock
from urbanbell.app import App

VN = ZoneInfo("Asia/Ho_Chi_Minh")
LANGUAGES = "1. Tiếng Việt\n2. English"


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'bell.db'}"


async def _resident(app: App) -> tuple[str | None, list[int]]:
    """Lan's language and the lead times of what she follows."""
    async with app.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        language = await uow.session.scalar(
            select(ResidentRow.language).where(ResidentRow.external_id == LAN)
        )
        leads = await uow.session.scalars(
            select(SubscriptionRow.lead_minutes)
            .join(ResidentRow, SubscriptionRow.resident_id == ResidentRow.id)
            .where(ResidentRow.external_id == LAN)
        )
        return language, list(leads)


async def test_a_number_typed_while_a_bell_is_queued_answers_the_menu_on_screen(
    zalo: FakeZalo, database: str
) -> None:
    # Monday 30 November 2026, 15:00: the truck reaches Hẻm 51 at 18:00, the bell waits.
    clock = FixedClock(datetime(2026, 11, 30, 15, 0, tzinfo=VN))
    async with running(zalo_settings(zalo, database), clock) as app:
        zalo.send_text(LAN, "/start nk-hem-51")
        await zalo.wait_for_messages(LAN, 1)
        zalo.send_text(LAN, "/language")
        await zalo.wait_for_messages(LAN, 2)
        assert (await app.planner().run()).planned == 1  # queued for 17:45
        zalo.send_text(LAN, "2")
        *_, switched = await zalo.wait_for_messages(LAN, 3)
        assert await _resident(app) == ("en", [15])

    assert switched.text == "From now on I will speak English with you."


@pytest.mark.parametrize(("typed", "minutes"), [("30 phút", 30), ("30", 30), ("3.", 30)])
async def test_minutes_typed_in_words_set_the_lead_time(
    zalo: FakeZalo, database: str, typed: str, minutes: int
) -> None:
    async with running(zalo_settings(zalo, database)) as app:
        zalo.send_text(LAN, "nk-hem-51")
        await zalo.wait_for_messages(LAN, 1)
        zalo.send_text(LAN, typed)
        _, done = await zalo.wait_for_messages(LAN, 2)
        assert await _resident(app) == (None, [minutes])

    assert done.text is not None and f"{minutes} phút" in done.text


@pytest.mark.parametrize("typed", ["0", "9", "-1", "English"])
async def test_a_language_menu_takes_its_words_and_hints_at_anything_else(
    zalo: FakeZalo, database: str, typed: str
) -> None:
    async with running(zalo_settings(zalo, database)) as app:
        zalo.send_text(LAN, "/language")
        await zalo.wait_for_messages(LAN, 1)
        zalo.send_text(LAN, typed)
        _, answer = await zalo.wait_for_messages(LAN, 2)
        language, _leads = await _resident(app)

    assert answer.text is not None
    if typed == "English":
        assert (language, answer.text) == ("en", "From now on I will speak English with you.")
    else:
        assert language is None
        assert answer.text == "Bạn vui lòng gõ số thứ tự của một trong các lựa chọn sau:\n\n" + (
            LANGUAGES
        ), answer.text
