"""The command menus Telegram shows beside the text field: residents', and officers' own."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence, Set

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.chat.i18n import Catalogues
from bot.chat.table import Feature, menu_entries
from core.model import Role

log = logging.getLogger(__name__)


class Menus:
    """Sets the menus, and keeps each officer's own menu in step with their roles.

    A failure is logged and tried again at the next refresh: the bot works without menus.
    """

    def __init__(
        self,
        bot: Bot,
        features: Sequence[Feature],
        catalogues: Catalogues,
        default_language: str,
    ) -> None:
        self.bot = bot
        self.features = tuple(features)
        self.catalogues = catalogues
        self.default_language = default_language
        self._officers: dict[int, frozenset[Role]] = {}  # what their menus show now

    async def set_for_everyone(self) -> None:
        try:
            for language, code in self._languages():
                await self.bot.set_my_commands(
                    self._commands(language, frozenset()), language_code=code
                )
        except TelegramError as error:
            log.warning("could not set the command menu: %s", error)

    async def refresh_officers(self, officers: Mapping[int, Set[Role]]) -> None:
        """Give each officer's chat (Telegram user id → roles) its menu; take back the old."""
        wanted = {chat: frozenset(roles) for chat, roles in officers.items()}
        try:
            for chat, roles in wanted.items():
                if self._officers.get(chat) == roles:
                    continue
                for language, code in self._languages():
                    await self.bot.set_my_commands(
                        self._commands(language, roles),
                        scope=BotCommandScopeChat(chat),
                        language_code=code,
                    )
                self._officers[chat] = roles
            for chat in set(self._officers) - set(wanted):
                for _, code in self._languages():
                    await self.bot.delete_my_commands(BotCommandScopeChat(chat), code)
                del self._officers[chat]
        except TelegramError as error:
            log.warning("could not set the officers' command menus: %s", error)

    def _languages(self) -> list[tuple[str, str | None]]:
        # The menu without a language code is the one for everybody else.
        return [
            (language, None if language == self.default_language else language)
            for language in self.catalogues.languages
        ]

    def _commands(self, language: str, roles: frozenset[Role]) -> list[BotCommand]:
        _ = self.catalogues.get(language).gettext
        return [BotCommand(name, about) for name, about in menu_entries(self.features, roles, _)]
