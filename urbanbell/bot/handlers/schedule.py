"""/schedule: the coming week of collections for the resident's alleys."""

from __future__ import annotations

from urbanbell.bot.context import Context
from urbanbell.bot.events import Incoming
from urbanbell.bot.render import alley_name, collection_line
from urbanbell.core.schedule import week_ahead

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
