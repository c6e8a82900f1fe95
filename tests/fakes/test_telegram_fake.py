"""The fake Bot API speaks the protocol a real python-telegram-bot expects, over real HTTP."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatAction
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter, TimedOut
from telegram.ext import ApplicationBuilder, ContextTypes, TypeHandler

from tests.fakes.telegram import Call, FakeTelegram, Upload

RESIDENT = 4201
NEIGHBOUR = 4202
KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Có", callback_data="yes"),
            InlineKeyboardButton("Không", callback_data="no"),
        ]
    ]
)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as ptb:
        yield ptb


# PTB 22 warns whenever it builds a RetryAfter, unless PTB_TIMEDELTA is set in the environment.
quiet_retry_after = pytest.mark.filterwarnings(
    "ignore:Deprecated since version v22.2:telegram.warnings.PTBDeprecationWarning"
)


def retry_after_of(error: RetryAfter) -> float:
    """The seconds to wait, whether PTB gives them as an int or as a timedelta."""
    retry_after = error.retry_after
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else retry_after


async def test_a_ptb_bot_gets_itself(fake: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()

    assert me.is_bot
    assert me.username == "urbanbell_test_bot"
    assert bot.username == "urbanbell_test_bot"
    assert [call.method for call in fake.calls] == ["getMe", "getMe"]


async def test_a_wrong_token_is_unauthorized(fake: FakeTelegram) -> None:
    with pytest.raises(InvalidToken, match="rejected by the server"):
        async with Bot("999:WRONG", base_url=fake.base_url):
            pass

    assert fake.calls[-1] == Call(method="getMe", params={}, status=401)


async def test_a_message_with_buttons_is_recorded_with_its_text_and_buttons(
    fake: FakeTelegram, bot: Bot
) -> None:
    message = await bot.send_message(RESIDENT, "Xe rác sắp tới hẻm 51", reply_markup=KEYBOARD)

    [sent] = fake.messages_to(RESIDENT)
    assert sent.method == "sendMessage"
    assert sent.text == "Xe rác sắp tới hẻm 51"
    assert sent.reply_markup == {
        "inline_keyboard": [
            [{"text": "Có", "callback_data": "yes"}, {"text": "Không", "callback_data": "no"}]
        ]
    }
    assert sent.params["chat_id"] == RESIDENT
    assert message.message_id == sent.message_id
    assert message.reply_markup == KEYBOARD
    assert message.from_user is not None and message.from_user.id == bot.id


async def test_an_application_polling_receives_a_text_and_a_button_press(
    fake: FakeTelegram,
) -> None:
    received: list[Update] = []
    both = asyncio.Event()

    async def collect(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        received.append(update)
        if len(received) == 2:
            both.set()

    app = ApplicationBuilder().token(fake.token).base_url(fake.base_url).build()
    app.add_handler(TypeHandler(Update, collect))
    assert app.updater is not None
    async with app:
        await app.updater.start_polling(timeout=1)
        await app.start()
        await app.bot.send_message(RESIDENT, "Báo cáo mới?", reply_markup=KEYBOARD)
        fake.send_text(RESIDENT, "/start nk-hem-51", language_code="en")
        fake.press(RESIDENT, "yes")
        await asyncio.wait_for(both.wait(), 5)
        await app.updater.stop()
        await app.stop()
        info = await app.bot.get_webhook_info()

    text, press = received
    assert text.effective_user is not None and text.effective_user.language_code == "en"
    assert text.message is not None and text.message.text == "/start nk-hem-51"
    assert text.message.entities[0].type == "bot_command"
    assert text.message.entities[0].length == len("/start")
    assert press.callback_query is not None and press.callback_query.data == "yes"
    assert press.effective_user is not None and press.effective_user.language_code == "vi"
    assert press.effective_message is not None
    assert press.effective_message.text == "Báo cáo mới?"
    # Stopping the updater confirmed both updates with one last offset.
    assert info.pending_update_count == 0


async def test_an_offset_confirms_and_drops_earlier_updates(fake: FakeTelegram, bot: Bot) -> None:
    first = fake.send_text(RESIDENT, "một")
    fake.send_text(RESIDENT, "hai")
    third = fake.send_text(RESIDENT, "ba")

    assert [u.update_id for u in await bot.get_updates()] == [1, 2, 3]
    assert [u.update_id for u in await bot.get_updates(offset=first + 1, limit=1)] == [2]
    assert [u.update_id for u in await bot.get_updates()] == [2, 3]
    assert await bot.get_updates(offset=third + 1) == ()
    assert fake.update_json(first)["message"]["text"] == "một"


async def test_a_long_poll_answers_empty_after_its_timeout(fake: FakeTelegram, bot: Bot) -> None:
    started = time.monotonic()

    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 <= time.monotonic() - started < 2


async def test_a_long_poll_answers_as_soon_as_an_update_is_queued(
    fake: FakeTelegram, bot: Bot
) -> None:
    asyncio.get_running_loop().call_later(0.1, fake.share_location, RESIDENT, 10.03, 105.77)
    started = time.monotonic()

    [update] = await bot.get_updates(timeout=5)

    assert time.monotonic() - started < 1
    assert update.message is not None and update.message.location is not None
    assert update.message.location.latitude == pytest.approx(10.03)


async def test_a_newer_poll_ends_an_older_one_with_a_conflict(fake: FakeTelegram) -> None:
    async with (
        Bot(fake.token, base_url=fake.base_url) as first,
        Bot(fake.token, base_url=fake.base_url) as second,
    ):
        older = asyncio.create_task(first.get_updates(timeout=5))
        for _ in range(100):
            if fake.long_polls:
                break
            await asyncio.sleep(0.01)
        newer = asyncio.create_task(second.get_updates(timeout=0))

        with pytest.raises(Conflict, match="terminated by other getUpdates"):
            await older
        assert await newer == ()


@quiet_retry_after
async def test_a_cued_429_makes_ptb_raise_retry_after(fake: FakeTelegram, bot: Bot) -> None:
    fake.fail_next("sendMessage", status=429, retry_after=2)

    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(RESIDENT, "Chuông đô thị")
    await bot.send_message(RESIDENT, "Chuông đô thị")

    assert retry_after_of(raised.value) == 2
    assert [call.status for call in fake.calls_of("sendMessage")] == [429, 200]
    assert len(fake.messages_to(RESIDENT)) == 1


async def test_a_blocked_chat_makes_ptb_raise_forbidden_until_its_person_writes(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.block(RESIDENT)

    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(RESIDENT, "Nhắc nhở")
    fake.send_text(RESIDENT, "/start")
    await bot.send_message(RESIDENT, "Chào lại")

    assert [sent.text for sent in fake.messages_to(RESIDENT)] == ["Chào lại"]


async def test_a_forgotten_chat_makes_ptb_raise_chat_not_found(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.forget_chat(RESIDENT)

    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(RESIDENT, "Nhắc nhở")
    assert fake.sent == []


async def test_a_delayed_answer_times_out_in_ptb_though_the_message_arrived(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.delay_next("sendMessage", 0.6)

    with pytest.raises(TimedOut):
        await bot.send_message(RESIDENT, "Xe rác 18:00", read_timeout=0.2)

    assert [sent.text for sent in fake.messages_to(RESIDENT)] == ["Xe rác 18:00"]


@quiet_retry_after
async def test_a_per_chat_limit_refuses_a_second_message_within_a_second(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.limit(per_chat_per_second=1)

    await bot.send_message(RESIDENT, "một")
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(RESIDENT, "hai")
    await bot.send_message(NEIGHBOUR, "một")

    assert retry_after_of(raised.value) == 1
    assert fake.too_many_requests == 1
    assert [sent.chat_id for sent in fake.sent] == [RESIDENT, NEIGHBOUR]


@quiet_retry_after
async def test_an_overall_limit_counts_every_chat(fake: FakeTelegram, bot: Bot) -> None:
    fake.limit(per_second=2)

    await bot.send_message(RESIDENT, "một")
    await bot.send_message(NEIGHBOUR, "một")
    with pytest.raises(RetryAfter):
        await bot.send_message(NEIGHBOUR + 1, "một")

    assert fake.too_many_requests == 1


async def test_commands_for_a_chat_and_a_language_are_recorded(
    fake: FakeTelegram, bot: Bot
) -> None:
    scope = BotCommandScopeChat(RESIDENT)
    commands = [BotCommand("start", "Bắt đầu"), BotCommand("inbox", "Hộp thư phản ánh")]

    await bot.set_my_commands(commands, scope=scope, language_code="vi")
    await bot.set_my_commands([BotCommand("help", "Help")])

    key = (json.dumps({"type": "chat", "chat_id": RESIDENT}, sort_keys=True), "vi")
    assert fake.commands[key] == [
        {"command": "start", "description": "Bắt đầu"},
        {"command": "inbox", "description": "Hộp thư phản ánh"},
    ]
    assert fake.commands[("default", "")] == [{"command": "help", "description": "Help"}]
    assert await bot.get_my_commands(scope=scope, language_code="vi") == tuple(commands)
    await bot.delete_my_commands(scope=scope, language_code="vi")
    assert fake.commands_for({"type": "chat", "chat_id": RESIDENT}, "vi") == []


async def test_a_command_with_vietnamese_letters_is_refused(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("đăngký", "Đăng ký")])


async def test_a_document_sent_as_bytes_is_recorded_with_its_name_and_size(
    fake: FakeTelegram, bot: Bot
) -> None:
    content = b"number,state\n1,new\n" + bytes(range(256))

    message = await bot.send_document(
        RESIDENT, document=content, filename="báo-cáo.csv", caption="Xuất dữ liệu"
    )

    [sent] = fake.messages_to(RESIDENT)
    upload = sent.params["document"]
    assert isinstance(upload, Upload)
    assert (upload.filename, upload.size, upload.content) == ("báo-cáo.csv", len(content), content)
    assert sent.text == "Xuất dữ liệu"
    assert message.document is not None and message.document.file_name == "báo-cáo.csv"
    file = await bot.get_file(message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == content


async def test_a_residents_photo_can_be_downloaded_unless_over_twenty_megabytes(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.send_photo(RESIDENT, "photo-drain", caption="Cống nghẹt", file_size=1234)

    [update] = await bot.get_updates()
    assert update.message is not None and update.message.caption == "Cống nghẹt"
    file = await bot.get_file(update.message.photo[-1].file_id)

    assert file.file_size == 1234
    assert len(await file.download_as_bytearray()) == 1234
    fake.send_photo(RESIDENT, "huge", file_size=21 * 1024 * 1024)
    with pytest.raises(BadRequest, match="File is too big"):
        await bot.get_file("huge")


async def test_a_press_is_answered_once_and_edits_its_message(
    fake: FakeTelegram, bot: Bot
) -> None:
    sent = await bot.send_message(RESIDENT, "Xác nhận?", reply_markup=KEYBOARD)
    fake.press(RESIDENT, "yes")
    [update] = await bot.get_updates()
    assert update.callback_query is not None

    await update.callback_query.answer("Đã ghi nhận")
    with pytest.raises(BadRequest, match="Query is too old"):
        await update.callback_query.answer()
    edited = await bot.edit_message_text("Đã xác nhận", RESIDENT, sent.message_id)
    assert isinstance(edited, Message)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Đã xác nhận", RESIDENT, sent.message_id)

    assert fake.answered_callbacks[0]["text"] == "Đã ghi nhận"
    assert edited.text == "Đã xác nhận" and edited.reply_markup is None
    assert fake.message(RESIDENT, sent.message_id)["text"] == "Đã xác nhận"


async def test_photos_locations_and_chat_actions_are_recorded(
    fake: FakeTelegram, bot: Bot
) -> None:
    await bot.send_chat_action(RESIDENT, ChatAction.UPLOAD_PHOTO)
    photo = await bot.send_photo(
        RESIDENT, photo=b"\xff\xd8\xff", caption="Đèn đường hỏng", reply_markup=KEYBOARD
    )
    await bot.send_location(RESIDENT, 10.0299, 105.7706)

    sent_photo, sent_location = fake.messages_to(RESIDENT)
    assert (sent_photo.method, sent_photo.text) == ("sendPhoto", "Đèn đường hỏng")
    assert sent_photo.reply_markup == KEYBOARD.to_dict()
    assert photo.caption == "Đèn đường hỏng" and photo.photo[-1].file_size == 3
    assert sent_location.params["latitude"] == pytest.approx(10.0299)
    assert fake.calls_of("sendChatAction")[0].params["action"] == "upload_photo"


async def test_html_with_an_unescaped_angle_bracket_is_refused(bot: Bot) -> None:
    await bot.send_message(RESIDENT, "<b>Hẻm 51</b> &lt;3", parse_mode="HTML")

    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(RESIDENT, "<b>Hẻm 51</b> <3", parse_mode="HTML")


async def test_a_webhook_is_recorded_and_stops_polling(fake: FakeTelegram, bot: Bot) -> None:
    await bot.set_webhook("https://bell.example/telegram", secret_token="s3cret")

    assert fake.webhook is not None and fake.webhook["secret_token"] == "s3cret"
    assert (await bot.get_webhook_info()).url == "https://bell.example/telegram"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()
    assert fake.webhook is None


async def test_an_update_can_be_posted_by_hand_as_json(fake: FakeTelegram) -> None:
    command = Update.de_json(fake.update_json(fake.send_text(RESIDENT, "/help")), None)
    contact = Update.de_json(fake.update_json(fake.send_contact(RESIDENT, "+84901234567")), None)

    assert command.message is not None and command.message.text == "/help"
    assert contact.message is not None and contact.message.contact is not None
    assert contact.message.contact.phone_number == "+84901234567"
    assert contact.message.contact.user_id == RESIDENT


async def test_plain_json_bodies_are_understood(fake: FakeTelegram) -> None:
    async with httpx.AsyncClient(base_url=f"{fake.base_url}{fake.token}") as client:
        answer = await client.post(
            "/sendmessage",
            json={"chat_id": RESIDENT, "text": "123", "reply_markup": KEYBOARD.to_json()},
        )

    assert answer.json()["ok"] is True
    [sent] = fake.sent
    assert (sent.method, sent.text, sent.reply_markup) == (
        "sendMessage",
        "123",
        KEYBOARD.to_dict(),
    )


async def test_waiting_for_messages_fails_with_what_was_sent(fake: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(RESIDENT, "một")

    with pytest.raises(AssertionError, match=r"got 1: \['một'\]"):
        await fake.wait_for_messages(RESIDENT, 2, timeout=0.1)
    assert len(await fake.wait_for_messages(RESIDENT, 1, timeout=0.1)) == 1
