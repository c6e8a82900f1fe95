"""A resident's filed reports: /myreports, adding to one, and saying whether it is fixed."""

from __future__ import annotations

from dataclasses import dataclass

from bot.chat.context import Context
from bot.chat.events import Incoming
from bot.chat.plain import LABEL, clipped, parse_number
from bot.chat.replies import Choice
from bot.features.calls.wording import join_choices
from bot.features.general.handlers import out_of_date
from bot.features.reports.attachments import photo_fits
from bot.features.reports.cards import STATE_NAMES, Gettext, title, when
from core import report_reads, triage, volunteers
from core.errors import MoveNotAllowed, ReportNotFound, TooManyPhotos
from core.reports import Report, ReportState

ADD = "report-add"
REOPEN = "report-reopen"
MY_REPORTS = 10
# Button prefixes, kept as they are: buttons already in residents' chats still carry them.
ADD_MORE = "radd"
JUDGE_FIX = "rfix"
RATE = "rrate"


@dataclass
class AddToReport:
    """A photo or a location is being added to one of the resident's reports."""

    report: int


@dataclass
class Reopen:
    """The resident says their report is not fixed and is asked what is still wrong."""

    report: int


async def my_reports(ctx: Context, event: Incoming) -> None:
    _ = ctx._
    mine = await report_reads.filed_by(ctx.uow, ctx.resident.id, MY_REPORTS)
    invitations = await volunteers.unanswered_invitations(ctx.uow, ctx.resident.id, ctx.now)
    if not mine and not invitations:
        ctx.say(_("You have filed no report yet. Send /report to file one."))
        return
    lines = [_("Your reports, newest first:")] if mine else []
    for found in mine:
        lines.append(
            _("{title}: {state} (filed {when})").format(
                title=title(_, found),
                state=_(STATE_NAMES[found.state]),
                when=when(found.created_at, found, ctx.language),
            )
        )
    # The questions still waiting for the resident, asked again where they can be found.
    waiting = [found for found in mine if _asks_if_fixed(found)]
    choices = []
    for found in waiting:
        lines.append(_("#{number} is resolved: is it fixed?").format(number=found.id))
        choices += [
            Choice(
                _("#{number}: {answer}").format(number=found.id, answer=choice.label), choice.data
            )
            for choice in fixed_buttons(_, found)
        ]
    for call in invitations:
        lines.append(_("🤝 You are invited to {title}: will you join?").format(title=call.title))
        choices += [
            Choice(
                f"{clipped(call.title, LABEL - 2 - len(choice.label))}: {choice.label}",
                choice.data,
            )
            for choice in join_choices(_, call)
        ]
    ctx.say("\n".join(lines), choices)


def _asks_if_fixed(report: Report) -> bool:
    """Resolved, and its reporter has not yet said whether it is fixed (nor rated it)."""
    resolved = report.state is ReportState.RESOLVED and report.resolved_at is not None
    return resolved and report.rating is None


def add_more_buttons(_: Gettext, number: int, named: bool = False) -> list[Choice]:
    """Under a quick report's thanks: what the resident may add to it, and, when it was filed
    with their name, a way to take the name off."""
    choices = [
        Choice(_("Add a photo"), f"{ADD_MORE}:{number}:photo"),
        Choice(_("Add the location"), f"{ADD_MORE}:{number}:where"),
    ]
    if named:
        choices.append(Choice(_("Make it anonymous"), f"{ADD_MORE}:{number}:hide"))
    return choices


async def offer_more(ctx: Context, args: list[str]) -> None:
    """After a quick report: add a photo (`radd:<n>:photo`) or a location (`radd:<n>:where`),
    or take the reporter's name off it (`radd:<n>:hide`)."""
    _ = ctx._
    found = await _pressed_on_mine(ctx, args, ("photo", "where", "hide"))
    if found is None:
        return
    if args[1] == "hide":
        await triage.hide_reporter(ctx.uow, ctx.resident, found.id)
        ctx.say(
            _(
                "#{number} is anonymous now: from here on the ward's officers do not see who "
                "filed it. Those already told of it saw your name."
            ).format(number=found.id)
        )
        return
    ctx.begin(ADD, args[1], AddToReport(found.id))
    if args[1] == "photo":
        ctx.say(_("Send the photo for #{number}.").format(number=found.id))
    else:
        ctx.say(_("Share the location of #{number} (attach → Location).").format(number=found.id))


