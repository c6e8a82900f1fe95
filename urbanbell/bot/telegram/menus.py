"""The command menu Telegram shows beside the text field, in each language."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand
from telegram.error import TelegramError

from urbanbell.bot.i18n import N_, Catalogues

log = logging.getLogger(__name__)

RESIDENT_COMMANDS = (
    ("start", N_("begin, or follow an alley by its code")),
    ("subscribe", N_("find your alley and hear its bell")),
    ("mine", N_("the alleys you follow")),
    ("schedule", N_("collections in the coming week")),
    ("unsubscribe", N_("stop following an alley")),
    ("language", N_("Tiếng Việt or English")),
    ("help", N_("what the bot can do")),
    ("cancel", N_("stop what we are doing")),
)


async def set_menus(bot: Bot, catalogues: Catalogues, default_language: str) -> None:
    """Set the menu in every language; a failure is logged, the bot runs without menus."""
    try:
        for language in catalogues.languages:
            _ = catalogues.get(language).gettext
            commands = [BotCommand(name, _(about)) for name, about in RESIDENT_COMMANDS]
            # The menu without a language code is the one for everybody else.
            code = None if language == default_language else language
            await bot.set_my_commands(commands, language_code=code)
    except TelegramError as error:
        log.warning("could not set the command menus: %s", error)
