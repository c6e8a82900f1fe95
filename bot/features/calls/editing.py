"""An organiser changes a call from /calls: its time, place, places or text, one at a time."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.chat.context import Context
from bot.chat.events import Incoming
from bot.chat.plain import is_number
from bot.chat.replies import Choice
from bot.features.calls.newcall import typed_hours
from bot.features.calls.organisers import call_wording, roster_on_button
from bot.features.general.handlers import out_of_date
from core.call_changes import CallEdit, edit_call
from core.errors import CallNotFound, CallNotOpen, InvalidCall

EDIT = "calledit"
ASK_FIELD = "cled"
PICK_FIELD = "cledf"
FIELDS = ("when", "place", "slots", "title")


@dataclass
class Editing:
    """Which call, and which of its fields, is being changed."""

    call: int
    field: str


async def ask_field(ctx: Context, args: list[str]) -> None:
    """What to change in the call."""
    _ = ctx._
    roster = await roster_on_button(ctx, args)
    if roster is None:
        return
    number = roster.call.id
    labels = (_("Time"), _("Place"), _("Places"), _("Text"))
    ctx.say(
        _("What should change in {title}?").format(title=roster.call.title),
        [
            Choice(label, f"{PICK_FIELD}:{number}:{f}")
            for label, f in zip(labels, FIELDS, strict=True)
        ],
    )


async def pick_field(ctx: Context, args: list[str]) -> None:
    """Ask for the new value of the field picked."""
    _ = ctx._
    if len(args) != 2 or not is_number(args[0]) or args[1] not in FIELDS:
        await out_of_date(ctx, args)
        return
    roster = await roster_on_button(ctx, args[:1])
    if roster is None:
        return
    ctx.begin(EDIT, "value", Editing(roster.call.id, args[1]))
    ctx.say(
        {
            "when": _("The new day and hours, so: 2026-12-05 07:00-10:00"),
            "place": _("Where volunteers meet now?"),
            "slots": _("How many volunteers are needed now?"),
            "title": _("The call's new text?"),
        }[args[1]]
    )


async def value_typed(ctx: Context, event: Incoming) -> None:
    """Change the call, and say how many were told."""
    _ = ctx._
    editing = ctx.data(Editing)
    change = await _change(ctx, editing, event.text.strip())
    if change is None:
        return
    try:
        call, told = await edit_call(
            ctx.uow, await ctx.officers(), editing.call, change, ctx.now, call_wording(ctx)
        )
    except CallNotFound:
        ctx.end()
        await out_of_date(ctx, [])
        return
    except CallNotOpen:
        ctx.end()
        ctx.say(_("That call has started, is closed or is cancelled: nothing changed."))
        return
    except InvalidCall:
        ctx.say(_("That cannot be: please check it and write it again."))
        return
    ctx.end()
    ctx.say(
        ctx.ngettext(
            "Call #{number} is changed; {count} person is told.",
            "Call #{number} is changed; {count} people are told.",
            told,
        ).format(number=call.id, count=told)
    )


async def _change(ctx: Context, editing: Editing, text: str) -> CallEdit | None:
    """The change the organiser typed; None (answered) when it cannot be read."""
    _ = ctx._
    match editing.field:
        case "when":
            roster = await roster_on_button(ctx, [str(editing.call)])
            if roster is None:
                return None
            hours = typed_hours(ctx, text, ZoneInfo(roster.call.ward.timezone))
            if hours is None:
                return None
            return CallEdit(starts_at=hours[0], ends_at=hours[1])
        case "slots":
            if not is_number(text):
                ctx.say(_("Please write a number."))
                return None
            return CallEdit(slots=int(text))
        case "place":
            return CallEdit(place=text)
        case _:
            return CallEdit(title=text)
