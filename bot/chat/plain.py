"""Plain text both ways: numbers people type or press, and replies for channels without
buttons (numbered options, long texts in parts)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bot.chat.replies import Choice
from core.search import fold

MAX_DIGITS = 9  # a report number or a page fits; nothing longer is one of ours
LABEL = 60  # an option's label: a button's width on a phone, a line on Zalo
ECHO = 60  # how much of someone's words an answer repeats
_UNSHOWN = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})  # controls, format (bidi), unassigned
# An option's number as people type it ("3", "3.", "3)", "#3", "số 3"), once folded.
_OPTION_NUMBER = re.compile(r"(?:so )?(\d{1,9})")
_SIGNED = re.compile(r"[-+\u2212]\s*\d")


def parse_number(text: str) -> int | None:
    """The whole number typed or pressed, in ASCII digits (not "²", not 20 digits), or None."""
    text = text.strip().removeprefix("#")
    if text.isascii() and text.isdecimal() and len(text) <= MAX_DIGITS:
        return int(text)
    return None


def is_number(text: str) -> bool:
    return parse_number(text) is not None


def picked(text: str, choices: Sequence[Choice]) -> Choice | None:
    """The option the typed text picks: by its number ("2", "2.", a full-width 2), by its
    label in any letter case, with or without accents ("english", "30 phut"), or by words of
    one label alone ("rác"); None when it picks none, or more than one."""
    typed = unicodedata.normalize("NFKC", text).strip()  # full-width digits become ASCII
    if not typed or not choices or _SIGNED.match(typed):
        return None
    folded = fold(typed)
    number = _OPTION_NUMBER.fullmatch(folded) if folded else None
    if number is not None and 1 <= int(number.group(1)) <= len(choices):
        return choices[int(number.group(1)) - 1]
    labels = [fold(choice.label).split() for choice in choices]
    words = folded.split()
    if not words:
        return None
    for matches in (
        lambda label: label == words,  # the whole label
        lambda label: set(words) <= set(label),  # words of it
        # A number with its unit in other words: "30 phút" where the label says "30 min".
        lambda label: words[0].isdecimal() and words[0] in label,
    ):
        found = [choice for choice, label in zip(choices, labels, strict=True) if matches(label)]
        if len(found) == 1:
            return found[0]
        if found:
            return None
    return None


def clipped(text: str, limit: int = LABEL) -> str:
    """The text cut to `limit` characters at a word, "…" marking the cut; never mid-word
    unless a single word is longer than the limit."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    cut = head.rfind(" ")
    return (head[:cut] if cut > 0 else head).rstrip(" ,.;:·-—") + "…"


def echoed(text: str, limit: int = ECHO) -> str:
    """What someone typed, fit to be repeated to them: no control or bidirectional-override
    characters (which could turn the rest of the answer around), and not too long."""
    shown = "".join(ch for ch in text if unicodedata.category(ch) not in _UNSHOWN)
    return clipped(shown, limit)


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
