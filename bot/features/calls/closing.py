"""Closing a call with its results: who came, the hours each gave, what was achieved."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bot.chat.context import Context
from bot.chat.events import Incoming
from bot.chat.plain import is_number
from bot.chat.replies import Choice
from bot.features.calls import from_report
from bot.features.calls.organisers import at, call_wording, name, roster_on_button
from bot.features.calls.wording import MEASURE_QUESTIONS, amount, results_lines, when
from bot.features.general.handlers import out_of_date
from core import organising, volunteers
from core.errors import CallNotFound, CallNotOver, InvalidCall
from core.mobilisation import MEASURES_OF, Attendance, CallState, Measure, Roster, VolunteerCall
from core.reports import MAY_TRIAGE

CLOSE = "closecall"
ASK_ATTENDANCE = "clend"
TOGGLE_CAME = "clc"
CAME_DONE = "clcd"
CALLS_LENGTH = "clh"
SKIP_MEASURE = "clm"
CLOSE_IT = "clok"


@dataclass
class Closing:
    """A call's results as the organiser gives them: who came, their hours, what was done."""

    call: int
    came: list[int] = field(default_factory=list)  # resident ids
    hours: float = 0.0
    measures: list[Measure] = field(default_factory=list)  # still to ask, in order
    results: dict[Measure, float] = field(default_factory=dict)


async def ask_attendance(ctx: Context, args: list[str]) -> None:
    """Begin closing a call: who came."""
    _ = ctx._
    roster = await roster_on_button(ctx, args)
    if roster is None:
        return
    call = roster.call
    if call.state is not CallState.OPEN:
        await out_of_date(ctx, args)
        return
    if ctx.now < call.starts_at:
        ctx.say(
            _("Its results can be recorded once it has started ({when}).").format(
                when=when(call, ctx.language)
            )
        )
        return
    joined = [s.volunteer.resident_id for s in roster.joined]
    data = Closing(call=call.id, came=[i for i in joined if i is not None])
    ctx.begin(CLOSE, "came", data)
    if not roster.joined:
        await _hours_given(ctx, data, call, 0.0)
        return
    await _ask_came(ctx, data, roster)


async def toggle_came(ctx: Context, args: list[str]) -> None:
    """Mark a volunteer as come, or not."""
    roster = await _closing(ctx, "came")
    if roster is None or len(args) != 1 or not is_number(args[0]):
        await out_of_date(ctx, args)
        return
    resident = int(args[0])
    if resident not in {s.volunteer.resident_id for s in roster.joined}:
        await out_of_date(ctx, args)
        return
    data = ctx.data(Closing)
    if resident in data.came:
        data.came = [c for c in data.came if c != resident]
    else:
        data.came = [*data.came, resident]
    ctx.keep(data)
    await _ask_came(ctx, data, roster)


async def attendance_done(ctx: Context, args: list[str]) -> None:
    """Who came is settled: ask for the hours."""
    _ = ctx._
    roster = await _closing(ctx, "came")
    if roster is None:
        await out_of_date(ctx, args)
        return
    ctx.keep(ctx.data(Closing), step="hours")
    length = amount(round(roster.call.hours, 1))
    ctx.say(
        _("How many hours did each volunteer give? Write a number, or:"),
        [
            Choice(
                _("{hours} h, the call's length").format(hours=length), f"{CALLS_LENGTH}:{length}"
            )
        ],
    )


async def hours_typed(ctx: Context, event: Incoming) -> None:
    """The hours each volunteer gave."""
    await _hours(ctx, event.text)


async def hours_choice(ctx: Context, args: list[str]) -> None:
    """The call's length, as the hours each volunteer gave."""
    if not at(ctx, CLOSE, "hours") or len(args) != 1:
        await out_of_date(ctx, args)
        return
    await _hours(ctx, args[0])


async def measure_typed(ctx: Context, event: Incoming) -> None:
    """How much of one thing the call achieved."""
    _ = ctx._
    value = _number(event.text)
    if value is None:
        choices = [Choice(_("Skip"), SKIP_MEASURE)]
        how = ctx.pressing(choices, choices[0].label)
        ctx.say(_("Please write a number (0 or more), or {how}.").format(how=how), choices)
        return
    await _measured(ctx, value)


async def skip_measure(ctx: Context, args: list[str]) -> None:
    """Nothing of this kind to count."""
    if not at(ctx, CLOSE, "measure"):
        await out_of_date(ctx, args)
        return
    await _measured(ctx, None)


