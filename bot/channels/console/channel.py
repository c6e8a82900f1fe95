"""The console as a channel: its messenger prints; the terminal chat feeds its inbox."""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType
from typing import TextIO

from starlette.routing import Route

from bot.channels.channel import PeriodicJob
from bot.channels.console.messenger import CHANNEL, FILES, ConsoleMessenger


class ConsoleChannel:
    name = CHANNEL
    webhook: tuple[str, str] | None = None
    label = "the terminal"

    def __init__(self, stdout: TextIO = sys.stdout, files: Path = FILES) -> None:
        self.messenger = ConsoleMessenger(stdout, files)

    async def __aenter__(self) -> ConsoleChannel:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def is_group(self, chat_id: str) -> bool:
        return False

    def jobs(self) -> list[PeriodicJob]:
        return []

    def routes(self, path: str) -> list[Route]:
        return []

    async def register_webhook(self) -> None:
        return None

    async def poll(self) -> None:
        """Nothing to fetch: `terminal.chat` reads the person's lines."""
        return None

    async def reach(self) -> None:
        """The terminal is always there."""
        return None
