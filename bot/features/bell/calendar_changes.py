"""Officers' commands: skip, move or give back one collection of an alley, after a preview of
what its followers will read; link an alley's group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.chat.context import Context
from bot.chat.dates import parse_day, parse_moment
from bot.chat.events import Incoming
from bot.chat.render import day, hhmm, weekdays
from bot.chat.replies import Choice
from bot.features.bell.wording import NoticeWording
from bot.features.general.handlers import CANCEL, out_of_date
from core import schedule_changes
from core.errors import (
    AlleyNotFound,
    DateInPast,
    NoCollectionThatDay,
    NotAllowed,
    NothingToUndo,
    SlotTaken,
)
from core.schedule_changes import Proposal, ScheduleChange

CHANGE = "calendar"
CONFIRM = "bcsend"


@dataclass
class PendingChange:
    """A change shown to the officer, waiting for their word to tell the followers."""

    alley: str
    day: str  # ISO
    moved_to: str = ""  # ISO, the ward's local time; empty for a skip or an undo
    undo: bool = False


async def skip_collection(ctx: Context, event: Incoming) -> None:
    """Cancel an alley's collection on a day: /skip <alley> <day>."""
    _ = ctx._
    parts = event.args.split()
    on = parse_day(parts[1], ctx.now.date()) if len(parts) == 2 else None
    if on is None:
        ctx.say(
            _(
                "Write it so: /skip <alley-code> <day>, the day as 5/12, 05/12/2026, "
                "5-12-2026 or 2026-12-05; e.g. /skip nk-hem-51 5/12"
            )
        )
        return
    await _propose(ctx, PendingChange(parts[0], on.isoformat()))


async def move_collection(ctx: Context, event: Incoming) -> None:
    """Move an alley's collection of a day: /move <alley> <day> <new day> <HH:MM>."""
    _ = ctx._
    parts = event.args.split()
    on = parse_day(parts[1], ctx.now.date()) if len(parts) == 4 else None
    moved_to = parse_moment(parts[2], parts[3], ctx.now.date()) if len(parts) == 4 else None
    if on is None or moved_to is None:
        ctx.say(
            _(
                "Write it so: /move <alley-code> <day> <new day> <HH:MM>, each day as 5/12, "
                "05/12/2026, 5-12-2026 or 2026-12-05; e.g. /move nk-hem-51 5/12 6/12 07:00"
            )
        )
        return
    await _propose(ctx, PendingChange(parts[0], on.isoformat(), moved_to.isoformat()))


async def unskip_collection(ctx: Context, event: Incoming) -> None:
    """Give a day back its usual collection: /unskip <alley> <day>."""
    _ = ctx._
    parts = event.args.split()
    on = parse_day(parts[1], ctx.now.date()) if len(parts) == 2 else None
    if on is None:
        ctx.say(
            _(
                "Write it so: /unskip <alley-code> <day>, the day as 5/12, 05/12/2026, "
                "5-12-2026 or 2026-12-05; e.g. /unskip nk-hem-51 5/12"
            )
        )
        return
    await _propose(ctx, PendingChange(parts[0], on.isoformat(), undo=True))


async def confirm(ctx: Context, args: list[str]) -> None:
    """The officer has read the preview: make the change and tell the followers."""
    _ = ctx._
    if ctx.dialogue is None or (ctx.dialogue.name, ctx.dialogue.step) != (CHANGE, "confirm"):
        await out_of_date(ctx, args)
        return
    pending = ctx.data(PendingChange)
    ctx.end()
    # Checked again: the calendar, or the day, may have moved on since the preview.
    proposal = await _checked(ctx, pending)
    if proposal is None:
        return
    if proposal.already:
        ctx.say(_already(ctx, proposal.change))
        return
    change = await schedule_changes.make_change(ctx.uow, proposal, _wording(ctx))
    ctx.say(_done(ctx, change))


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


