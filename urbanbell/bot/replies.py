"""What the bot answers, as plain values; each channel renders them its own way."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    label: str
    data: str  # at most 64 bytes, checked again when pressed: clients can forge it


@dataclass(frozen=True)
class Reply:
    text: str
    choices: tuple[Choice, ...] = ()
