"""The command menus Telegram shows beside the text field: residents', and officers' own."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Set

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from urbanbell.bot.i18n import N_, Catalogues
from urbanbell.core.mobilisation import MAY_ANNOUNCE, MAY_ORGANISE
from urbanbell.core.model import Role
from urbanbell.core.reports import MAY_TRIAGE
from urbanbell.core.schedule_changes import MAY_CHANGE_CALENDAR

log = logging.getLogger(__name__)

RESIDENT_COMMANDS = (
    ("start", N_("begin, or follow an alley by its code")),
    ("subscribe", N_("find your alley and hear its bell")),
    ("mine", N_("the alleys you follow")),
    ("schedule", N_("collections in the coming week")),
    ("calendar", N_("your alleys' collections for your phone's calendar")),
    ("unsubscribe", N_("stop following an alley")),
    ("report", N_("tell the ward what is wrong")),
    ("myreports", N_("your reports and their states")),
    ("indicators", N_("how the ward is doing, in figures")),
    ("volunteer", N_("volunteer calls near you; offer your help")),
    ("mute", N_("switch the ward's announcements off or on")),
    ("language", N_("Tiếng Việt or English")),
    ("help", N_("what the bot can do")),
    ("cancel", N_("stop what we are doing")),
)
OFFICERS_COMMANDS = (
    ("skip", N_("no collection in an alley on a day")),
    ("move", N_("move an alley's collection of a day")),
    ("linkgroup", N_("let an alley's bell ring in this group")),
    ("inbox", N_("open reports, the most pressing first")),
    ("show", N_("one report in full")),
    ("status", N_("move a report on")),
    ("reply", N_("write to a report's reporter")),
    ("note", N_("a note on a report for officers only")),
    ("stats", N_("the ward's figures and chart")),
    ("export", N_("the period's reports as CSV")),
)
ADMINISTERING = (("linkofficers", N_("receive the ward's new reports in this group")),)
ANNOUNCING = (("announce", N_("a message to the ward's residents")),)
ORGANISING = (
    ("newcall", N_("call for volunteers")),
    ("calls", N_("your volunteer calls and who signed up")),
    ("offers", N_("residents' offers of help")),
)
# Each role's commands, shown only in the chats of people who hold it.
ROLE_COMMANDS: Mapping[Role, tuple[tuple[str, str], ...]] = {
    role: (OFFICERS_COMMANDS if role in MAY_CHANGE_CALENDAR | MAY_TRIAGE else ())
    + (ANNOUNCING if role in MAY_ANNOUNCE else ())
    + (ORGANISING if role in MAY_ORGANISE else ())
    + (ADMINISTERING if role is Role.ADMIN else ())
    for role in Role
}


class Menus:
    """Sets the menus, and keeps each officer's own menu in step with their roles.

    A failure is logged and tried again at the next refresh: the bot works without menus.
    """

    def __init__(self, bot: Bot, catalogues: Catalogues, default_language: str) -> None:
        self.bot = bot
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
        listed = list(RESIDENT_COMMANDS)
        for role in sorted(roles):
            listed += [c for c in ROLE_COMMANDS.get(role, ()) if c not in listed]
        return [BotCommand(name, _(about)) for name, about in listed]
