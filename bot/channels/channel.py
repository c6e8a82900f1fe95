"""What the service needs of a chat platform, whichever it is."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from starlette.routing import Route

from core.ports import Messenger


class ChannelError(Exception):
    """The channel cannot start; the message says which setting to change."""


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

    def routes(self, path: str) -> list[Route]:
        """The web routes the platform posts updates to, when it uses a webhook."""
        ...

    async def register_webhook(self) -> None:
        """Tell the platform where to post; call it once the web server listens."""
        ...

    async def poll(self) -> None:
        """Fetch updates until cancelled (only without a webhook)."""
        ...
