"""Residents volunteer: /volunteer lists open calls near them; they join, say they cannot,
give up a place, get the event for their calendar, and offer what they can give."""

from __future__ import annotations

from dataclasses import dataclass

from bot.chat.context import Context
from bot.chat.events import Incoming
from bot.chat.plain import LABEL, clipped, is_number
from bot.chat.replies import Choice
from bot.features.calls.wording import (
    OFFER_NAMES,
    CallWording,
    call_card,
    call_document,
    join_choices,
    leave_choice,
    when,
)
from bot.features.general.handlers import out_of_date
from core import limits, offers, volunteers
from core.errors import (
    CallNotFound,
    InvalidCall,
    NotSignedUp,
    OfferNotFound,
    SignupsClosed,
)
from core.mobilisation import MAX_TEXT, OfferKind, SignupStatus

OFFER = "offer"
ANY_TIME = "any"
SHOW_CALL = "vc"
CALENDAR = "vics"
OFFER_HELP = "vo"
OFFER_KIND = "vok"
OFFER_WARD = "vow"
FREE_ANY_TIME = "voa"
MY_OFFERS = "vom"
WITHDRAW_OFFER = "vox"


@dataclass
class OfferDraft:
    """An offer of help being made: its kind, then its ward and what exactly."""

    kind: OfferKind | None = None
    ward: int | None = None
    description: str = ""


async def volunteer(ctx: Context, event: Incoming) -> None:
    """List the calls taking sign-ups near the resident, and ways to offer help."""
    _ = ctx._
    found = await volunteers.open_calls_near(ctx.uow, ctx.resident.id, ctx.now)
    choices = []
    for call in found.calls:
        at = f" · {when(call, ctx.language)}"
        choices.append(Choice(clipped(call.title, LABEL - len(at)) + at, f"{SHOW_CALL}:{call.id}"))
    choices.append(Choice(_("Offer help"), OFFER_HELP))
    if await offers.offers_of(ctx.uow, ctx.resident.id):
        choices.append(Choice(_("My offers"), MY_OFFERS))
    if not found.near:
        # Nothing is near someone who follows no alley: say so rather than guess.
        text = _(
            "You follow no alley, so I cannot tell which calls are near you; send /subscribe "
            "to follow yours."
        )
        if found.calls:
            text += "\n" + _("Volunteer calls of every ward; pick one to see it and join:")
        else:
            text += "\n" + _("No volunteer call takes sign-ups now. You can offer help instead:")
    elif found.calls:
        text = _("Volunteer calls near you; pick one to see it and join:")
    else:
        text = _("No volunteer call near you takes sign-ups now. You can offer help instead:")
    ctx.say(text, choices)


async def show_call(ctx: Context, args: list[str]) -> None:
    """One call as residents see it, with the places left and the resident's own answer."""
    _ = ctx._
    if len(args) != 1 or not is_number(args[0]):
        await out_of_date(ctx, args)
        return
    try:
        call, left = await volunteers.call_for_resident(ctx.uow, int(args[0]))
    except CallNotFound:
        await out_of_date(ctx, args)
        return
    status = await volunteers.status_of(ctx.uow, ctx.resident.id, call.id)
    text = call_card(_, call, ctx.language, left)
    choices: list[Choice] = []
    if status is SignupStatus.JOINED:
        text += "\n\n" + _("You have a place.")
        choices = [Choice(_("Add to my calendar"), f"{CALENDAR}:{call.id}"), leave_choice(_, call)]
    elif status is SignupStatus.WAITLISTED:
        text += "\n\n" + _("You are on the waitlist.")
        choices = [leave_choice(_, call)]
    elif call.open_for_signups(ctx.now):
        choices = join_choices(_, call)
    else:
        text += "\n\n" + _("It takes no more sign-ups.")
    ctx.say(text, choices)