async def added_photo(ctx: Context, event: Incoming) -> None:
    _ = ctx._
    adding = ctx.data(AddToReport)
    if not photo_fits(ctx, event, []):
        return
    assert event.photo is not None
    number = adding.report
    try:
        await triage.add_photo(ctx.uow, ctx.resident, number, event.photo.ref, ctx.now)
    except TooManyPhotos as full:
        ctx.end()
        ctx.say(
            _("#{number} already has {count} photos, as many as a report takes.").format(
                number=number, count=full.limit
            )
        )
        return
    ctx.say(
        _("Photo added to #{number}. Send another, or /cancel when done.").format(number=number)
    )


async def added_location(ctx: Context, event: Incoming) -> None:
    _ = ctx._
    adding = ctx.data(AddToReport)
    if event.location is None:
        ctx.say(_("Please share a location (attach → Location), or /cancel."))
        return
    number = adding.report
    await triage.set_location(ctx.uow, ctx.resident, number, event.location, ctx.now)
    ctx.end()
    ctx.say(_("Location added to #{number}. Thank you!").format(number=number))


def fixed_buttons(_: Gettext, report: Report) -> list[Choice]:
    """Asked of the reporter once their report is resolved: is it fixed?"""
    return [
        Choice(_("Yes, it is fixed"), f"{JUDGE_FIX}:{report.id}:y"),
        Choice(_("No, not fixed"), f"{JUDGE_FIX}:{report.id}:n"),
    ]


async def judge_fix(ctx: Context, args: list[str]) -> None:
    """ "Is it fixed?" answered: yes asks for a rating, no asks what is still wrong."""
    _ = ctx._
    found = await _pressed_on_mine(ctx, args, ("y", "n"))
    if found is None:
        return
    number = found.id
    if found.resolved_at is None or found.rating is not None:
        ctx.say(
            _("Thank you, your answer about #{number} was taken already.").format(number=number)
        )
        return
    if args[1] == "y":
        ctx.say(
            _("Glad it is fixed! How well did the ward handle #{number}?").format(number=number),
            # Option n is n stars, as people count: "5" typed gives five.
            [Choice("⭐" * stars, f"{RATE}:{number}:{stars}") for stars in range(1, 6)],
        )
        return
    ctx.begin(REOPEN, "note", Reopen(number))
    ctx.say(
        _("Sorry to hear that. What is still wrong? I will open #{number} again.").format(
            number=number
        )
    )


async def reopen(ctx: Context, event: Incoming) -> None:
    _ = ctx._
    number = ctx.data(Reopen).report
    ctx.end()
    try:
        await triage.reopen(ctx.uow, ctx.resident, number, event.text, ctx.now, ctx.triage)
    except (ReportNotFound, MoveNotAllowed):
        ctx.say(_("#{number} cannot be opened again now.").format(number=number))
        return
    ctx.say(_("#{number} is open again; the ward's officers are told.").format(number=number))


async def rate(ctx: Context, args: list[str]) -> None:
    _ = ctx._
    number = parse_number(args[0]) if len(args) == 2 else None
    if number is None or args[1] not in {"1", "2", "3", "4", "5"}:
        await out_of_date(ctx, args)
        return
    try:
        await triage.rate(ctx.uow, ctx.resident, number, int(args[1]), ctx.now)
    except (ReportNotFound, MoveNotAllowed):
        await out_of_date(ctx, args)
        return
    ctx.say(_("Thank you for rating! Your answer counts in the ward's figures (/indicators)."))


async def _pressed_on_mine(
    ctx: Context, args: list[str], answers: tuple[str, ...]
) -> Report | None:
    """The resident's own report a `<prefix>:<number>:<answer>` button is about; anything
    else, someone else's report included, is answered as out of date."""
    number = parse_number(args[0]) if len(args) == 2 else None
    if number is None or args[1] not in answers:
        await out_of_date(ctx, args)
        return None
    try:
        return await triage.mine(ctx.uow, ctx.resident, number)
    except ReportNotFound:
        await out_of_date(ctx, args)
        return None
