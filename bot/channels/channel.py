"""What the service needs of a chat platform, whichever it is."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from types import TracebackType
from typing import Protocol, Self

from starlette.routing import Route

from core.ports import Messenger


class ChannelError(Exception):
    """The channel cannot start; the message says which setting to change."""


class ChannelUnreachable(ChannelError):
    """The platform did not answer at start-up; it may be worth trying again."""


@dataclass(frozen=True)
class PeriodicJob:
    """Work a channel wants done every so often while it runs, first at start-up."""

    id: str
    every: timedelta
    run: Callable[[], Awaitable[None]]


class Channel(Protocol):
    name: str
    webhook: tuple[str, str] | None  # (public URL, secret) when the platform posts to us

    @property
    def messenger(self) -> Messenger: ...

    @property
    def label(self) -> str:
        """How the bot is known there, for the log: "Telegram as @urbanbell_bot"."""
        ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def is_group(self, chat_id: str) -> bool:
        """Whether the chat is a group (the platform's limits for groups apply)."""
        ...

    def jobs(self) -> list[PeriodicJob]:
        """The channel's periodic work, for the scheduler."""
        ...

    def routes(self, path: str) -> list[Route]:
        """The web routes the platform posts updates to, when it uses a webhook."""
        ...

    async def register_webhook(self) -> None:
        """Tell the platform where to post; call it once the web server listens."""
        ...

    async def poll(self) -> None:
        """Fetch updates until cancelled (only without a webhook)."""
        ...

    async def reach(self) -> None:
        """Ask the platform who the bot is; raises when it cannot be reached or refuses."""
        ...
