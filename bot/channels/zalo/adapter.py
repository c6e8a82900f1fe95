"""Between Zalo's updates and the bot's plain events and replies."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.channels.cleaning import clean_name, clean_text
from bot.chat.events import Incoming, Kind, Photo, Sender
from bot.chat.plain import numbered, split_text
from bot.chat.replies import Reply

CHANNEL = "zalo"
TEXT_LIMIT = 2000
KEY_LIMIT = 64  # the inbox's column
MAPS = "https://maps.google.com/?q={latitude:.6f},{longitude:.6f}"


@dataclass(frozen=True)
class Outgoing:
    """A reply as Zalo can carry it: text in parts, then a photo by its URL."""

    parts: list[str]
    photo: str | None
    album: list[str]  # Zalo has no albums: photos one by one


def unwrap(body: Mapping[str, Any]) -> Mapping[str, Any]:
    """The update itself, whether it came bare or wrapped in `result` (as some deliveries do)."""
    inner = body.get("result")
    return inner if isinstance(inner, Mapping) else body


def to_incoming(update: Mapping[str, Any]) -> Incoming | None:
    """The plain event of an update, or None when it is not a person writing to the bot."""
    message = update.get("message")
    if not isinstance(message, Mapping):
        return None
    author = message.get("from")
    chat = message.get("chat")
    if not isinstance(author, Mapping) or not isinstance(chat, Mapping) or not author.get("id"):
        return None
    name = author.get("display_name") or author.get("name")
    # Zalo tells no language: the resident's choice, else the ward's default, decides.
    sender = Sender(CHANNEL, str(author["id"]), clean_name(str(name)) if name else None)
    common: dict[str, Any] = {"chat_id": str(chat.get("id") or author["id"])}
    if message_id := message.get("message_id"):
        common["key"] = _key(str(message_id))
    match update.get("event_name"):
        case "message.text.received" if isinstance(text := message.get("text"), str):
            return Incoming.from_text(sender, clean_text(text), **common)
        case "message.image.received" if message.get("photo_url") or message.get("photo"):
            url = str(message.get("photo_url") or message.get("photo"))
            photo = Photo(url, None, clean_text(str(message.get("caption") or "")))
            return Incoming(sender, Kind.PHOTO, photo=photo, **common)
    # A sticker, or anything Zalo itself calls unsupported: answered politely.
    return Incoming(sender, Kind.OTHER, **common)


def render(payload: Mapping[str, Any]) -> Outgoing:
    """The reply in parts of at most 2,000 characters, its options numbered after the text.

    Zalo has no buttons, no locations and no files: the options become lines to answer with a
    digit and a location a map link. A file cannot be sent and is left out; a photo goes by
    its URL only (another platform's file id means nothing to Zalo).
    """
    reply = Reply.from_payload(payload)
    blocks = [reply.text] if reply.text else []
    if reply.location is not None:
        latitude, longitude = reply.location
        blocks.append(MAPS.format(latitude=latitude, longitude=longitude))
    if reply.choices:
        blocks.append("\n".join(numbered(reply.choices)))
    photo = reply.photo if reply.photo and _is_url(reply.photo) else None
    album = [ref for ref in reply.album if _is_url(ref)]
    return Outgoing(split_text("\n\n".join(blocks), TEXT_LIMIT), photo, album)


def _is_url(ref: str) -> bool:
    return ref.startswith(("https://", "http://"))


def _key(message_id: str) -> str:
    if len(message_id) <= KEY_LIMIT:
        return message_id
    return hashlib.sha256(message_id.encode()).hexdigest()
