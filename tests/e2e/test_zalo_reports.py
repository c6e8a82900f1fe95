"""A resident files a report through Zalo; the ward's officer hears of it on Telegram."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.telegram_harness import bot_settings
from tests.e2e.zalo_harness import LAN, running
from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo

CHI_LAN = 9001  # an officer of Phường Ninh Kiều, on Telegram
NUMBER = re.compile(r"#(\d+)")


async def test_a_report_filed_on_zalo_reaches_the_officer_on_telegram(
    fake: FakeTelegram, zalo: FakeZalo, tmp_path: Path
) -> None:
    settings = bot_settings(
        fake,
        f"sqlite+aiosqlite:///{tmp_path / 'bell.db'}",
        zalo_token=zalo.token,
        zalo_api_url=zalo.base_url,
    )
    async with running(settings):
        zalo.send_text(LAN, "nk-hem-51")
        await zalo.wait_for_messages(LAN, 1)
        zalo.send_text(LAN, "/report litter Có người đổ rác trộm ở đầu hẻm mỗi đêm")
        _, filed = await zalo.wait_for_messages(LAN, 2)
        assert filed.text is not None
        found = NUMBER.search(filed.text)
        assert found is not None, filed.text
        [notice] = await fake.wait_for_messages(CHI_LAN, 1)

    assert notice.text is not None and f"#{found.group(1)}" in notice.text
    assert "đổ rác trộm" in notice.text
