"""Delivering outbox messages on Telegram, each platform error mapped to an outcome."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

import httpx
from telegram import (
    Bot,
    InlineKeyboardMarkup,
    InputFile,
    InputMediaDocument,
    InputMediaPhoto,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.channels.parts import send_parts
from bot.channels.telegram.adapter import CHANNEL, IMAGE_FILE, render
from bot.chat.replies import Document, Picture
from core.model import Delivery, Outcome

# Failures that happen once the request was sent: waiting for or reading the answer.
AFTER_SENDING = (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError)
ALBUM_LIMIT = 10  # items of one sendMediaGroup


class TelegramMessenger:
    channel = CHANNEL

    def __init__(self, bot: Bot, paid: bool = False) -> None:
        self.bot = bot
        # Paid broadcast lifts the overall limit to 1000 a second, at 0.1 Star a message.
        self.paid = paid

    async def deliver(self, chat_id: str, payload: Mapping[str, Any]) -> Delivery:
        try:
            reply, parts, keyboard = render(payload)
        except ValueError as error:
            return Delivery(Outcome.FAILED, str(error))
        chat = int(chat_id)
        # The text first, then what goes with it; the buttons hang under the last message.
        attachments = [
            a
            for a in (reply.photo, reply.picture, reply.location, reply.document)
            if a is not None
        ]
        steps: list[Callable[[], Awaitable[object]]] = []
        for number, part in enumerate(parts, 1):
            last = number == len(parts) and not attachments
            markup = keyboard if last else None
            steps.append(functools.partial(self._text, chat, part, markup))
        # An album carries no buttons: it goes between the text and what may carry them.
        for album in _albums(reply.album):
            steps.append(functools.partial(self._album, chat, album))
        for number, attachment in enumerate(attachments, 1):
            markup = keyboard if number == len(attachments) else None
            steps.append(functools.partial(self._attach, chat, attachment, markup))
        return await send_parts(payload, steps, TelegramError, outcome_of)

    async def _text(self, chat: int, text: str, markup: InlineKeyboardMarkup | None) -> None:
        await self.bot.send_message(
            chat, text, reply_markup=markup, allow_paid_broadcast=self.paid
        )

    async def _album(self, chat: int, refs: tuple[str, ...]) -> None:
        if len(refs) == 1:
            await self._attach(chat, refs[0], None)
            return
        media: list[InputMediaPhoto] | list[InputMediaDocument]
        if refs[0].startswith(IMAGE_FILE):
            media = [InputMediaDocument(ref.removeprefix(IMAGE_FILE)) for ref in refs]
        else:
            media = [InputMediaPhoto(ref) for ref in refs]
        await self.bot.send_media_group(chat, media, allow_paid_broadcast=self.paid)

    async def _attach(
        self,
        chat: int,
        attachment: str | tuple[float, float] | Picture | Document,
        markup: InlineKeyboardMarkup | None,
    ) -> None:
        match attachment:
            case str() if attachment.startswith(IMAGE_FILE):
                await self.bot.send_document(
                    chat,
                    attachment.removeprefix(IMAGE_FILE),
                    reply_markup=markup,
                    allow_paid_broadcast=self.paid,
                )
            case str():
                await self.bot.send_photo(
                    chat, attachment, reply_markup=markup, allow_paid_broadcast=self.paid
                )
            case (latitude, longitude):
                await self.bot.send_location(
                    chat, latitude, longitude, reply_markup=markup, allow_paid_broadcast=self.paid
                )
            case Picture():
                upload = InputFile(attachment.content, filename=attachment.filename)
                await self.bot.send_photo(
                    chat, upload, reply_markup=markup, allow_paid_broadcast=self.paid
                )
            case Document():
                upload = InputFile(attachment.content, filename=attachment.filename)
                await self.bot.send_document(
                    chat, upload, reply_markup=markup, allow_paid_broadcast=self.paid
                )


def _albums(refs: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Photos in albums Telegram takes: photos apart from pictures sent as files (an album
    holds one kind), at most 10 to an album."""
    albums: list[tuple[str, ...]] = []
    for as_files in (False, True):
        kind = tuple(ref for ref in refs if ref.startswith(IMAGE_FILE) is as_files)
        albums.extend(kind[i : i + ALBUM_LIMIT] for i in range(0, len(kind), ALBUM_LIMIT))
    return albums


def outcome_of(error: TelegramError) -> Delivery:
    """What a Telegram error means for the message: wait, stop, retry, or give up."""
    reason = f"{type(error).__name__}: {error.message}"
    match error:
        case RetryAfter():
            wait = error.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            return Delivery(Outcome.RETRY_AFTER, reason, seconds)
        case Forbidden():
            return Delivery(Outcome.BLOCKED, reason)
        case BadRequest() if "chat not found" in error.message.lower():
            return Delivery(Outcome.BLOCKED, reason)
        case TimedOut() | NetworkError():
            # Only a failure before the request reached Telegram is safe to repeat; after
            # that, the message may have arrived.
            may_have_arrived = isinstance(error.__cause__, AFTER_SENDING)
            return Delivery(Outcome.UNCERTAIN if may_have_arrived else Outcome.RETRY, reason)
        case _:
            return Delivery(Outcome.FAILED, reason)
