"""What the organisers' dialogues share: the wards they organise in, a call's roster from a
button, and how residents are named to them."""

from __future__ import annotations

from bot.chat.context import Context
from bot.chat.plain import is_number
from bot.features.calls.wording import CallWording
from bot.features.general.handlers import out_of_date
from core import organising
from core.errors import CallNotFound
from core.mobilisation import MAY_ORGANISE, Roster
from core.model import Ward


async def organised_wards(ctx: Context) -> list[Ward]:
    """The wards the person organises in (a command's guard made sure there is one)."""
    wards: dict[int, Ward] = {}
    for officer in await ctx.officers():
        if officer.role in MAY_ORGANISE:
            wards[officer.ward.id] = officer.ward
    return sorted(wards.values(), key=lambda ward: ward.name)


async def organised_ward(ctx: Context, ward_id: str | int | None) -> Ward | None:
    """The ward, when the person organises in it."""
    return next((w for w in await organised_wards(ctx) if str(w.id) == str(ward_id)), None)


async def roster_on_button(ctx: Context, args: list[str]) -> Roster | None:
    """The call on the button, for an organiser of its ward; None (answered) otherwise."""
    if len(args) != 1 or not is_number(args[0]):
        await out_of_date(ctx, args)
        return None
    try:
        return await organising.roster(ctx.uow, await ctx.officers(), int(args[0]))
    except CallNotFound:
        await out_of_date(ctx, args)
        return None


def at(ctx: Context, dialogue: str, step: str) -> bool:
    """Whether the dialogue is open at the step (a button from elsewhere is out of date)."""
    return ctx.dialogue is not None and (ctx.dialogue.name, ctx.dialogue.step) == (dialogue, step)


def call_wording(ctx: Context) -> CallWording:
    return CallWording(ctx.catalogues, ctx.default_language, ctx.now)


def name(ctx: Context, name: str | None) -> str:
    return name or ctx._("a resident")
