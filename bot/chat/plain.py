"""Plain text both ways: numbers people type or press, and replies for channels without
buttons (numbered options, long texts in parts)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.chat.replies import Choice

MAX_DIGITS = 9  # a report number or a page fits; nothing longer is one of ours


def parse_number(text: str) -> int | None:
    """The whole number typed or pressed, in ASCII digits (not "²", not 20 digits), or None."""
    text = text.strip().removeprefix("#")
    if text.isascii() and text.isdecimal() and len(text) <= MAX_DIGITS:
        return int(text)
    return None


def is_number(text: str) -> bool:
    return parse_number(text) is not None


def numbered(choices: Sequence[Choice]) -> list[str]:
    """One line per option, "1. label": the person answers with the number."""
    return [f"{number}. {choice.label}" for number, choice in enumerate(choices, 1)]


def split_text(text: str, limit: int) -> list[str]:
    """Cut a long text into parts of at most `limit` characters, at a paragraph, line or
    word boundary where there is one in the second half of the part."""
    parts = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = -1
        for boundary in ("\n\n", "\n", " "):
            found = window.rfind(boundary)
            if found >= limit // 2:
                cut = found
                break
        if cut < 0:
            parts.append(window)
            rest = rest[limit:]
        else:
            parts.append(rest[:cut])
            rest = rest[cut:].lstrip("\n ")
    parts.append(rest)
    return [p for p in parts if p] or [""]
