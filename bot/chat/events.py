"""What a resident did, as plain values, whichever platform they did it on."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Kind(enum.StrEnum):
    COMMAND = "command"
    TEXT = "text"
    CHOICE = "choice"
    LOCATION = "location"
    PHOTO = "photo"
    CONTACT = "contact"
    OTHER = "other"  # a sticker, a voice note, ...: something the bot cannot read


@dataclass(frozen=True)
class Photo:
    ref: str  # the platform's file id, or a URL
    size: int | None = None  # bytes, when the platform says
    caption: str = ""


@dataclass(frozen=True)
class Sender:
    channel: str  # "telegram", "zalo", "console"
    id: str  # the platform's id of the person, as a string
    display_name: str | None = None
    language: str | None = None  # the platform's language code, e.g. "en-US"


@dataclass(frozen=True)
class Incoming:
    sender: Sender
    kind: Kind
    command: str = ""  # lower-case, without the slash
    args: str = ""
    text: str = ""
    choice: str = ""  # the data of the choice pressed
    location: tuple[float, float] | None = None
    photo: Photo | None = None
    phone: str = ""
    chat_id: str = ""  # where to answer; the sender's own chat when empty
    key: str | None = None  # the platform's id of the update: one delivered twice is ignored

    @property
    def reply_to(self) -> str:
        return self.chat_id or self.sender.id

    @classmethod
    def from_text(
        cls, sender: Sender, text: str, chat_id: str = "", key: str | None = None
    ) -> Incoming:
        """A typed line: `/cmd args` is a command (a `@botname` suffix is dropped), else text."""
        stripped = text.strip()
        if stripped.startswith("/") and len(stripped) > 1:
            head, _, args = stripped[1:].partition(" ")
            command = head.split("@", 1)[0].lower()
            return cls(
                sender, Kind.COMMAND, command=command, args=args.strip(), chat_id=chat_id, key=key
            )
        return cls(sender, Kind.TEXT, text=stripped, chat_id=chat_id, key=key)
