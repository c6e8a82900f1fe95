"""Officers' work on one report: showing it, moving it, answering its reporter."""

from __future__ import annotations

from dataclasses import dataclass

from bot.chat.context import Context
from bot.chat.events import Incoming
from bot.chat.i18n import N_
from bot.chat.plain import parse_number
from bot.chat.replies import Choice, Reply
from bot.features.calls import from_report
from bot.features.general.handlers import out_of_date
from bot.features.reports.cards import EVENT_NAMES, STATE_NAMES, Gettext, officer_card, title, when
from bot.features.reports.words import STATE_WORDS, leading
from core import report_reads, triage, wards
from core.errors import MoveNotAllowed, NotAllowed, ReasonRequired, ReportNotFound
from core.mobilisation import MAY_ORGANISE
from core.reports import EventKind, Report, ReportState, officer_may_move

DIALOGUE = "triage"
TRAIL = 8  # events shown by /show, the latest
# Button prefixes, kept as they are: buttons already in officers' chats still carry them.
MOVE = "rs"
ASK_REASON = "rrej"
ASK_ORIGINAL = "rdup"
ASSIGN_ME = "rme"
SHOW = "rshow"
# What an officer's buttons move a report to, with their labels.
MOVES = (
    (ReportState.ACKNOWLEDGED, N_("Acknowledge")),
    (ReportState.IN_PROGRESS, N_("In progress")),
    (ReportState.RESOLVED, N_("Resolve")),
)


@dataclass
class TriageQuestion:
    """An officer is asked why a report is rejected, or which report it repeats."""

    report: int


def officer_buttons(_: Gettext, report: Report) -> list[Choice]:
    """What an officer can do with the report next."""
    if not report.is_open:
        return []
    choices = [
        Choice(_(label), f"{MOVE}:{report.id}:{state.value}")
        for state, label in MOVES
        if officer_may_move(report.state, state)
    ]
    choices += [
        Choice(_("Reject…"), f"{ASK_REASON}:{report.id}"),
        Choice(_("Duplicate of…"), f"{ASK_ORIGINAL}:{report.id}"),
        Choice(_("Assign to me"), f"{ASSIGN_ME}:{report.id}"),
    ]
    return choices


async def show(ctx: Context, event: Incoming) -> None:
    """`/show <number>`: the report, its photos, its place and the latest of its trail."""
    _ = ctx._
    number = parse_number(event.args.split()[0] if event.args.split() else "")
    if number is None:
        ctx.say(_("Write it so: /show <number>, e.g. /show 12"))
        return
    await _show(ctx, number)


async def show_choice(ctx: Context, args: list[str]) -> None:
    number = parse_number(args[0]) if len(args) == 1 else None
    if number is None:
        await out_of_date(ctx, args)
        return
    await _show(ctx, number)


async def status(ctx: Context, event: Incoming) -> None:
    """`/status <number> <state> [note]`; `duplicate <number>` names the report it repeats."""
    _ = ctx._
    words = event.args.split()
    number = parse_number(words[0]) if words else None
    found = leading(words[1:], STATE_WORDS) if number is not None else None
    if number is None or found is None:
        ctx.say(
            _(
                "Write it so: /status <number> <state> [note]. The states: acknowledged (tiếp "
                "nhận), in_progress (đang xử lý), resolved (đã xử lý), rejected (từ chối) "
                "<reason>, duplicate (trùng) <number of the report it repeats>. E.g. /status 12 "
                "đã xử lý thay bóng đèn, /status 12 duplicate 9"
            )
        )
        return
    state, used = found
    parts = event.args.split(maxsplit=used + 1)
    note = parts[used + 1] if len(parts) > used + 1 else None
    if state is ReportState.DUPLICATE:
        head, _space, rest = (note or "").partition(" ")
        original = parse_number(head)
        if original is None:
            await ask_original(ctx, [str(number)])
            return
        await _move(ctx, number, state, rest.strip() or None, original)
        return
    await _move(ctx, number, state, note)


