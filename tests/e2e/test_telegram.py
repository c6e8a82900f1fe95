"""The whole bot on Telegram: real python-telegram-bot over HTTP against a fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from sqlalchemy import select

from storage.models import OutboxRow, ProcessedUpdateRow, ResidentRow, SubscriptionRow
from storage.uow import SqlUnitOfWork
from tests.e2e.conftest import LAN
from tests.e2e.telegram_harness import bot_settings, buttons, running_bot
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

T = TypeVar("T")


async def eventually(probe: Callable[[], Awaitable[T]], expected: T, within: float = 5) -> T:
    """What `probe` gives once it gives `expected`, or its last answer after `within` seconds."""
    # The database has no event to wait on: look every 50 ms, a bounded number of times.
    for _ in range(int(within / 0.05)):
        found = await probe()
        if found == expected:
            return found
        await asyncio.sleep(0.05)
    return await probe()


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'bell.db'}"


async def test_a_deep_link_subscribes_and_names_the_next_collection(
    fake: FakeTelegram, database: str
) -> None:
    async with running_bot(bot_settings(fake, database)):
        fake.send_text(LAN, "/start nk-hem-51")
        [reply] = await fake.wait_for_messages(LAN, 1)

    assert reply.text is not None
    assert "Hẻm 51 Đường 3 Tháng 2" in reply.text
    assert [label for label, _ in buttons(reply)] == ["10 phút", "15 phút", "30 phút", "60 phút"]


async def test_a_resident_subscribes_by_search_with_buttons(
    fake: FakeTelegram, database: str
) -> None:
    async with running_bot(bot_settings(fake, database)) as app:
        fake.send_text(LAN, "/subscribe hem 51 3 thang 2", language_code="en")
        [found] = await fake.wait_for_messages(LAN, 1)
        label, data = buttons(found)[0]
        assert label == "Hẻm 51 Đường 3 Tháng 2 (Phường Ninh Kiều)"

        fake.press(LAN, data, language_code="en")
        _, done = await fake.wait_for_messages(LAN, 2)
        await fake.wait_for_calls("answerCallbackQuery", 1)

        assert done.text is not None and "You now follow Hẻm 51" in done.text
        async with app.uow() as uow:
            assert isinstance(uow, SqlUnitOfWork)
            assert len(list(await uow.session.scalars(select(SubscriptionRow)))) == 1


async def test_a_resident_switches_to_english(fake: FakeTelegram, database: str) -> None:
    async with running_bot(bot_settings(fake, database)):
        fake.send_text(LAN, "/language")
        [question] = await fake.wait_for_messages(LAN, 1)
        assert buttons(question) == [("Tiếng Việt", "lang:vi"), ("English", "lang:en")]
        fake.press(LAN, "lang:en")
        fake.send_text(LAN, "/help")
        _, switched, help_text = await fake.wait_for_messages(LAN, 3)

    assert switched.text == "From now on I will speak English with you."
    assert help_text.text is not None and help_text.text.startswith("Here is what I can do")


async def test_a_forged_button_changes_nothing_and_gets_a_polite_answer(
    fake: FakeTelegram, database: str
) -> None:
    neighbour = 2002
    async with running_bot(bot_settings(fake, database)) as app:
        fake.send_text(neighbour, "/start nk-hem-132", language_code="en")
        [theirs] = await fake.wait_for_messages(neighbour, 1)
        their_subscription = buttons(theirs)[0][1].split(":")[1]
        fake.send_text(LAN, "/help", language_code="en")
        await fake.wait_for_messages(LAN, 1)

        fake.press(LAN, f"unsub:{their_subscription}", language_code="en")
        fake.press(LAN, "lead:" + their_subscription + ":60", language_code="en")
        fake.press(LAN, "x" * 64, language_code="en")
        _, *answers = await fake.wait_for_messages(LAN, 4)
        await fake.wait_for_calls("answerCallbackQuery", 3)

        assert all(a.text is not None and "out of date" in a.text for a in answers)
        async with app.uow() as uow:
            assert isinstance(uow, SqlUnitOfWork)
            [kept] = await uow.session.scalars(select(SubscriptionRow))
            assert (str(kept.id), kept.lead_minutes) == (their_subscription, 15)


async def test_too_many_requests_pauses_sending_then_it_goes_on(
    fake: FakeTelegram, database: str
) -> None:
    fake.fail_next("sendMessage", status=429, retry_after=1)
    async with running_bot(bot_settings(fake, database)):
        fake.send_text(LAN, "/help")
        [reply] = await fake.wait_for_messages(LAN, 1)

    refused, delivered = fake.calls_of("sendMessage")
    assert (refused.status, delivered.status) == (429, 200)
    assert reply.at - refused.at >= 1.0  # Telegram asked for a second's rest
    assert reply.text is not None and reply.text.startswith("Tôi có thể giúp bạn")


async def test_a_resident_who_blocked_the_bot_is_marked_inactive(
    fake: FakeTelegram, database: str
) -> None:
    async with running_bot(bot_settings(fake, database)) as app:
        fake.send_text(LAN, "/start nk-hem-51")
        await fake.wait_for_messages(LAN, 1)
        fake.block(LAN)
        fake.send_text(LAN, "/mine")
        fake.block(LAN)  # she writes, then blocks the bot before the answer leaves
        await fake.wait_for_calls("sendMessage", 2)

        async def recorded() -> tuple[bool, list[str]]:
            async with app.uow() as uow:
                assert isinstance(uow, SqlUnitOfWork)
                resident = (await uow.session.scalars(select(ResidentRow))).one()
                rows = await uow.session.scalars(select(OutboxRow).order_by(OutboxRow.id))
                return resident.active, [r.status for r in rows]

        blocked = (False, ["sent", "failed"])
        assert await eventually(recorded, blocked) == blocked


async def test_a_webhook_request_with_a_wrong_or_missing_secret_is_refused_unprocessed(
    fake: FakeTelegram, database: str, unused_tcp_port: int
) -> None:
    url = f"http://127.0.0.1:{unused_tcp_port}/telegram"
    settings = bot_settings(
        fake,
        database,
        telegram_webhook_url=url,
        webhook_secret="right-secret",
        http_port=unused_tcp_port,
    )
    async with running_bot(settings) as app:
        await fake.wait_for_calls("setWebhook", 1)
        assert fake.webhook is not None and fake.webhook["secret_token"] == "right-secret"
        update = fake.update_json(fake.send_text(LAN, "/start nk-hem-51"))
        header = "X-Telegram-Bot-Api-Secret-Token"
        async with httpx.AsyncClient() as client:
            wrong = await client.post(url, json=update, headers={header: "guess"})
            missing = await client.post(url, json=update)
            async with app.uow() as uow:
                assert isinstance(uow, SqlUnitOfWork)
                assert list(await uow.session.scalars(select(ProcessedUpdateRow))) == []
            right = await client.post(url, json=update, headers={header: "right-secret"})
            again = await client.post(url, json=update, headers={header: "right-secret"})
            feed = await client.get(f"http://127.0.0.1:{unused_tcp_port}/calendar/nk-hem-51.ics")
        [reply] = await fake.wait_for_messages(LAN, 1)

    assert (wrong.status_code, missing.status_code) == (403, 403)
    assert (right.status_code, again.status_code) == (200, 200)
    assert feed.status_code == 200 and b"BEGIN:VEVENT" in feed.content  # the same web server
    assert reply.text is not None and "Hẻm 51" in reply.text
    assert len(fake.messages_to(LAN)) == 1  # the repeated delivery was answered once


async def test_calendar_sends_each_followed_alley_as_a_calendar_file(
    fake: FakeTelegram, database: str
) -> None:
    async with running_bot(bot_settings(fake, database)):
        fake.send_text(LAN, "/start nk-hem-51", language_code="en")
        await fake.wait_for_messages(LAN, 1)
        fake.send_text(LAN, "/calendar", language_code="en")
        _, note, sent_file = await fake.wait_for_messages(LAN, 3)

    assert note.text is not None and note.text.startswith("Hẻm 51 Đường 3 Tháng 2: open the file")
    assert sent_file.method == "sendDocument"
    upload = sent_file.params["document"]
    assert upload.filename == "nk-hem-51.ics"
    assert b"BEGIN:VEVENT" in upload.content and b"Garbage collection" in upload.content


async def test_officers_get_their_own_commands_in_their_menu(
    fake: FakeTelegram, database: str
) -> None:
    async with running_bot(bot_settings(fake, database)):
        await fake.wait_for_calls("setMyCommands", 2 + 2 * 4)  # everyone + four officers

    everyone = [c["command"] for c in fake.commands_for()]
    chi_lan = [c["command"] for c in fake.commands_for({"type": "chat", "chat_id": 9001})]
    chi_hoa = [c["command"] for c in fake.commands_for({"type": "chat", "chat_id": 9101})]
    assert "skip" not in everyone and "subscribe" in everyone
    assert {"skip", "move", "subscribe"} <= set(chi_lan)
    assert "skip" not in chi_hoa  # an organiser does not change the calendar
    english = fake.commands_for({"type": "chat", "chat_id": 9001}, "en")
    assert {"command": "skip", "description": "no collection in an alley on a day"} in english
