"""The terminal chat: a person types, the bot answers as on a chat platform."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO

from bot.channels.cleaning import clean_text
from bot.channels.inbox import Inbox
from bot.chat.conversation import NotStored
from bot.chat.events import Incoming, Sender


async def chat(
    inbox: Inbox,
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
                await inbox.handle(Incoming.from_text(sender, clean_text(line)))
            except NotStored:
                print("(the database cannot be reached; please try again)", file=sys.stderr)
                continue
            # Printed before the next prompt, rather than whenever the dispatcher wakes.
            await send_due()
