"""What the bot answers, as plain values; each channel renders them its own way."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.model import Worded


@dataclass(frozen=True)
class Choice:
    label: str
    data: str  # at most 64 bytes, checked again when pressed: clients can forge it


@dataclass(frozen=True)
class Document:
    """A file sent along with a reply, such as an alley's calendar."""

    filename: str
    content: bytes = field(repr=False)


@dataclass(frozen=True)
class Picture(Document):
    """An image made by the bot, such as a chart, sent from its bytes."""


@dataclass(frozen=True)
class Reply:
    text: str
    choices: tuple[Choice, ...] = ()
    document: Document | None = None
    photo: str | None = None  # the platform's file id of a photo, or its URL
    location: tuple[float, float] | None = None  # latitude, longitude
    picture: Picture | None = None
    album: tuple[str, ...] = ()  # photos shown together (an album where the platform has one)

    def to_payload(self) -> dict[str, Any]:
        """The reply as JSON for the outbox."""
        payload: dict[str, Any] = {
            "text": self.text,
            "choices": [[c.label, c.data] for c in self.choices],
        }
        if self.photo is not None:
            payload["photo"] = self.photo
        if self.album:
            payload["album"] = list(self.album)
        if self.location is not None:
            payload["location"] = list(self.location)
        if self.document is not None:
            payload["document"] = _file(self.document)
        if self.picture is not None:
            payload["picture"] = _file(self.picture)
        return payload

    def worded(self) -> Worded:
        """The reply for the core: its payload, and its choices as the options it offers."""
        return Worded(self.to_payload(), tuple((c.label, c.data) for c in self.choices))

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Reply:
        choices = tuple(
            Choice(str(label), str(data)) for label, data in payload.get("choices", [])
        )
        document = None
        if isinstance(found := payload.get("document"), Mapping):
            document = Document(*_unpacked(found))
        picture = None
        if isinstance(found := payload.get("picture"), Mapping):
            picture = Picture(*_unpacked(found))
        photo = payload.get("photo")
        location = payload.get("location")
        return cls(
            str(payload.get("text", "")),
            choices,
            document,
            str(photo) if photo is not None else None,
            (float(location[0]), float(location[1])) if location else None,
            picture,
            tuple(str(ref) for ref in payload.get("album", ())),
        )


def _file(document: Document) -> dict[str, str]:
    return {
        "filename": document.filename,
        "content": base64.b64encode(document.content).decode("ascii"),
    }


def _unpacked(found: Mapping[str, Any]) -> tuple[str, bytes]:
    return str(found.get("filename", "file")), base64.b64decode(str(found.get("content", "")))
