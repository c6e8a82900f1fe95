"""Between Telegram's updates and messages and the bot's plain events and replies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.channels.cleaning import clean_language, clean_name, clean_text
from bot.chat.events import Incoming, Kind, Photo, Sender
from bot.chat.plain import split_text
from bot.chat.replies import Reply

CHANNEL = "telegram"
TEXT_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64  # bytes
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})
# Marks a photo that came as a file: it is shown again as a file, as Telegram requires.
IMAGE_FILE = "file:"


def to_incoming(update: Update) -> Incoming | None:
    """The plain event of an update, or None for updates that are not a person talking to us."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None or user.is_bot:
        return None
    sender = Sender(
        CHANNEL, str(user.id), clean_name(user.full_name), clean_language(user.language_code)
    )
    common: dict[str, Any] = {"chat_id": str(chat.id), "key": str(update.update_id)}
    if update.callback_query is not None:
        return Incoming(
            sender, Kind.CHOICE, choice=clean_text(update.callback_query.data or ""), **common
        )
    message = update.message
    if message is None:
        return None
    if message.text is not None:
        return Incoming.from_text(sender, clean_text(message.text), **common)
    if message.location is not None:
        where = (message.location.latitude, message.location.longitude)
        return Incoming(sender, Kind.LOCATION, location=where, **common)
    if message.photo:
        biggest = max(message.photo, key=lambda p: p.width * p.height)
        photo = Photo(biggest.file_id, biggest.file_size, clean_text(message.caption or ""))
        return Incoming(sender, Kind.PHOTO, photo=photo, **common)
    document = message.document
    if document is not None and document.mime_type in IMAGE_TYPES:
        # A picture sent as a file keeps its full size, up to the 20 MB a bot may download.
        photo = Photo(
            IMAGE_FILE + document.file_id, document.file_size, clean_text(message.caption or "")
        )
        return Incoming(sender, Kind.PHOTO, photo=photo, **common)
    if message.contact is not None:
        return Incoming(
            sender, Kind.CONTACT, phone=clean_text(message.contact.phone_number), **common
        )
    return Incoming(sender, Kind.OTHER, **common)


def render(payload: Mapping[str, Any]) -> tuple[Reply, list[str], InlineKeyboardMarkup | None]:
    """The text of a reply in parts Telegram accepts, and its choices as a keyboard.

    Replies go out without a parse mode, so text a resident typed is shown exactly as typed
    and can never be read as markup.
    """
    reply = Reply.from_payload(payload)
    keyboard = None
    if reply.choices:
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton(c.label, callback_data=c.data)] for c in reply.choices]
        )
        for choice in reply.choices:
            if len(choice.data.encode()) > CALLBACK_DATA_LIMIT:
                raise ValueError(f"callback data over {CALLBACK_DATA_LIMIT} bytes: {choice.data}")
    return reply, split_text(reply.text, TEXT_LIMIT), keyboard