async def close_confirmed(ctx: Context, args: list[str]) -> None:
    """Close the call with the results gathered, and thank those who came."""
    _ = ctx._
    if not at(ctx, CLOSE, "confirm"):
        await out_of_date(ctx, args)
        return
    data = ctx.data(Closing)
    came = frozenset(data.came)
    try:
        call = await organising.close_call(
            ctx.uow,
            await ctx.officers(),
            data.call,
            data.results,
            Attendance(came, data.hours),
            ctx.now,
            call_wording(ctx),
        )
    except (CallNotFound, CallNotOver, InvalidCall):
        ctx.end()
        await out_of_date(ctx, args)
        return
    ctx.end()
    choices = []
    triages = any(o.ward.id == call.ward.id and o.role in MAY_TRIAGE for o in await ctx.officers())
    if call.report_id is not None and triages:
        choices.append(
            Choice(
                _("Mark report #{number} resolved").format(number=call.report_id),
                f"{from_report.RESOLVE_REPORT}:{call.id}",
            )
        )
    ctx.say(
        ctx.ngettext(
            "Closed: {title}. A thank-you is on its way to the {count} volunteer who came.",
            "Closed: {title}. Thank-yous are on their way to the {count} volunteers who came.",
            len(came),
        ).format(title=call.title, count=len(came)),
        choices,
    )


async def _closing(ctx: Context, step: str) -> Roster | None:
    """The roster of the call being closed, while at the step; None otherwise."""
    if not at(ctx, CLOSE, step):
        return None
    try:
        return await organising.roster(ctx.uow, await ctx.officers(), ctx.data(Closing).call)
    except CallNotFound:
        return None


async def _ask_came(ctx: Context, data: Closing, roster: Roster) -> None:
    _ = ctx._
    came = set(data.came)
    choices = [
        Choice(
            ("✅ " if s.volunteer.resident_id in came else "▫️ ") + name(ctx, s.volunteer.name),
            f"{TOGGLE_CAME}:{s.volunteer.resident_id}",
        )
        for s in roster.joined
    ]
    choices.append(Choice(_("Done"), CAME_DONE))
    if ctx.buttons:
        ask = _("Who came to {title}? Tap a name to change it (✅ came).")
    else:
        ask = _("Who came to {title}? Type a name's number to change it (✅ came).")
    ctx.say(ask.format(title=roster.call.title), choices)


async def _hours(ctx: Context, text: str) -> None:
    _ = ctx._
    hours = _number(text)
    if hours is None or hours > organising.MAX_HOURS:
        ctx.say(_("Please write the hours as a number from 0 to 24."))
        return
    data = ctx.data(Closing)
    call = await _call(ctx, data)
    if call is not None:
        await _hours_given(ctx, data, call, hours)


async def _hours_given(ctx: Context, data: Closing, call: VolunteerCall, hours: float) -> None:
    data.hours, data.results, data.measures = hours, {}, list(MEASURES_OF[call.kind])
    await _ask_measure(ctx, data, call)


async def _measured(ctx: Context, value: float | None) -> None:
    data = ctx.data(Closing)
    if value is not None and data.measures:
        data.results[data.measures[0]] = value
    data.measures = data.measures[1:]
    call = await _call(ctx, data)
    if call is not None:
        await _ask_measure(ctx, data, call)


async def _call(ctx: Context, data: Closing) -> VolunteerCall | None:
    """The call being closed, for an organiser of its ward; None (answered) otherwise."""
    try:
        return await volunteers.call_to_manage(ctx.uow, await ctx.officers(), data.call)
    except CallNotFound:
        ctx.end()
        await out_of_date(ctx, [])
        return None


async def _ask_measure(ctx: Context, data: Closing, call: VolunteerCall) -> None:
    """Ask for the next result to count; with none left, ask to confirm."""
    _ = ctx._
    if data.measures:
        ctx.keep(data, step="measure")
        ctx.say(_(MEASURE_QUESTIONS[data.measures[0]]), [Choice(_("Skip"), SKIP_MEASURE)])
        return
    ctx.keep(data, step="confirm")
    lines = [
        _("Close {title}: {came} came, {hours} h each.").format(
            title=call.title, came=len(data.came), hours=amount(data.hours)
        )
    ]
    lines += ["• " + line for line in results_lines(_, data.results)]
    ctx.say("\n".join(lines), [Choice(_("Close it"), CLOSE_IT), Choice(_("Cancel"), "cancel")])


def _number(text: str) -> float | None:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None
