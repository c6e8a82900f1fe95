"""While Telegram answers getUpdates with errors, the log says so once, and once when back."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.e2e.conftest import LAN
from tests.e2e.telegram_harness import bot_settings, running_bot
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


async def test_telegram_failing_to_give_updates_is_told_once_and_its_return_once(
    fake: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.channels.telegram.polling")
    fake.fail_next("getUpdates", status=502, retry_after=None, description="Bad Gateway", times=2)
    async with running_bot(bot_settings(fake, f"sqlite+aiosqlite:///{tmp_path / 'b.db'}")):
        fake.send_text(LAN, "/start nk-hem-51")
        await fake.wait_for_messages(LAN, 1, timeout=30)

    told = [r for r in caplog.records if r.name == "bot.channels.telegram.polling"]
    assert [r.levelno for r in told] == [logging.WARNING, logging.WARNING]
    assert "unreachable" in told[0].getMessage() and "Bad Gateway" in told[0].getMessage()
    assert "back after" in told[1].getMessage()
