"""Announcements' commands, buttons and steps: officers announce, residents mute."""

from bot.chat.i18n import N_
from bot.chat.table import Button, Command, Feature, Step
from bot.features.announcements import announce, mute
from core.mobilisation import MAY_ANNOUNCE

FEATURE = Feature(
    commands=(
        Command(
            "mute",
            mute.mute,
            N_("switch the ward's announcements off or on"),
            alias="tatthongbao",
        ),
        Command(
            "announce",
            announce.announce,
            N_("a message to the ward's residents"),
            alias="thongbao",
            roles=MAY_ANNOUNCE,
        ),
    ),
    buttons=(
        Button(mute.MUTE, mute.set_muted),
        Button(announce.PICK_WARD, announce.pick_ward),
        Button(announce.PICK_ALLEYS, announce.pick_alleys),
        Button(announce.SEND, announce.send),
    ),
    steps=(
        Step(announce.ANNOUNCE, "alleys", announce.alleys_typed),
        Step(announce.ANNOUNCE, "text", announce.text_typed),
    ),
)