async def move_choice(ctx: Context, args: list[str]) -> None:
    """The buttons under a report: `rs:<number>:<state>`."""
    state = _state(args[1]) if len(args) == 2 else None
    number = parse_number(args[0]) if len(args) == 2 else None
    # Rejecting and marking a duplicate ask a question first: their own buttons.
    if state is None or number is None or state in (ReportState.REJECTED, ReportState.DUPLICATE):
        await out_of_date(ctx, args)
        return
    await _move(ctx, number, state, None)


async def ask_reason(ctx: Context, args: list[str]) -> None:
    await _ask(
        ctx,
        args,
        ReportState.REJECTED,
        N_("Why is #{number} rejected? The reporter will read it."),
    )


async def ask_original(ctx: Context, args: list[str]) -> None:
    await _ask(
        ctx,
        args,
        ReportState.DUPLICATE,
        N_("#{number} is a duplicate of which report? Send its number."),
    )


async def reason_typed(ctx: Context, event: Incoming) -> None:
    number = ctx.data(TriageQuestion).report
    ctx.end()
    await _move(ctx, number, ReportState.REJECTED, event.text)


async def original_typed(ctx: Context, event: Incoming) -> None:
    _ = ctx._
    number = ctx.data(TriageQuestion).report
    original = parse_number(event.text)
    if original is None:
        ctx.say(_("Send the number of the report it repeats, e.g. 12, or /cancel."))
        return
    ctx.end()
    await _move(ctx, number, ReportState.DUPLICATE, None, original)


async def assign_me(ctx: Context, args: list[str]) -> None:
    _ = ctx._
    number = parse_number(args[0]) if len(args) == 1 else None
    if number is None:
        await out_of_date(ctx, args)
        return
    try:
        found = await triage.assign_to(ctx.uow, await ctx.officers(), number, ctx.now)
    except (ReportNotFound, NotAllowed):
        await _not_yours(ctx, number)
        return
    except MoveNotAllowed:
        ctx.say(_("#{number} is closed; there is nothing to assign.").format(number=number))
        return
    ctx.say(_("#{number} is assigned to you.").format(number=found.id))


async def reply(ctx: Context, event: Incoming) -> None:
    """`/reply <number> <text>`: a message to the reporter, kept in the trail."""
    _ = ctx._
    number, text = _number_and_text(event.args)
    if number is None or not text:
        ctx.say(_("Write it so: /reply <number> <message>, e.g. /reply 12 We come tomorrow."))
        return
    try:
        await triage.reply(ctx.uow, await ctx.officers(), number, text, ctx.now, ctx.triage)
    except (ReportNotFound, NotAllowed):
        await _not_yours(ctx, number)
        return
    ctx.say(_("Sent to the reporter of #{number}.").format(number=number))


async def note(ctx: Context, event: Incoming) -> None:
    """`/note <number> <text>`: a note for the ward's officers only."""
    _ = ctx._
    number, text = _number_and_text(event.args)
    if number is None or not text:
        ctx.say(_("Write it so: /note <number> <note>, e.g. /note 12 needs a ladder truck"))
        return
    try:
        await triage.add_note(ctx.uow, await ctx.officers(), number, text, ctx.now)
    except (ReportNotFound, NotAllowed):
        await _not_yours(ctx, number)
        return
    ctx.say(_("Note kept on #{number}; only officers see it.").format(number=number))


async def link_officers(ctx: Context, event: Incoming) -> None:
    """`/linkofficers`, sent by an admin in a group: their wards' new reports, with the
    reporters' names and phones, go there instead of to each officer."""
    _ = ctx._
    if event.reply_to == event.sender.id:
        ctx.say(_("Send /linkofficers in your officers' group chat, not to me in private."))
        return
    linked = await wards.link_officer_chat(
        ctx.uow, await ctx.officers(), event.sender.channel, event.reply_to
    )
    ctx.say(
        _("From now on the reports of {wards} come to this group.").format(
            wards=", ".join(w.name for w in linked)
        )
    )


