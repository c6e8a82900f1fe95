"""A resident's /mute: switch the ward's announcements off or on (never the bell)."""

from __future__ import annotations

from bot.chat.context import Context
from bot.chat.events import Incoming
from bot.chat.replies import Choice
from bot.features.general.handlers import out_of_date
from core import announcements

MUTE = "mute"  # "mute:on" mutes, "mute:off" hears them again; announcements carry "mute:on"
MUTE_ON = "on"
MUTE_OFF = "off"


async def mute(ctx: Context, event: Incoming) -> None:
    """Say whether announcements are on, with a button to switch."""
    _ = ctx._
    if await announcements.muted(ctx.uow, ctx.resident.id):
        text = _("Announcements from the ward are off. The bell rings as before.")
        choice = Choice(_("Turn announcements on"), f"{MUTE}:{MUTE_OFF}")
    else:
        text = _("Announcements from the ward are on. Muting them does not stop the bell.")
        choice = Choice(_("Mute announcements"), f"{MUTE}:{MUTE_ON}")
    ctx.say(text, [choice])


async def set_muted(ctx: Context, args: list[str]) -> None:
    """Mute announcements (`on`) or hear them again (`off`); the bell rings either way."""
    _ = ctx._
    if args not in ([MUTE_ON], [MUTE_OFF]):
        await out_of_date(ctx, args)
        return
    muted = args[0] == MUTE_ON
    await announcements.set_muted(ctx.uow, ctx.resident.id, muted)
    if muted:
        ctx.say(
            _("Announcements are muted. The bell still rings; send /mute to hear them again."),
            [Choice(_("Turn announcements on"), f"{MUTE}:{MUTE_OFF}")],
        )
    else:
        ctx.say(_("You will hear the ward's announcements again."))
