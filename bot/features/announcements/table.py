"""Announcements' commands, buttons and steps: officers announce, residents mute."""

from bot.chat.i18n import N_
from bot.chat.table import Button, Command, Feature, Step
from bot.features.announcements import handlers
from core.mobilisation import MAY_ANNOUNCE

FEATURE = Feature(
    commands=(
        Command(
            "mute",
            handlers.mute,
            N_("switch the ward's announcements off or on"),
            alias="tatthongbao",
        ),
        Command(
            "announce",
            handlers.announce,
            N_("a message to the ward's residents"),
            alias="thongbao",
            roles=MAY_ANNOUNCE,
        ),
    ),
    buttons=(
        Button("mute", handlers.set_muted),
        Button("anw", handlers.pick_ward),
        Button("ana", handlers.pick_alleys),
        Button("ansend", handlers.send),
    ),
    steps=(Step(handlers.ANNOUNCE, "text", handlers.text_typed),),
)
