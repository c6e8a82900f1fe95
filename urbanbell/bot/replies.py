"""What the bot answers, as plain values; each channel renders them its own way."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Choice:
    label: str
    data: str  # at most 64 bytes, checked again when pressed: clients can forge it


@dataclass(frozen=True)
class Reply:
    text: str
    choices: tuple[Choice, ...] = ()

    def to_payload(self) -> dict[str, Any]:
        """The reply as JSON for the outbox."""
        return {"text": self.text, "choices": [[c.label, c.data] for c in self.choices]}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Reply:
        choices = tuple(
            Choice(str(label), str(data)) for label, data in payload.get("choices", [])
        )
        return cls(str(payload.get("text", "")), choices)
