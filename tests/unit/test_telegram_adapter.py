"""Telegram updates as plain events: pictures sent as files count as photos, other files do not."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from bot.channels.telegram.adapter import IMAGE_FILE, to_incoming
from bot.chat.events import Kind


def _update(**message: Any) -> Update:
    data = {
        "update_id": 7,
        "message": {
            "message_id": 1,
            "date": 1_790_000_000,
            "chat": {"id": 42, "type": "private"},
            "from": {"id": 42, "is_bot": False, "first_name": "Ba"},
            **message,
        },
    }
    update = Update.de_json(data, None)
    assert update is not None
    return update


def test_a_picture_sent_as_a_file_is_a_photo_with_its_size() -> None:
    document = {"file_id": "F1", "file_unique_id": "u1", "mime_type": "image/png"}
    event = to_incoming(_update(document={**document, "file_size": 25_000_000}))
    assert event is not None and event.kind is Kind.PHOTO and event.photo is not None
    assert (event.photo.ref, event.photo.size) == (IMAGE_FILE + "F1", 25_000_000)


@pytest.mark.parametrize("mime", ["application/pdf", "image/heic", None])
def test_other_files_are_not_photos(mime: str | None) -> None:
    document = {"file_id": "F1", "file_unique_id": "u1", "mime_type": mime}
    event = to_incoming(_update(document=document))
    assert event is not None and event.kind is Kind.OTHER
