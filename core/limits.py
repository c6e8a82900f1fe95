"""How much text the ward keeps from anyone: checked before anything is stored."""

from __future__ import annotations

from core.errors import TextTooLong

DESCRIPTION = 2000  # a report's description, an offer of help
SEARCH = 100  # words typed to find an alley
NOTE = 2000  # an officer's note, reply or reason; a reporter's "not fixed"
NAME = 200  # a display name: the column's length
AVAILABLE = 300  # when a volunteer is free, in their words: the column's length
PHOTO_REF = 500  # a platform's file id or a photo's URL: the column's length
LANGUAGE_CODE = 16  # a platform's language code: the column's length
PHOTOS = 10  # photos one report carries
NOTICE_EXCERPT = 500  # characters of a description an officer's notice carries


def bounded(text: str, limit: int) -> str:
    """The text, if it is within the limit; else refuse it, whole."""
    if len(text) > limit:
        raise TextTooLong(limit)
    return text
