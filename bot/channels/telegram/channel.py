"""The Telegram channel as the service sees it: a messenger, a way in, and nothing of PTB."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from types import TracebackType

from starlette.routing import Route
from telegram.error import BadRequest, InvalidToken, NetworkError

from bot.channels.channel import ChannelError, ChannelUnreachable, PeriodicJob
from bot.channels.inbox import Inbox
from bot.channels.telegram.adapter import CHANNEL
from bot.channels.telegram.menus import Menus
from bot.channels.telegram.messenger import TelegramMessenger
from bot.channels.telegram.polling import ALLOWED_UPDATES, poll
from bot.channels.telegram.updates import build_bot
from bot.channels.telegram.webhook import webhook_route
from bot.chat.i18n import Catalogues
from bot.chat.table import Feature
from core.ports import UnitOfWorkFactory

# Officers come and go with `urbanbell seed`, run by another process: look every few minutes
# (it costs one query; Telegram is asked only when something changed).
OFFICER_MENUS_EVERY = timedelta(minutes=5)


class TelegramChannel:
    name = CHANNEL

    def __init__(
        self,
        token: str,
        api_url: str,
        inbox: Inbox,
        features: Sequence[Feature],
        catalogues: Catalogues,
        default_language: str,
        uow_factory: UnitOfWorkFactory,
        webhook: tuple[str, str] | None = None,  # (public URL, secret)
        paid: bool = False,  # send as paid broadcast, beyond 30 messages a second
    ) -> None:
        self.bot = build_bot(token, api_url)
        self.api_url = api_url
        self.messenger = TelegramMessenger(self.bot, paid)
        self.inbox = inbox
        self.uow_factory = uow_factory
        self.webhook = webhook
        self.menus = Menus(self.bot, features, catalogues, default_language)

    @property
    def label(self) -> str:
        return f"Telegram as @{self.bot.username}"

    async def __aenter__(self) -> TelegramChannel:
        try:
            await self.bot.initialize()
            await self.menus.set_for_everyone()
        except InvalidToken:
            raise ChannelError(
                "setting URBANBELL_TELEGRAM_TOKEN: Telegram refused this token"
            ) from None
        except BadRequest as error:
            raise ChannelError(f"Telegram refused to start the bot: {error.message}") from None
        except NetworkError as error:  # no network, a timeout, or Telegram's 5xx
            raise ChannelUnreachable(
                f"cannot reach the Telegram Bot API at {self.api_url} ({error.message})"
            ) from None
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.bot.shutdown()

    def is_group(self, chat_id: str) -> bool:
        return chat_id.startswith("-")  # Telegram gives groups negative ids

    def jobs(self) -> list[PeriodicJob]:
        return [PeriodicJob("officer-menus", OFFICER_MENUS_EVERY, self.refresh_officer_menus)]

    def routes(self, path: str) -> list[Route]:
        """The web routes Telegram posts updates to, when it uses a webhook."""
        if self.webhook is None:
            return []
        return [webhook_route(path, self.bot, self.inbox, self.webhook[1])]

    async def register_webhook(self) -> None:
        """Tell Telegram where to post; call it once the web server listens."""
        assert self.webhook is not None
        url, secret = self.webhook
        await self.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)

    async def refresh_officer_menus(self) -> None:
        """Show each officer their own commands; run at start-up and when officers may change."""
        async with self.uow_factory() as uow:
            roles = await uow.officers.roles_on(CHANNEL)
        await self.menus.refresh_officers(
            {int(user): held for user, held in roles.items() if user.lstrip("-").isdigit()}
        )

    async def poll(self) -> None:
        """Fetch updates until cancelled (only without a webhook)."""
        await poll(self.bot, self.inbox)

    async def reach(self) -> None:
        """Ask Telegram who the bot is (`getMe`)."""
        await self.bot.get_me()
