"""The real `urbanbell run` process against the fake Telegram server: restarts, even kill -9."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

from tests.e2e.conftest import LAN, urbanbell
from tests.e2e.telegram_harness import buttons
from tests.fakes.telegram import FakeTelegram
from urbanbell.cli import DEMO_SEED


async def test_without_a_channel_run_says_what_to_set_and_exits_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("URBANBELL_")}
    env["URBANBELL_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'bell.db'}"
    process = await urbanbell(env, "run")
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    assert "set URBANBELL_TELEGRAM_TOKEN" in stderr.decode()


async def test_after_kill_9_the_bot_resumes_the_dialogue_and_repeats_no_reply(
    fake: FakeTelegram, bot_env: dict[str, str]
) -> None:
    seeding = await urbanbell(bot_env, "seed", str(DEMO_SEED))
    assert await seeding.wait() == 0

    # The first answer is handled and stored, but Telegram makes the bot wait to send it...
    fake.fail_next("sendMessage", status=429, retry_after=3)
    first = await urbanbell(bot_env, "run")
    fake.send_text(LAN, "/subscribe", language_code="en")
    await fake.wait_for_calls("sendMessage", 1, timeout=60)
    # ...and the bot is killed while it waits.
    first.send_signal(signal.SIGKILL)
    await first.wait()
    assert fake.messages_to(LAN) == []

    fake.send_text(LAN, "hem 51 3 thang 2", language_code="en")
    second = await urbanbell(bot_env, "run")
    try:
        asked, found = await fake.wait_for_messages(LAN, 2, timeout=60)
        assert asked.text is not None and asked.text.startswith("Type the name of your alley")
        label, data = buttons(found)[0]
        assert label == "Hẻm 51 Đường 3 Tháng 2 (Phường Ninh Kiều)"
        fake.press(LAN, data, language_code="en")
        *_, done = await fake.wait_for_messages(LAN, 3, timeout=30)
        assert done.text is not None and done.text.startswith("You now follow Hẻm 51")
    finally:
        second.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(second.communicate(), 30)
    assert second.returncode == 0, stderr.decode()
    assert "Traceback" not in stderr.decode()
    texts = [m.text for m in fake.messages_to(LAN)]
    assert len(texts) == 3, texts  # no reply lost, none repeated
