"""Officers' commands: change one collection of an alley, link an alley's group."""

from __future__ import annotations

from datetime import date, datetime

from bot.chat.context import Context
from bot.chat.events import Incoming
from bot.chat.render import day_name, hhmm
from bot.features.bell.wording import NoticeWording
from core import schedule_changes
from core.errors import AlleyNotFound, DateInPast, NotAllowed
from core.schedule_changes import ScheduleChange, change_collection


async def skip_collection(ctx: Context, event: Incoming) -> None:
    """Cancel an alley's collection on a day: /skip <alley> <YYYY-MM-DD>."""
    _ = ctx._
    parts = event.args.split()
    day = _date(parts[1]) if len(parts) == 2 else None
    if day is None:
        ctx.say(_("Write it so: /skip <alley-code> <YYYY-MM-DD>, e.g. /skip nk-hem-51 2026-12-31"))
        return
    await _change(ctx, parts[0], day, None)


async def move_collection(ctx: Context, event: Incoming) -> None:
    """Move an alley's collection of a day: /move <alley> <YYYY-MM-DD> <YYYY-MM-DD HH:MM>."""
    _ = ctx._
    parts = event.args.split()
    day = _date(parts[1]) if len(parts) == 4 else None
    moved_to = _moment(f"{parts[2]} {parts[3]}") if len(parts) == 4 else None
    if day is None or moved_to is None:
        ctx.say(
            _(
                "Write it so: /move <alley-code> <YYYY-MM-DD> <YYYY-MM-DD HH:MM>, "
                "e.g. /move nk-hem-51 2026-12-31 2027-01-01 07:00"
            )
        )
        return
    await _change(ctx, parts[0], day, moved_to)


async def link_group(ctx: Context, event: Incoming) -> None:
    """Let an alley's bell ring in this group chat: /linkgroup <alley>, sent in the group."""
    _ = ctx._
    code = event.args.split()[0] if event.args.split() else ""
    if not code:
        ctx.say(_("Write it so, in the alley's group chat: /linkgroup <alley-code>"))
        return
    if event.reply_to == event.sender.id:
        ctx.say(_("Send /linkgroup in the alley's group chat, not to me in private."))
        return
    try:
        alley = await schedule_changes.link_group(
            ctx.uow, await ctx.officers(), code, event.sender.channel, event.reply_to
        )
    except AlleyNotFound:
        ctx.say(_("No alley has the code “{code}”.").format(code=code))
    except NotAllowed:
        ctx.say(_("Only officers of the alley's own ward can change its collections."))
    else:
        ctx.say(
            _("From now on the bell of {alley} rings in this group too.").format(alley=alley.name)
        )


async def _change(ctx: Context, alley_code: str, day: date, moved_to: datetime | None) -> None:
    _ = ctx._
    try:
        change = await change_collection(
            ctx.uow,
            await ctx.officers(),
            alley_code,
            day,
            moved_to,
            ctx.now,
            NoticeWording(ctx.catalogues, ctx.default_language),
        )
    except AlleyNotFound:
        ctx.say(_("No alley has the code “{code}”.").format(code=alley_code))
    except NotAllowed:
        ctx.say(_("Only officers of the alley's own ward can change its collections."))
    except DateInPast:
        ctx.say(_("That day has passed; only coming collections can change."))
    else:
        ctx.say(_done(ctx, change))


def _done(ctx: Context, change: ScheduleChange) -> str:
    _ = ctx._
    assert change.day is not None  # an officer changes one day
    if change.moved_to is None:
        text = _("Done: no collection in {alley} on {day}.")
    else:
        text = _("Done: the collection of {day} in {alley} moves to {new_day} at {time}.")
    told = ctx.ngettext(
        "{count} follower is being told.", "{count} followers are being told.", change.told
    )
    return (
        text.format(
            alley=change.alley.name,
            day=day_name(change.day, ctx.language),
            new_day=day_name(change.moved_to.date(), ctx.language) if change.moved_to else "",
            time=hhmm(change.moved_to) if change.moved_to else "",
        )
        + " "
        + told.format(count=change.told)
    )


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _moment(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M")
    except ValueError:
        return None
