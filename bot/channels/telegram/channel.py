"""The Telegram channel as the service sees it: a messenger, a way in, and nothing of PTB."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from starlette.routing import Route
from telegram.error import InvalidToken

from bot.channels.channel import ChannelError
from bot.channels.telegram.adapter import CHANNEL
from bot.channels.telegram.app import ChatQueue, build_application
from bot.channels.telegram.menus import Menus
from bot.channels.telegram.messenger import TelegramMessenger
from bot.channels.telegram.polling import ALLOWED_UPDATES, poll
from bot.channels.telegram.webhook import webhook_route
from bot.chat.conversation import Conversation
from bot.chat.i18n import Catalogues
from core.ports import UnitOfWorkFactory


class TelegramChannel:
    name = CHANNEL

    def __init__(
        self,
        token: str,
        api_url: str,
        conversation: Conversation,
        catalogues: Catalogues,
        default_language: str,
        queued: Callable[[], None],
        webhook: tuple[str, str] | None = None,  # (public URL, secret)
        paid: bool = False,  # send as paid broadcast, beyond 30 messages a second
    ) -> None:
        self.application = build_application(token, api_url, conversation, queued)
        self.messenger = TelegramMessenger(self.application.bot, paid)
        self.catalogues = catalogues
        self.default_language = default_language
        self.webhook = webhook
        self.chats = ChatQueue()
        self.menus = Menus(
            self.application.bot, conversation.router.features, catalogues, default_language
        )

    @property
    def label(self) -> str:
        return f"Telegram as @{self.application.bot.username}"

    async def __aenter__(self) -> TelegramChannel:
        try:
            await self.application.initialize()
        except InvalidToken:
            raise ChannelError(
                "setting URBANBELL_TELEGRAM_TOKEN: Telegram refused this token"
            ) from None
        await self.menus.set_for_everyone()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.application.shutdown()

    def routes(self, path: str) -> list[Route]:
        """The web routes Telegram posts updates to, when it uses a webhook."""
        if self.webhook is None:
            return []
        return [webhook_route(path, self.application, self.chats, self.webhook[1])]

    async def register_webhook(self) -> None:
        """Tell Telegram where to post; call it once the web server listens."""
        assert self.webhook is not None
        url, secret = self.webhook
        await self.application.bot.set_webhook(
            url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
        )

    async def refresh_officer_menus(self, uow_factory: UnitOfWorkFactory) -> None:
        """Show each officer their own commands; run at start-up and when officers may change."""
        async with uow_factory() as uow:
            roles = await uow.officers.roles_on(CHANNEL)
        await self.menus.refresh_officers(
            {int(user): held for user, held in roles.items() if user.lstrip("-").isdigit()}
        )

    async def poll(self) -> None:
        """Fetch updates until cancelled (only without a webhook)."""
        await poll(self.application, self.chats)