async def _show(ctx: Context, number: int) -> None:
    _ = ctx._
    officers = await ctx.officers()
    try:
        shown = await report_reads.with_trail(ctx.uow, officers, number, TRAIL)
    except (ReportNotFound, NotAllowed):
        await _not_yours(ctx, number)
        return
    found = shown.report
    card = officer_card(_, found, ctx.language, ctx.now)
    lines = [_("History:")]
    for event in shown.events:
        who = event.officer_name or (_("the reporter") if event.resident_id else _("the bot"))
        what = _(STATE_NAMES[event.to_state] if event.to_state else EVENT_NAMES[event.kind])
        line = f"• {when(event.at, found, ctx.language)} {who}: {what}"
        if event.note and event.kind is not EventKind.RATING:
            line += f" — {event.note}"
        lines.append(line)
    buttons = officer_buttons(_, found)
    organises = any(o.ward.id == found.ward.id and o.role in MAY_ORGANISE for o in officers)
    if found.is_open and organises:
        buttons.append(
            Choice(
                _("Call volunteers"),
                f"{from_report.CALL_FOR_REPORT}:{from_report.FROM_REPORT}:{found.id}",
            )
        )
    ctx.say(card + "\n\n" + "\n".join(lines), buttons)
    if found.photos:
        # One album, not a message a photo: a report's photos hold the chat for a moment.
        count = len(found.photos)
        caption = ctx.ngettext("{count} photo of #{number}", "{count} photos of #{number}", count)
        ctx.replies.append(Reply(caption.format(count=count, number=number), album=found.photos))
    if found.location is not None:
        ctx.replies.append(Reply(title(_, found), location=found.location))


async def _move(
    ctx: Context,
    number: int,
    state: ReportState,
    note: str | None,
    original: int | None = None,
) -> None:
    _ = ctx._
    try:
        moved = await triage.change_state(
            ctx.uow, await ctx.officers(), number, state, note, ctx.now, ctx.triage, original
        )
    except (ReportNotFound, NotAllowed):
        if original is not None:
            ctx.say(_("There is no report #{number} in your ward.").format(number=original))
            return
        await _not_yours(ctx, number)
        return
    except MoveNotAllowed as refused:
        _refuse(ctx, number, ReportState(refused.current), state)
        return
    except ReasonRequired:
        await ask_reason(ctx, [str(number)])
        return
    ctx.say(
        _("{title} is now: {state}. The reporter is told.").format(
            title=title(_, moved), state=_(STATE_NAMES[moved.state])
        ),
        officer_buttons(_, moved),
    )


async def _ask(ctx: Context, args: list[str], state: ReportState, question: str) -> None:
    """Ask why, or which report, unless the report is closed: then refuse at once."""
    number = parse_number(args[0]) if len(args) == 1 else None
    if number is None:
        await out_of_date(ctx, args)
        return
    try:
        report = await triage.for_officer(ctx.uow, await ctx.officers(), number)
    except (ReportNotFound, NotAllowed):
        await _not_yours(ctx, number)
        return
    if not officer_may_move(report.state, state):
        _refuse(ctx, number, report.state, state)
        return
    step = "reject" if state is ReportState.REJECTED else "duplicate"
    ctx.begin(DIALOGUE, step, TriageQuestion(number))
    ctx.say(ctx._(question).format(number=number))


def _refuse(ctx: Context, number: int, current: ReportState, state: ReportState) -> None:
    _ = ctx._
    ctx.say(
        _("#{number} is {current}; it cannot become {state}.").format(
            number=number, current=_(STATE_NAMES[current]), state=_(STATE_NAMES[state])
        )
    )


async def _not_yours(ctx: Context, number: int) -> None:
    ctx.say(ctx._("There is no report #{number} in your ward.").format(number=number))


def _number_and_text(args: str) -> tuple[int | None, str]:
    head, _space, text = args.strip().partition(" ")
    return parse_number(head), text.strip()


def _state(word: str) -> ReportState | None:
    found = leading([word], STATE_WORDS)
    return None if found is None else found[0]
