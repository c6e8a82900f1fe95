"""The terminal chat: a person types, the bot answers as on a chat platform."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
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
    """Read lines until end of input or Ctrl-C; answer each as the bot would on a chat
    platform. A line being answered when Ctrl-C comes is answered first."""
    interactive = stdin.isatty()
    with _interrupted() as leaving:
        if greeting:
            print(greeting, file=stdout, flush=True)
        await send_due()  # whatever was left for this person last time
        lines = _lines(stdin)
        while True:
            if interactive:
                print("> ", end="", file=stdout, flush=True)
            line = await _first(lines.get(), leaving.wait())
            if not line:  # end of input, or Ctrl-C
                if interactive:
                    print(file=stdout, flush=True)  # the shell's prompt on a line of its own
                break
            if line.strip():
                try:
                    await inbox.handle(Incoming.from_text(sender, clean_text(line)))
                except NotStored:
                    print("(the database cannot be reached; please try again)", file=sys.stderr)
                    continue
                # Printed before the next prompt, rather than whenever the dispatcher wakes.
                await send_due()


def _lines(stdin: TextIO) -> asyncio.Queue[str]:
    """The lines typed, "" at the end. Read by a thread of its own that does not hold up the
    process when the person leaves with Ctrl-C while it waits for a line."""
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str] = asyncio.Queue()

    def read() -> None:
        while True:
            try:
                line = stdin.readline()
            except (OSError, ValueError):  # the terminal went away, or stdin was closed
                line = ""
            with contextlib.suppress(RuntimeError):  # the chat is over and its loop closed
                loop.call_soon_threadsafe(lines.put_nowait, line)
            if not line:
                return

    threading.Thread(target=read, name="terminal-input", daemon=True).start()
    return lines


@contextlib.contextmanager
def _interrupted() -> Iterator[asyncio.Event]:
    """An event set by Ctrl-C (SIGINT) while the chat lasts, instead of an interruption."""
    loop = asyncio.get_running_loop()
    leaving = asyncio.Event()
    loop.add_signal_handler(signal.SIGINT, leaving.set)
    try:
        yield leaving
    finally:
        loop.remove_signal_handler(signal.SIGINT)


async def _first(line: Awaitable[str], leaving: Awaitable[object]) -> str:
    """The next line, or "" once the person left."""
    reading = asyncio.ensure_future(line)
    waiting = asyncio.ensure_future(leaving)
    done, _ = await asyncio.wait({reading, waiting}, return_when=asyncio.FIRST_COMPLETED)
    if waiting in done:
        reading.cancel()
        return ""
    waiting.cancel()
    return reading.result()