async def join_call(ctx: Context, args: list[str]) -> None:
    """Take a place in the call, or one on its waitlist."""
    _ = ctx._
    if len(args) != 1 or not is_number(args[0]):
        await out_of_date(ctx, args)
        return
    try:
        answer = await volunteers.join(
            ctx.uow, ctx.resident.id, int(args[0]), ctx.now, _wording(ctx)
        )
    except CallNotFound:
        await out_of_date(ctx, args)
        return
    except SignupsClosed:
        ctx.say(_("Sorry, that call takes no more sign-ups."))
        return
    call = answer.call
    if answer.status is SignupStatus.WAITLISTED:
        ctx.say(
            ctx.ngettext(
                "The {slots} place of {title} is taken; you are number {position} on the "
                "waitlist. I will tell you at once if a place opens for you.",
                "All {slots} places of {title} are taken; you are number {position} on the "
                "waitlist. I will tell you at once if a place opens for you.",
                call.slots,
            ).format(slots=call.slots, title=call.title, position=answer.position),
            [leave_choice(_, call)],
        )
        return
    first = (
        _("You already have a place in {title}.")
        if answer.already
        else _("Thank you! You have a place in {title}.")
    )
    ctx.say(
        "\n".join(
            [
                first.format(title=call.title),
                _("When: {when}").format(when=when(call, ctx.language)),
                _(
                    "I will remind you the day before and an hour before. The file below puts it "
                    "in your phone's calendar."
                ),
            ]
        ),
        [leave_choice(_, call)],
        document=call_document(_, call, ctx.language, ctx.now),
    )


async def decline_call(ctx: Context, args: list[str]) -> None:
    """Say the resident cannot come; a place they had goes to the waitlist."""
    _ = ctx._
    if len(args) != 1 or not is_number(args[0]):
        await out_of_date(ctx, args)
        return
    try:
        answer = await volunteers.decline(
            ctx.uow, ctx.resident.id, int(args[0]), ctx.now, _wording(ctx)
        )
    except (CallNotFound, SignupsClosed):
        await out_of_date(ctx, args)
        return
    if answer.status is SignupStatus.LEFT:
        ctx.say(
            _("Your place in {title} is given up. Thank you for saying so.").format(
                title=answer.call.title
            )
        )
    else:
        ctx.say(_("Thank you for answering. Maybe next time!"))


async def leave_call(ctx: Context, args: list[str]) -> None:
    """Give up a place, or a place on the waitlist."""
    _ = ctx._
    if len(args) != 1 or not is_number(args[0]):
        await out_of_date(ctx, args)
        return
    try:
        answer = await volunteers.leave(
            ctx.uow, ctx.resident.id, int(args[0]), ctx.now, _wording(ctx)
        )
    except (CallNotFound, NotSignedUp):
        await out_of_date(ctx, args)
        return
    except SignupsClosed:
        ctx.say(_("The call has started; there is no place left to give up."))
        return
    ctx.say(
        _("Your place in {title} is given up. Thank you for saying so.").format(
            title=answer.call.title
        )
    )


async def send_calendar(ctx: Context, args: list[str]) -> None:
    """The call as a file for the phone's calendar, for a volunteer with a place."""
    _ = ctx._
    if len(args) != 1 or not is_number(args[0]):
        await out_of_date(ctx, args)
        return
    try:
        call = await volunteers.calendar_call(ctx.uow, ctx.resident.id, int(args[0]))
    except CallNotFound:
        await out_of_date(ctx, args)
        return
    ctx.say(
        _("Open the file to add {title} to your phone's calendar.").format(title=call.title),
        document=call_document(_, call, ctx.language, ctx.now),
    )


async def ask_offer_kind(ctx: Context, args: list[str]) -> None:
    """Begin an offer of help: what kind."""
    _ = ctx._
    ctx.begin(OFFER, "kind", OfferDraft())
    ctx.say(
        _("What can you give your ward?"),
        [Choice(_(name), f"{OFFER_KIND}:{kind.value}") for kind, name in OFFER_NAMES.items()],
    )


async def pick_offer_kind(ctx: Context, args: list[str]) -> None:
    """The kind picked: ask the ward, unless the alleys they follow say it."""
    _ = ctx._
    if not _at(ctx, "kind") or len(args) != 1 or args[0] not in set(OfferKind):
        await out_of_date(ctx, args)
        return
    data = ctx.data(OfferDraft)
    data.kind = OfferKind(args[0])
    wards, followed = await offers.wards_to_offer_in(ctx.uow, ctx.resident.id)
    if followed and len(wards) == 1:
        await _ask_description(ctx, data, wards[0].id)
        return
    ctx.keep(data, step="ward")
    ctx.say(_("For which ward?"), [Choice(w.name, f"{OFFER_WARD}:{w.id}") for w in wards])


