"""The console channel: a person chats in the terminal and answers options by number."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TextIO

from bot.chat.conversation import Conversation, NotStored
from bot.chat.events import Incoming, Sender
from bot.chat.plain import numbered
from bot.chat.replies import Reply
from core.model import Delivery, Outcome

CHANNEL = "console"


def render(reply: Reply) -> str:
    lines = [reply.text]
    if reply.photo is not None:
        lines.append(f"  [photo: {reply.photo}]")
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


async def chat(
    conversation: Conversation,
    send_due: Callable[[], Awaitable[object]],
    sender: Sender,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    greeting: str | None = None,
) -> None:
    """Read lines until end of input; answer each as the bot would on a chat platform."""
    interactive = stdin.isatty()
    if greeting:
        print(greeting, file=stdout, flush=True)
    await send_due()  # whatever was left for this person last time
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            break
        if line.strip():
            try:
                await conversation.handle(Incoming.from_text(sender, line))
            except NotStored:
                print("(the database cannot be reached; please try again)", file=sys.stderr)
                continue
            await send_due()
