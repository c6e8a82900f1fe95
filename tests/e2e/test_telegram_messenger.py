"""The Telegram messenger over real python-telegram-bot: what each reply becomes, and what
each failure of the Bot API means for the message."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.channels.telegram.adapter import TEXT_LIMIT
from bot.channels.telegram.messenger import TelegramMessenger
from bot.chat.plain import split_text
from bot.chat.replies import Choice, Document, Reply
from core.model import PARTS_SENT, Outcome
from tests.e2e.conftest import LAN
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
async def messenger(fake: FakeTelegram) -> AsyncIterator[TelegramMessenger]:
    request = HTTPXRequest(read_timeout=0.5, connect_timeout=0.5)
    async with Bot(fake.token, base_url=fake.base_url, request=request) as bot:
        yield TelegramMessenger(bot)


def test_long_text_is_split_at_a_paragraph_then_a_line_then_a_word() -> None:
    paragraph = "Hẻm 51. " * 300  # 2,400 characters
    parts = split_text(f"{paragraph}\n\n{paragraph}\n\n{paragraph}", TEXT_LIMIT)
    assert [len(p) for p in parts] == [2400, 2400, 2400]  # one paragraph each
    assert all(len(p) <= 4096 for p in parts)
    # No boundary: cut at the limit.
    assert split_text("x" * 5000, TEXT_LIMIT) == ["x" * 4096, "x" * 904]


async def test_text_is_sent_exactly_as_typed_and_long_text_in_parts(
    messenger: TelegramMessenger, fake: FakeTelegram
) -> None:
    typed = "<b>&_*[ " * 700  # 5,600 characters that would break any parse mode
    reply = Reply(typed, (Choice("OK", "help"),))
    assert (await messenger.deliver(str(LAN), reply.to_payload())).outcome is Outcome.SENT

    first, second = fake.messages_to(LAN)
    assert (first.text or "") + " " + (second.text or "") == typed  # cut at a space
    assert "parse_mode" not in first.params
    assert first.reply_markup is None and second.reply_markup is not None


async def test_a_photo_a_location_and_a_file_follow_the_text_with_the_buttons_last(
    messenger: TelegramMessenger, fake: FakeTelegram
) -> None:
    reply = Reply(
        "Report #12",
        (Choice("Acknowledge", "ack:12"),),
        document=Document("reports.csv", b"number,state\n12,new\n"),
        photo="photo-1",
        location=(10.0299, 105.7706),
    )
    await messenger.deliver(str(LAN), reply.to_payload())

    sent = fake.messages_to(LAN)
    assert [m.method for m in sent] == ["sendMessage", "sendPhoto", "sendLocation", "sendDocument"]
    assert [m.reply_markup is not None for m in sent] == [False, False, False, True]
    assert sent[3].params["document"].content == b"number,state\n12,new\n"


async def test_sent_again_a_message_sends_only_the_parts_that_did_not_arrive(
    messenger: TelegramMessenger, fake: FakeTelegram
) -> None:
    payload = Reply("Report #12", photo="photo-1").to_payload()
    fake.fail_next("sendPhoto", status=429, retry_after=1)
    first = await messenger.deliver(str(LAN), payload)
    assert (first.outcome, first.parts_sent) == (Outcome.RETRY_AFTER, 1)

    again = await messenger.deliver(str(LAN), {**payload, PARTS_SENT: first.parts_sent})
    assert again.outcome is Outcome.SENT
    texts = [m.text for m in fake.messages_to(LAN)]
    assert len(texts) == 2 and texts.count("Report #12") == 1  # the text once, then the photo


@pytest.mark.parametrize(
    ("cue", "outcome"),
    [
        ("rate", Outcome.RETRY_AFTER),
        ("blocked", Outcome.BLOCKED),
        ("gone", Outcome.BLOCKED),
        ("slow", Outcome.UNCERTAIN),
        ("broken", Outcome.FAILED),
    ],
)
async def test_each_failure_of_the_bot_api_has_its_outcome(
    messenger: TelegramMessenger, fake: FakeTelegram, cue: str, outcome: Outcome
) -> None:
    payload = Reply("Hello").to_payload()
    match cue:
        case "rate":
            fake.fail_next("sendMessage", status=429, retry_after=7)
        case "blocked":
            fake.block(LAN)
        case "gone":
            fake.forget_chat(LAN)
        case "slow":
            fake.delay_next("sendMessage", 2)  # longer than the read time-out
        case "broken":
            payload = Reply("Hello", (Choice("x", "x" * 65),)).to_payload()

    delivery = await messenger.deliver(str(LAN), payload)

    assert delivery.outcome is outcome, delivery
    if cue == "rate":
        assert delivery.retry_after == 7


async def test_a_server_that_cannot_be_reached_is_safe_to_try_again() -> None:
    request = HTTPXRequest(read_timeout=0.5, connect_timeout=0.5)
    async with FakeTelegram() as gone:
        bot = Bot(gone.token, base_url=gone.base_url, request=request)
        await bot.initialize()
    # The server has stopped: the connection is refused before anything is sent.
    delivery = await TelegramMessenger(bot).deliver(str(LAN), Reply("Hello").to_payload())
    await bot.shutdown()
    assert delivery.outcome is Outcome.RETRY


async def test_paid_broadcast_is_asked_for_only_when_the_ward_pays_for_it(
    messenger: TelegramMessenger, fake: FakeTelegram
) -> None:
    await messenger.deliver(str(LAN), Reply("free").to_payload())
    await TelegramMessenger(messenger.bot, paid=True).deliver(str(LAN), Reply("paid").to_payload())
    free, paid = fake.messages_to(LAN)
    assert free.params.get("allow_paid_broadcast") in (None, False)
    assert paid.params["allow_paid_broadcast"] is True
