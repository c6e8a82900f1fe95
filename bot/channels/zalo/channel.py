"""The Zalo channel as the service sees it: a messenger, a way in, and nothing of HTTP."""

from __future__ import annotations

from types import TracebackType

import httpx
from starlette.routing import Route

from bot.channels.channel import ChannelError, ChannelUnreachable, PeriodicJob
from bot.channels.inbox import Inbox
from bot.channels.zalo.adapter import CHANNEL
from bot.channels.zalo.client import ZaloClient, ZaloError
from bot.channels.zalo.messenger import ZaloMessenger
from bot.channels.zalo.polling import REFUSED, poll
from bot.channels.zalo.webhook import webhook_route


class ZaloChannel:
    name = CHANNEL

    def __init__(
        self,
        token: str,
        api_url: str,
        inbox: Inbox,
        webhook: tuple[str, str] | None = None,  # (public URL, secret)
    ) -> None:
        self.client = ZaloClient(token, api_url)
        self.api_url = api_url
        self.messenger = ZaloMessenger(self.client)
        self.inbox = inbox
        self.webhook = webhook
        self._name = ""

    @property
    def label(self) -> str:
        return f"Zalo as {self._name}"

    async def __aenter__(self) -> ZaloChannel:
        try:
            me = await self.client.get_me()
        except ZaloError as error:
            await self.client.close()
            if error.code in REFUSED:
                raise ChannelError(
                    "setting URBANBELL_ZALO_TOKEN: Zalo refused this token"
                ) from None
            raise ChannelError(f"Zalo's getMe failed: {error}") from None
        except httpx.HTTPError as error:
            await self.client.close()
            raise ChannelUnreachable(
                f"cannot reach the Zalo Bot API at {self.api_url} ({error!r})"
            ) from None
        self._name = str(me.get("account_name") or me.get("display_name") or me.get("id") or "?")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.client.close()

    def is_group(self, chat_id: str) -> bool:
        return False  # Zalo's ids do not tell; groups have no limits of their own here

    def jobs(self) -> list[PeriodicJob]:
        return []

    def routes(self, path: str) -> list[Route]:
        if self.webhook is None:
            return []
        return [webhook_route(path, self.inbox, self.webhook[1])]

    async def register_webhook(self) -> None:
        assert self.webhook is not None
        url, secret = self.webhook
        try:
            await self.client.set_webhook(url, secret)
        except ZaloError as error:
            raise ChannelError(
                f"setting URBANBELL_ZALO_WEBHOOK_URL: Zalo refused the webhook ({error})"
            ) from None

    async def poll(self) -> None:
        await poll(self.client, self.inbox)

    async def reach(self) -> None:
        """Ask Zalo who the bot is (`getMe`)."""
        await self.client.get_me()
