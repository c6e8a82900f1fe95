"""Help, language and cancel; and the answers to whatever no feature expects."""

from bot.chat.i18n import N_
from bot.chat.router import Fallbacks
from bot.chat.table import Button, Command, Feature
from bot.features.bell import subscriptions
from bot.features.general import handlers

FEATURE = Feature(
    commands=(
        Command("language", handlers.ask_language, N_("Tiếng Việt or English"), alias="ngonngu"),
        Command("help", handlers.show_help, N_("what the bot can do"), alias="trogiup"),
        Command("cancel", handlers.cancel, N_("stop what we are doing"), alias="huy"),
    ),
    buttons=(
        Button(handlers.HELP, handlers.help_choice),
        Button(handlers.PICK_LANGUAGE, handlers.set_language),
        Button(handlers.CANCEL, handlers.cancel_choice),
    ),
)

FALLBACKS = Fallbacks(
    unknown_command=handlers.unknown_command,
    unknown_button=handlers.out_of_date,
    free_text=subscriptions.typed_outside_dialogue,
    not_a_choice=handlers.not_a_choice,
    unexpected=handlers.unexpected,
    not_allowed=handlers.not_allowed,
)
