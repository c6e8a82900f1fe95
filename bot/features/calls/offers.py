"""Organisers' /offers: residents' offers of help in their wards, and inviting the residents
behind them to a call."""

from __future__ import annotations

from bot.chat.context import Context
from bot.chat.events import Incoming
from bot.chat.plain import clipped, is_number
from bot.chat.replies import Choice
from bot.features.calls.organisers import (
    call_wording,
    name,
    organised_ward,
    organised_wards,
    roster_on_button,
)
from bot.features.calls.wording import OFFER_NAMES
from bot.features.general.handlers import out_of_date
from core import offers
from core.errors import AlreadySignedUp, CallNotFound, OfferNotFound, SignupsClosed
from core.mobilisation import OfferKind
from core.model import Ward

OFFERS_IN_WARD = "ofw"
LIST_OFFERS = "ofk"
CALL_FOR_OFFER = "ofinv"
OFFERS_FOR_CALL = "cloff"
INVITE = "clinv"
ALL_KINDS = "all"


async def find_offers(ctx: Context, event: Incoming) -> None:
    """Search residents' offers of help: by ward, then by kind."""
    _ = ctx._
    wards = await organised_wards(ctx)
    if len(wards) == 1:
        await _ask_offer_kind(ctx, wards[0])
        return
    ctx.say(
        _("Offers in which ward?"), [Choice(w.name, f"{OFFERS_IN_WARD}:{w.id}") for w in wards]
    )


async def offers_in_ward(ctx: Context, args: list[str]) -> None:
    """The ward picked: ask which kind of offer."""
    ward = await organised_ward(ctx, args[0] if len(args) == 1 else "")
    if ward is None:
        await out_of_date(ctx, args)
        return
    await _ask_offer_kind(ctx, ward)


async def list_offers(ctx: Context, args: list[str]) -> None:
    """The ward's offers of one kind (or all), each with a button to invite its resident."""
    _ = ctx._
    ward = await organised_ward(ctx, args[0] if len(args) == 2 else "")
    kinds = {*OfferKind, ALL_KINDS}
    if ward is None or args[1] not in kinds:
        await out_of_date(ctx, args)
        return
    kind = None if args[1] == ALL_KINDS else OfferKind(args[1])
    found = await offers.find_offers(ctx.uow, await ctx.officers(), ward.id, kind)
    if not found:
        ctx.say(_("No offers of that kind in {ward} yet.").format(ward=ward.name))
        return
    lines = [_("Offers of help in {ward}:").format(ward=ward.name)]
    choices = []
    for offer in found:
        line = f"• {name(ctx, offer.resident.name)} ({_(OFFER_NAMES[offer.kind])}): "
        line += offer.description
        if offer.available:
            line += " — " + _("free: {when}").format(when=offer.available)
        lines.append(line)
        label = _("Invite {name}").format(name=name(ctx, offer.resident.name))
        choices.append(Choice(clipped(label), f"{CALL_FOR_OFFER}:{offer.id}"))
    ctx.say("\n".join(lines), choices)


async def offers_for_call(ctx: Context, args: list[str]) -> None:
    """The offers of a call's ward, each with a button to invite its resident to the call."""
    _ = ctx._
    roster = await roster_on_button(ctx, args)
    if roster is None:
        return
    call = roster.call
    found = await offers.find_offers(ctx.uow, await ctx.officers(), call.ward.id, None)
    if not found:
        ctx.say(_("No one in {ward} has offered help yet.").format(ward=call.ward.name))
        return
    lines = [_("Who to invite to {title}?").format(title=call.title)]
    choices = []
    for offer in found:
        lines.append(
            f"• {name(ctx, offer.resident.name)} ({_(OFFER_NAMES[offer.kind])}): "
            f"{offer.description}"
        )
        label = _("Invite {name}").format(name=name(ctx, offer.resident.name))
        choices.append(Choice(clipped(label), f"{INVITE}:{call.id}:{offer.id}"))
    ctx.say("\n".join(lines), choices)


async def pick_call_for_offer(ctx: Context, args: list[str]) -> None:
    """Ask which open call of the offer's ward to invite its resident to."""
    _ = ctx._
    if len(args) != 1 or not is_number(args[0]):
        await out_of_date(ctx, args)
        return
    try:
        offer, calls = await offers.calls_for_offer(
            ctx.uow, await ctx.officers(), int(args[0]), ctx.now
        )
    except OfferNotFound:
        await out_of_date(ctx, args)
        return
    if not calls:
        ctx.say(
            _("{ward} has no call taking sign-ups. Send /newcall to make one.").format(
                ward=offer.ward.name
            )
        )
        return
    ctx.say(
        _("Invite {name} to which call?").format(name=name(ctx, offer.resident.name)),
        [Choice(clipped(f"#{c.id} {c.title}"), f"{INVITE}:{c.id}:{offer.id}") for c in calls],
    )


async def invite(ctx: Context, args: list[str]) -> None:
    """Invite the resident behind an offer to a call."""
    _ = ctx._
    if len(args) != 2 or not all(is_number(a) for a in args):
        await out_of_date(ctx, args)
        return
    try:
        offer, call, first = await offers.invite_from_offer(
            ctx.uow, await ctx.officers(), int(args[1]), int(args[0]), ctx.now, call_wording(ctx)
        )
    except (OfferNotFound, CallNotFound):
        await out_of_date(ctx, args)
        return
    except SignupsClosed:
        ctx.say(_("That call takes no more sign-ups."))
        return
    except AlreadySignedUp as already:
        if already.waitlisted:
            text = _("{name} is already on the waiting list of {title}: no invitation is sent.")
        else:
            text = _("{name} has already signed up for {title}: no invitation is sent.")
        ctx.say(text.format(name=name(ctx, already.who), title=already.title))
        return
    invited = name(ctx, offer.resident.name)
    if first:
        ctx.say(_("{name} is invited to {title}.").format(name=invited, title=call.title))
    else:
        ctx.say(_("{name} was already invited to {title}.").format(name=invited, title=call.title))


async def _ask_offer_kind(ctx: Context, ward: Ward) -> None:
    _ = ctx._
    choices = [
        Choice(_(label), f"{LIST_OFFERS}:{ward.id}:{kind.value}")
        for kind, label in OFFER_NAMES.items()
    ]
    choices.append(Choice(_("All kinds"), f"{LIST_OFFERS}:{ward.id}:{ALL_KINDS}"))
    ctx.say(_("Which offers of help in {ward}?").format(ward=ward.name), choices)
