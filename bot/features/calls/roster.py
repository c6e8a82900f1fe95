"""An organiser's /calls: each call with who signed up, and a note to its volunteers."""

from __future__ import annotations

from dataclasses import dataclass

from bot.chat.context import Context
from bot.chat.events import Incoming
from bot.chat.plain import clipped, is_number
from bot.chat.replies import Choice
from bot.features.calls import closing, editing, offers
from bot.features.calls.organisers import call_wording, name, roster_on_button
from bot.features.calls.wording import call_card, results_lines, when
from bot.features.general.handlers import out_of_date
from core import organising
from core.errors import CallNotFound, CallNotOpen, TextTooLong
from core.mobilisation import CallState, SignupStatus

NOTE = "callnote"
SHOW_CALL = "cl"
WRITE_NOTE = "clmsg"
ASK_CANCEL = "clcxq"
CANCEL_IT = "clcx"


@dataclass
class Note:
    """A note to the volunteers of a call, being written."""

    call: int


async def list_calls(ctx: Context, event: Incoming) -> None:
    """List the calls of the organiser's wards, the latest first, with their sign-ups."""
    _ = ctx._
    found = await organising.calls_of(ctx.uow, await ctx.officers())
    if not found:
        ctx.say(_("There are no volunteer calls yet. Send /newcall to make one."))
        return
    lines = [_("Volunteer calls:")]
    choices = []
    for call, counts in found:
        state = {
            CallState.OPEN: _("open"),
            CallState.CLOSED: _("closed"),
            CallState.CANCELLED: _("cancelled"),
        }[call.state]
        lines.append(
            _(
                "#{number} {title} ({state}): {when}; {joined} of {slots} joined, "
                "{waiting} on the waitlist"
            ).format(
                number=call.id,
                title=call.title,
                state=state,
                when=when(call, ctx.language),
                joined=counts.get(SignupStatus.JOINED, 0),
                slots=call.slots,
                waiting=counts.get(SignupStatus.WAITLISTED, 0),
            )
        )
        choices.append(Choice(clipped(f"#{call.id} {call.title}"), f"{SHOW_CALL}:{call.id}"))
    ctx.say("\n".join(lines), choices)


async def show_call(ctx: Context, args: list[str]) -> None:
    """One call with the names of its volunteers and waitlist, and what can be done with it."""
    _ = ctx._
    roster = await roster_on_button(ctx, args)
    if roster is None:
        return
    call = roster.call
    lines = [call_card(_, call, ctx.language), ""]
    lines.append(
        _("Joined ({count} of {slots}):").format(count=len(roster.joined), slots=call.slots)
    )
    lines += [f"{n}. {name(ctx, s.volunteer.name)}" for n, s in enumerate(roster.joined, 1)]
    if roster.waitlisted:
        lines.append(_("Waitlist:"))
        lines += [
            f"{n}. {name(ctx, s.volunteer.name)}" for n, s in enumerate(roster.waitlisted, 1)
        ]
    lines.append(
        _("Cannot come: {declined}; gave up their place: {left}.").format(
            declined=roster.declined, left=roster.left
        )
    )
    choices = []
    if call.state is CallState.CLOSED:
        came = sum(1 for s in roster.joined if s.attended)
        lines.append(
            _("Closed: {came} of {joined} came.").format(came=came, joined=len(roster.joined))
        )
        lines += ["• " + line for line in results_lines(_, call.results)]
    elif call.state is CallState.CANCELLED:
        lines.append(_("Cancelled."))
    else:
        choices = [
            Choice(_("Write to the volunteers"), f"{WRITE_NOTE}:{call.id}"),
            Choice(_("Invite people who offered help"), f"{offers.OFFERS_FOR_CALL}:{call.id}"),
            Choice(_("Close with results"), f"{closing.ASK_ATTENDANCE}:{call.id}"),
            Choice(_("Change the call"), f"{editing.ASK_FIELD}:{call.id}"),
            Choice(_("Cancel the call"), f"{ASK_CANCEL}:{call.id}"),
        ]
    ctx.say("\n".join(lines), choices)


async def ask_cancel(ctx: Context, args: list[str]) -> None:
    """Before cancelling a call: who will be told."""
    _ = ctx._
    roster = await roster_on_button(ctx, args)
    if roster is None:
        return
    count = len(roster.joined) + len(roster.waitlisted)
    ctx.say(
        ctx.ngettext(
            "Cancel {title}? The {count} person with a place or on the waitlist is told.",
            "Cancel {title}? The {count} people with a place or on the waitlist are told.",
            count,
        ).format(title=roster.call.title, count=count),
        [Choice(_("Yes, cancel it"), f"{CANCEL_IT}:{roster.call.id}")],
    )


async def cancel_call(ctx: Context, args: list[str]) -> None:
    """Cancel the call and tell its volunteers."""
    _ = ctx._
    if len(args) != 1 or not is_number(args[0]):
        await out_of_date(ctx, args)
        return
    try:
        call, told = await organising.cancel_call(
            ctx.uow, await ctx.officers(), int(args[0]), ctx.now, call_wording(ctx)
        )
    except CallNotFound:
        await out_of_date(ctx, args)
        return
    except CallNotOpen:
        ctx.say(_("That call has started, is closed or is already cancelled: nothing changed."))
        return
    ctx.say(
        ctx.ngettext(
            "Call #{number} is cancelled; {count} person is told.",
            "Call #{number} is cancelled; {count} people are told.",
            told,
        ).format(number=call.id, count=told)
    )


async def ask_note(ctx: Context, args: list[str]) -> None:
    """Ask for the note to send to a call's volunteers."""
    roster = await roster_on_button(ctx, args)
    if roster is None:
        return
    count = len(roster.joined) + len(roster.waitlisted)
    ctx.begin(NOTE, "text", Note(call=roster.call.id))
    ctx.say(
        ctx.ngettext(
            "Write your message to the {count} volunteer of {title}; it goes as you write it.",
            "Write your message to the {count} volunteers of {title}; it goes as you write it.",
            count,
        ).format(count=count, title=roster.call.title)
    )


async def note_typed(ctx: Context, event: Incoming) -> None:
    """Send the note to everyone with a place or on the waitlist."""
    _ = ctx._
    note = ctx.data(Note)
    try:
        sent = await organising.message_volunteers(
            ctx.uow, await ctx.officers(), note.call, event.text, call_wording(ctx)
        )
    except TextTooLong as error:
        ctx.say(_("Please keep it to {limit} characters.").format(limit=error.limit))
        return
    except CallNotFound:
        ctx.end()
        await out_of_date(ctx, [])
        return
    ctx.end()
    ctx.say(
        ctx.ngettext("Sent to {count} volunteer.", "Sent to {count} volunteers.", sent).format(
            count=sent
        )
    )
