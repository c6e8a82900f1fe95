"""/schedule: the coming week of collections for the resident's alleys."""

from __future__ import annotations

import functools
from datetime import timedelta

from bot.chat.context import Context
from bot.chat.events import Incoming
from bot.chat.render import alley_name, collection_line, kinds_named
from bot.chat.replies import Document
from bot.features.bell.ics import alley_calendar, collections_ahead
from core.schedule import followed_schedules, week_ahead

DAYS = 7


async def show_schedule(ctx: Context, event: Incoming) -> None:
    """List the next week's collections of every alley the resident follows."""
    _ = ctx._
    weeks = await week_ahead(ctx.uow, ctx.resident.id, ctx.now, ctx.holidays, DAYS)
    if not weeks:
        ctx.say(_("You follow no alley yet. Send /subscribe to find yours."))
        return
    lines = [_("Collections in the next {days} days:").format(days=DAYS)]
    for week in weeks:
        lines.append("")
        lines.append(alley_name(week.alley))
        if not week.collections:
            lines.append("• " + _("no collection in these days"))
        lines.extend("• " + collection_line(ctx, c) for c in week.collections)
    ctx.say("\n".join(lines))


async def send_calendars(ctx: Context, event: Incoming) -> None:
    """Send each followed alley's coming collections as a file for the phone's calendar."""
    _ = ctx._
    followed = await followed_schedules(ctx.uow, ctx.resident.id)
    if not followed:
        ctx.say(_("You follow no alley yet. Send /subscribe to find yours."))
        return
    for subscription, schedule in followed:
        alley = schedule.alley
        content = alley_calendar(
            alley,
            collections_ahead(schedule, ctx.now, ctx.holidays),
            summary=_("Garbage collection: {alley}").format(alley=alley.name),
            calendar_name=_("Garbage collection calendar: {alley}").format(alley=alley.name),
            stamp=ctx.now,
            kinds=functools.partial(kinds_named, _),
            # The phone reminds as the bell does: the resident's own lead time before the truck.
            alarm=timedelta(minutes=subscription.lead_minutes),
        )
        ctx.say(
            _("{alley}: open the file to add its collections to your phone's calendar.").format(
                alley=alley.name
            ),
            document=Document(f"{alley.code}.ics", content),
        )