async def pick_offer_ward(ctx: Context, args: list[str]) -> None:
    """The ward the offer is for."""
    if not _at(ctx, "ward") or len(args) != 1 or not is_number(args[0]):
        await out_of_date(ctx, args)
        return
    if not await offers.is_ward(ctx.uow, int(args[0])):
        await out_of_date(ctx, args)
        return
    await _ask_description(ctx, ctx.data(OfferDraft), int(args[0]))


async def description_typed(ctx: Context, event: Incoming) -> None:
    """What exactly the resident offers; then ask when they are free."""
    _ = ctx._
    text = event.text.strip()
    if not text or len(text) > MAX_TEXT:
        ctx.say(_("Please say in a few words what you can give."))
        return
    data = ctx.data(OfferDraft)
    data.description = text
    ctx.keep(data, step="available")
    ctx.say(
        _("When are you free (e.g. weekend mornings)?"),
        [Choice(_("Any time"), f"{FREE_ANY_TIME}:{ANY_TIME}")],
    )


async def available_typed(ctx: Context, event: Incoming) -> None:
    """When the resident is free: the offer is complete."""
    _ = ctx._
    text = event.text.strip()
    if not text or len(text) > limits.AVAILABLE:
        ctx.say(_("Please say in a few words when you are free."))
        return
    await _save_offer(ctx, text)


async def any_time(ctx: Context, args: list[str]) -> None:
    """The resident is free any time."""
    if not _at(ctx, "available"):
        await out_of_date(ctx, args)
        return
    await _save_offer(ctx, None)


async def my_offers(ctx: Context, args: list[str]) -> None:
    """The resident's offers, each with a button to take it back."""
    _ = ctx._
    mine = await offers.offers_of(ctx.uow, ctx.resident.id)
    if not mine:
        ctx.say(_("You have no offers of help. Send /volunteer to make one."))
        return
    lines = [_("Your offers of help:")]
    choices = []
    for offer in mine:
        lines.append(f"• {offer.ward.name}, {_(OFFER_NAMES[offer.kind])}: {offer.description}")
        label = _("Take back: {what}").format(what=offer.description)
        choices.append(Choice(clipped(label), f"{WITHDRAW_OFFER}:{offer.id}"))
    ctx.say("\n".join(lines), choices)


async def withdraw_offer(ctx: Context, args: list[str]) -> None:
    """Take back one of the resident's offers."""
    _ = ctx._
    if len(args) != 1 or not is_number(args[0]):
        await out_of_date(ctx, args)
        return
    try:
        await offers.withdraw_offer(ctx.uow, ctx.resident.id, int(args[0]))
    except OfferNotFound:
        await out_of_date(ctx, args)
        return
    ctx.say(_("Your offer is taken back; organisers no longer see it."))


async def _ask_description(ctx: Context, data: OfferDraft, ward_id: int) -> None:
    _ = ctx._
    data.ward = ward_id
    ctx.keep(data, step="description")
    ctx.say(_("What exactly can you give? (e.g. a cargo tricycle, 20 bags of cement, cooking)"))


async def _save_offer(ctx: Context, available: str | None) -> None:
    _ = ctx._
    data = ctx.data(OfferDraft)
    if data.ward is None or data.kind is None:
        ctx.end()
        await out_of_date(ctx, [])
        return
    try:
        offer = await offers.offer_help(
            ctx.uow, ctx.resident.id, data.ward, data.kind, data.description, available
        )
    except InvalidCall:
        ctx.end()
        await out_of_date(ctx, [])
        return
    ctx.end()
    ctx.say(
        _(
            "Thank you! The organisers of {ward} can now see your offer and may invite you to "
            "a call. Send /volunteer to see or take back your offers."
        ).format(ward=offer.ward.name)
    )


def _at(ctx: Context, step: str) -> bool:
    return ctx.dialogue is not None and (ctx.dialogue.name, ctx.dialogue.step) == (OFFER, step)


def _wording(ctx: Context) -> CallWording:
    return CallWording(ctx.catalogues, ctx.default_language, ctx.now)
