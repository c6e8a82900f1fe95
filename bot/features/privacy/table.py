"""A resident's rights: /privacy, /deleteme, and /settings."""

from bot.chat.i18n import N_
from bot.chat.table import Button, Command, Feature
from bot.features.privacy import handlers

FEATURE = Feature(
    commands=(
        Command(
            "settings",
            handlers.show_settings,
            N_("your language, reminder times and announcements"),
            alias="caidat",
        ),
        Command(
            "privacy",
            handlers.explain_privacy,
            N_("what the bot keeps about you, and why"),
            alias="baomat",
        ),
        Command(
            "deleteme",
            handlers.ask_to_erase,
            N_("erase what the bot keeps about you"),
            alias="xoadulieu",
        ),
    ),
    buttons=(
        Button(handlers.FORGET, handlers.erase),
        Button(handlers.LANGUAGE_MENU, handlers.language_menu),
    ),
)