async def _propose(ctx: Context, pending: PendingChange) -> None:
    """Show the officer what the followers would read and how many, and ask to confirm."""
    _ = ctx._
    proposal = await _checked(ctx, pending)
    if proposal is None:
        return
    if proposal.already:
        ctx.say(_already(ctx, proposal.change))
        return
    ctx.begin(CHANGE, "confirm", pending)
    told = ctx.ngettext(
        "It goes to {count} follower of the alley.",
        "It goes to {count} followers of the alley.",
        proposal.audience,
    ).format(count=proposal.audience)
    ctx.say(
        _("Residents will read:")
        + "\n\n"
        + _wording(ctx).text(proposal.change, ctx.language)
        + "\n\n"
        + told,
        [Choice(_("Tell them"), CONFIRM), Choice(_("Cancel"), CANCEL)],
    )


async def _checked(ctx: Context, pending: PendingChange) -> Proposal | None:
    """The proposal of the pending change, or None when it is refused (the officer is told)."""
    _ = ctx._
    on = date.fromisoformat(pending.day)
    try:
        if pending.undo:
            return await schedule_changes.propose_undo(
                ctx.uow, await ctx.officers(), pending.alley, on, ctx.now, ctx.holidays
            )
        moved_to = datetime.fromisoformat(pending.moved_to) if pending.moved_to else None
        return await schedule_changes.propose_change(
            ctx.uow, await ctx.officers(), pending.alley, on, moved_to, ctx.now, ctx.holidays
        )
    except AlleyNotFound:
        ctx.say(_("No alley has the code “{code}”.").format(code=pending.alley))
    except NotAllowed:
        ctx.say(_("Only officers of the alley's own ward can change its collections."))
    except DateInPast:
        ctx.say(_("That day has passed; only coming collections can change."))
    except NoCollectionThatDay as refused:
        times = "; ".join(
            _("{days} at {time}").format(
                days=weekdays(rule.weekdays, ctx.language), time=rule.at.strftime("%H:%M")
            )
            for rule in refused.rules
        )
        ctx.say(
            _("{code} has no collection on {day}; its truck comes {times}.").format(
                code=pending.alley, day=day(ctx, on), times=times or _("on no day yet")
            )
        )
    except SlotTaken:
        at = datetime.fromisoformat(pending.moved_to)
        ctx.say(
            _("{code} already has a collection on {day} at {time}; choose another time.").format(
                code=pending.alley, day=day(ctx, at.date()), time=hhmm(at)
            )
        )
    except NothingToUndo:
        ctx.say(
            _("The collection of {day} in {code} is already as usual; no one is told.").format(
                day=day(ctx, on), code=pending.alley
            )
        )
    return None


def _already(ctx: Context, change: ScheduleChange) -> str:
    _ = ctx._
    return (
        _("It is already so:")
        + " "
        + _wording(ctx).text(change, ctx.language).removeprefix("🔔 ")
        + " "
        + _("No one is told again.")
    )


def _done(ctx: Context, change: ScheduleChange) -> str:
    _ = ctx._
    assert change.day is not None  # an officer changes one day
    if change.back_at is not None:
        text = _("Done: the collection of {day} in {alley} is back at {time}.")
    elif change.moved_to is None:
        text = _("Done: no collection in {alley} on {day}.")
    else:
        text = _("Done: the collection of {day} in {alley} moves to {new_day} at {time}.")
    told = ctx.ngettext(
        "{count} follower is being told.", "{count} followers are being told.", change.told
    )
    at = change.back_at or change.moved_to
    return (
        text.format(
            alley=change.alley.name,
            day=day(ctx, change.day),
            new_day=day(ctx, change.moved_to.date()) if change.moved_to else "",
            time=hhmm(at) if at else "",
        )
        + " "
        + told.format(count=change.told)
    )


def _wording(ctx: Context) -> NoticeWording:
    return NoticeWording(ctx.catalogues, ctx.default_language)
