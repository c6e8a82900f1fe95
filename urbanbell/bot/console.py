"""The console channel: a person chats in the terminal and answers options by number."""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from urbanbell.bot.conversation import Conversation
from urbanbell.bot.events import Incoming, Sender
from urbanbell.bot.replies import Reply

CHANNEL = "console"


def render(reply: Reply) -> str:
    lines = [reply.text]
    lines.extend(f"  {number}. {choice.label}" for number, choice in enumerate(reply.choices, 1))
    return "\n".join(lines)


async def chat(
    conversation: Conversation,
    sender: Sender,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    greeting: str | None = None,
) -> None:
    """Read lines until end of input; answer each as the bot would on a chat platform."""
    interactive = stdin.isatty()
    if greeting:
        print(greeting, file=stdout, flush=True)
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            break
        if not line.strip():
            continue
        for reply in await conversation.handle(Incoming.from_text(sender, line)):
            print(render(reply), file=stdout)
            print(file=stdout, flush=True)
