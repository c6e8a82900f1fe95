"""Telegram and Zalo in one `urbanbell run`: one outbox, each message on its own platform."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.features.bell.calendar_changes import CONFIRM
from tests.e2e.conftest import LAN as TELEGRAM_LAN
from tests.e2e.telegram_harness import bot_settings
from tests.e2e.zalo_harness import LAN as ZALO_LAN
from tests.e2e.zalo_harness import running
from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo
from tests.support import FixedClock

CHI_LAN = 9001  # the demo ward's officer, on Telegram
VN = ZoneInfo("Asia/Ho_Chi_Minh")


async def test_one_process_serves_both_and_an_officer_on_telegram_reaches_zalo_residents(
    fake: FakeTelegram, zalo: FakeZalo, tmp_path: Path
) -> None:
    settings = bot_settings(
        fake,
        f"sqlite+aiosqlite:///{tmp_path / 'bell.db'}",
        zalo_token=zalo.token,
        zalo_api_url=zalo.base_url,
    )
    # Monday 30 November 2026, 08:00 in Cần Thơ.
    async with running(settings, FixedClock(datetime(2026, 11, 30, 8, 0, tzinfo=VN))):
        fake.send_text(TELEGRAM_LAN, "/start nk-hem-51", language_code="en")
        zalo.send_text(ZALO_LAN, "nk-hem-51")
        [on_telegram] = await fake.wait_for_messages(TELEGRAM_LAN, 1)
        [on_zalo] = await zalo.wait_for_messages(ZALO_LAN, 1)

        fake.send_text(CHI_LAN, "/skip nk-hem-51 2/12", language_code="en")
        [preview] = await fake.wait_for_messages(CHI_LAN, 1)
        fake.press(CHI_LAN, CONFIRM, language_code="en")
        _, done = await fake.wait_for_messages(CHI_LAN, 2)
        await fake.wait_for_messages(TELEGRAM_LAN, 2)
        _, told_on_zalo = await zalo.wait_for_messages(ZALO_LAN, 2)

    assert on_telegram.text is not None and on_telegram.text.startswith("You now follow Hẻm 51")
    assert on_zalo.text is not None and on_zalo.text.startswith("Bạn đã theo dõi Hẻm 51")
    assert preview.text is not None and preview.text.endswith(
        "It goes to 2 followers of the alley."
    )
    assert done.text is not None and "2 followers are being told" in done.text
    assert told_on_zalo.text is not None and "Thứ Tư 02/12" in told_on_zalo.text
    # Nothing crossed over: each platform got only its own people's messages.
    assert {m.chat_id for m in fake.sent} == {TELEGRAM_LAN, CHI_LAN}
    assert {m.chat_id for m in zalo.sent} == {ZALO_LAN}
