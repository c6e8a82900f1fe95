"""Delivering outbox messages in the terminal, options numbered."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, TextIO

from bot.chat.plain import numbered
from bot.chat.replies import Reply
from core.model import Delivery, Outcome

CHANNEL = "console"


def render(reply: Reply) -> str:
    lines = [reply.text]
    for photo in (*reply.album, reply.photo):
        if photo is not None:
            lines.append(f"  [photo: {photo}]")
    if reply.location is not None:
        lines.append(f"  [location: {reply.location[0]:.5f}, {reply.location[1]:.5f}]")
    for attached in (reply.picture, reply.document):
        if attached is not None:
            lines.append(f"  [{attached.filename}, {len(attached.content)} bytes]")
    lines.extend(f"  {line}" for line in numbered(reply.choices))
    return "\n".join(lines)


class ConsoleMessenger:
    """Delivers by printing to the terminal."""

    channel = CHANNEL

    def __init__(self, stdout: TextIO = sys.stdout) -> None:
        self.stdout = stdout

    async def deliver(self, chat_id: str, payload: Mapping[str, Any]) -> Delivery:
        print(render(Reply.from_payload(payload)), file=self.stdout)
        print(file=self.stdout, flush=True)
        return Delivery(Outcome.SENT)
