"""Picking who hears a call or an announcement: the whole ward, or some of its alleys."""

from __future__ import annotations

from collections.abc import Sequence

from bot.chat.context import Context
from bot.chat.plain import is_number
from bot.chat.replies import Choice
from core import announcements

WHOLE_WARD = "all"
DONE = "done"


async def audience_choices(
    ctx: Context, ward_id: int, chosen: Sequence[int], prefix: str
) -> list[Choice]:
    """The whole ward, each alley (ticked when chosen), and Done once some are chosen."""
    _ = ctx._
    choices = [Choice(_("The whole ward"), f"{prefix}:{WHOLE_WARD}")]
    for alley in await announcements.ward_alleys(ctx.uow, ward_id):
        mark = "✅ " if alley.id in chosen else "▫️ "
        choices.append(Choice(mark + alley.name, f"{prefix}:{alley.id}"))
    if chosen:
        label = ctx.ngettext("Done: this alley", "Done: these {count} alleys", len(chosen))
        choices.append(Choice(label.format(count=len(chosen)), f"{prefix}:{DONE}"))
    return choices


async def picked(ctx: Context, ward_id: int, chosen: list[int], arg: str) -> list[int] | None:
    """The alleys chosen after pressing `arg`: an alley toggles (it must be the ward's), the
    whole ward means all of them. None for a button that is not one of these."""
    alleys = [alley.id for alley in await announcements.ward_alleys(ctx.uow, ward_id)]
    if arg == WHOLE_WARD:
        return alleys
    if not is_number(arg) or int(arg) not in alleys:
        return None
    alley = int(arg)
    return [a for a in chosen if a != alley] if alley in chosen else [*chosen, alley]
