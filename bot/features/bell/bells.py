"""Which bells a resident hears for an alley: minutes before the truck, the evening before, or
both (where the ward rings an evening bell)."""

from __future__ import annotations

from bot.chat.context import Context
from bot.chat.render import hhmm
from bot.chat.replies import Choice
from bot.features.general.handlers import out_of_date
from core import subscriptions
from core.errors import NoEveningBell, SubscriptionNotFound
from core.model import Bells, Subscription

# Button prefix: `bells:<subscription>:<before|evening|both>`.
SET_BELLS = "bells"


def bells_choices(ctx: Context, subscription: Subscription) -> list[Choice]:
    """The choice of bells, offered only where the ward rings an evening bell."""
    _ = ctx._
    evening_at = subscription.alley.ward.evening_at
    if evening_at is None:
        return []
    labels = {
        Bells.BEFORE: _("Only minutes before"),
        Bells.EVENING: _("Only the evening before ({time})").format(time=hhmm(evening_at)),
        Bells.BOTH: _("Both: evening before and minutes before"),
    }
    return [
        Choice(label, f"{SET_BELLS}:{subscription.id}:{bells.value}")
        for bells, label in labels.items()
        if bells is not subscription.bells
    ]


def bells_line(ctx: Context, subscription: Subscription) -> str:
    """How the resident hears this alley's bell, as /mine says it."""
    _ = ctx._
    evening_at = subscription.alley.ward.evening_at
    lead = subscription.lead_minutes
    if evening_at is None or subscription.bells is Bells.BEFORE:
        return _("I ring {lead} minutes before the truck comes.").format(lead=lead)
    if subscription.bells is Bells.EVENING:
        return _("I ring the evening before, at {time}.").format(time=hhmm(evening_at))
    return _("I ring the evening before, at {time}, and {lead} minutes before the truck.").format(
        time=hhmm(evening_at), lead=lead
    )


async def set_bells(ctx: Context, args: list[str]) -> None:
    """Save which bells the resident hears for one subscription."""
    _ = ctx._
    if len(args) != 2 or not args[0].isdigit() or args[1] not in set(Bells):
        await out_of_date(ctx, args)
        return
    try:
        subscription = await subscriptions.choose_bells(
            ctx.uow, ctx.resident.id, int(args[0]), Bells(args[1])
        )
    except (SubscriptionNotFound, NoEveningBell):
        await out_of_date(ctx, args)
        return
    ctx.say(
        _("Done for {alley}: {bells}").format(
            alley=subscription.alley.name, bells=bells_line(ctx, subscription)
        )
    )
