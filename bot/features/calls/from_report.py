"""From a report to a call: an organiser calls volunteers to a report's place, and once the
call is closed with results an officer marks the report resolved."""

from __future__ import annotations

from bot.chat.context import Context
from bot.chat.plain import is_number
from bot.features.calls import newcall
from bot.features.general.handlers import out_of_date
from core import organising
from core.errors import CallNotFound, MoveNotAllowed, NotAllowed, ReportNotFound
from core.mobilisation import CallKind, VolunteerCall

# The button under a report that starts a clean-up call there: "newcall:report:<number>".
CALL_FOR_REPORT = "newcall"
FROM_REPORT = "report"
RESOLVE_REPORT = "callresolve"


async def call_for_report(ctx: Context, args: list[str]) -> None:
    """Start /newcall as a clean-up at the report's place, linked to the report."""
    _ = ctx._
    if len(args) != 2 or args[0] != FROM_REPORT or not is_number(args[1]):
        await out_of_date(ctx, args)
        return
    try:
        report = await organising.report_to_call_for(ctx.uow, await ctx.officers(), int(args[1]))
    except ReportNotFound:
        await out_of_date(ctx, args)
        return
    except NotAllowed:
        ctx.say(_("Only organisers of the ward can call for its volunteers."))
        return
    place = report.alley.name if report.alley is not None else None
    ctx.say(
        _("A clean-up call for report #{number}; its place is taken from the report.").format(
            number=report.id
        )
    )
    await newcall.start_prefilled(
        ctx, report.ward.id, CallKind.CLEAN_UP, place, report.location, report.id
    )


async def resolve_report(ctx: Context, args: list[str]) -> None:
    """Mark resolved the report a closed call was made for."""
    _ = ctx._
    if len(args) != 1 or not is_number(args[0]):
        await out_of_date(ctx, args)
        return

    def note(call: VolunteerCall) -> str:
        return _("Done by volunteers: {title}").format(title=call.title)

    try:
        report = await organising.resolve_report(
            ctx.uow, await ctx.officers(), int(args[0]), note, ctx.now, ctx.triage
        )
    except (CallNotFound, ReportNotFound):
        await out_of_date(ctx, args)
        return
    except NotAllowed:
        ctx.say(_("Only the ward's officers can resolve its reports."))
        return
    except MoveNotAllowed:
        ctx.say(_("That report is not open any more; nothing was changed."))
        return
    ctx.say(_("Report #{number} is resolved; its reporter is told.").format(number=report.id))
