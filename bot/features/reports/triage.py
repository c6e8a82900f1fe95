"""Officers' work on reports: the inbox, one report, moving it, answering its reporter."""

from __future__ import annotations

from bot.chat.context import Context
from bot.chat.events import Incoming
from bot.chat.i18n import N_
from bot.chat.plain import parse_number
from bot.chat.replies import Choice, Reply
from bot.features.general.handlers import out_of_date
from bot.features.reports.wording import (
    EVENT_NAMES,
    STATE_NAMES,
    officer_buttons,
    officer_card,
    title,
    when,
)
from core import search, triage
from core.errors import MoveNotAllowed, NotAllowed, ReasonRequired, ReportNotFound
from core.indicators import triaged_wards
from core.mobilisation import MAY_ORGANISE
from core.model import Role
from core.reports import MAY_TRIAGE, OPEN, Category, EventKind, InboxFilter, ReportState

PAGE = 10
DIALOGUE = "triage"
TRAIL = 8  # events shown by /show, the latest
FILTER_WORDS = {"overdue": "overdue", "quahan": "overdue", "mine": "mine", "cuatoi": "mine"}
# The inbox's filters in its "More…" button.
STATE_CODES = {ReportState.NEW: "n", ReportState.ACKNOWLEDGED: "a", ReportState.IN_PROGRESS: "i"}
CATEGORY_CODES = {
    Category.LITTER: "l",
    Category.LIGHTING: "g",
    Category.DRAINAGE: "d",
    Category.ROAD: "r",
    Category.OTHER: "x",
}
OVERDUE, MINE = "O", "M"
KNOWN_CODES = {*STATE_CODES.values(), *CATEGORY_CODES.values(), OVERDUE, MINE}


async def inbox(ctx: Context, event: Incoming) -> None:
    """`/inbox [new|acknowledged|in_progress] [category…] [alley-code] [overdue] [mine]`."""
    _ = ctx._
    words = event.args.split()
    for word in words:
        if (
            word.lower() not in FILTER_WORDS
            and word.lower() not in {s.value for s in OPEN}
            and word.lower() not in set(Category)
            and await ctx.uow.alleys.by_code(word) is None
        ):
            ctx.say(
                _(
                    "I do not know the filter “{word}”. Use states (new, acknowledged, "
                    "in_progress), categories (litter, lighting, drainage, road, other), an "
                    "alley code, overdue or mine."
                ).format(word=word)
            )
            return
    await _page(ctx, await _filters(ctx, words), 0)


async def inbox_page(ctx: Context, args: list[str]) -> None:
    """The "More…" button: `ibp:<page>:<filter codes>:<alley id>`, the filters carried along."""
    page = parse_number(args[0]) if len(args) == 3 else None
    codes = set(args[1]) if len(args) == 3 else set()
    alley = parse_number(args[2]) if len(args) == 3 and args[2] else None
    if page is None or not codes <= KNOWN_CODES or (args[2] and alley is None):
        await out_of_date(ctx, args)
        return
    mine = MINE in codes
    filters = InboxFilter(
        frozenset(s for s, code in STATE_CODES.items() if code in codes),
        frozenset(c for c, code in CATEGORY_CODES.items() if code in codes),
        alley,
        OVERDUE in codes,
        await _officer_ids(ctx) if mine else None,
    )
    await _page(ctx, filters, page)


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
    """`/status <number> <state> [note]`."""
    _ = ctx._
    parts = event.args.split(maxsplit=2)
    number = parse_number(parts[0]) if parts else None
    state = _state(parts[1]) if len(parts) > 1 else None
    if number is None or state is None:
        ctx.say(
            _(
                "Write it so: /status <number> <acknowledged|in_progress|resolved|rejected> "
                "[note], e.g. /status 12 resolved the lamp is replaced"
            )
        )
        return
    if state is ReportState.DUPLICATE:
        await ask_original(ctx, [str(number)])
        return
    note = parts[2] if len(parts) > 2 else None
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
    await _ask(ctx, args, "reject", N_("Why is #{number} rejected? The reporter will read it."))


async def ask_original(ctx: Context, args: list[str]) -> None:
    await _ask(
        ctx, args, "duplicate", N_("#{number} is a duplicate of which report? Send its number.")
    )


async def reason_typed(ctx: Context, event: Incoming) -> None:
    assert ctx.dialogue is not None
    number = int(str(ctx.dialogue.data["report"]))
    ctx.end()
    await _move(ctx, number, ReportState.REJECTED, event.text)


async def original_typed(ctx: Context, event: Incoming) -> None:
    _ = ctx._
    assert ctx.dialogue is not None
    original = parse_number(event.text)
    if original is None:
        ctx.say(_("Send the number of the report it repeats, e.g. 12, or /cancel."))
        return
    number = int(str(ctx.dialogue.data["report"]))
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
    wards = {o.ward.id: o.ward for o in await ctx.officers() if o.role is Role.ADMIN}
    for ward in wards.values():
        await ctx.uow.wards.link_officer_chat(ward.id, event.sender.channel, event.reply_to)
    ctx.say(
        _("From now on the reports of {wards} come to this group.").format(
            wards=", ".join(w.name for w in wards.values())
        )
    )


async def _page(ctx: Context, filters: InboxFilter, page: int) -> None:
    _ = ctx._
    ward_ids = [ward.id for ward in triaged_wards(await ctx.officers())]
    found, total = await ctx.uow.reports.inbox(ward_ids, filters, ctx.now, page * PAGE, PAGE)
    if not found:
        ctx.say(_("No open report matches.") if page == 0 else _("No more reports."))
        return
    lines = [
        _("Open reports {first} to {last} of {total}, the most pressing first:").format(
            first=page * PAGE + 1, last=page * PAGE + len(found), total=total
        )
    ]
    for report in found:
        assert report.due_at is not None  # every open report has a target
        late = "⏰ " if report.overdue(ctx.now) else ""
        lines.append(
            _("{late}{title} — {state}, target {when}").format(
                late=late,
                title=title(_, report),
                state=_(STATE_NAMES[report.state]),
                when=when(report.due_at, report, ctx.language),
            )
        )
    choices = [Choice(_("Show #{number}").format(number=r.id), f"rshow:{r.id}") for r in found]
    if total > (page + 1) * PAGE:
        choices.append(Choice(_("More…"), f"ibp:{page + 1}:{_codes(filters)}"))
    ctx.say("\n".join(lines), choices)


async def _filters(ctx: Context, words: list[str]) -> InboxFilter:
    states, categories, alley_id, overdue, mine = set(), set(), None, False, False
    for word in words:
        folded = word.lower()
        if FILTER_WORDS.get(folded) == "overdue":
            overdue = True
        elif FILTER_WORDS.get(folded) == "mine":
            mine = True
        elif folded in {s.value for s in OPEN}:
            states.add(ReportState(folded))
        elif folded in set(Category):
            categories.add(Category(folded))
        elif (alley := await ctx.uow.alleys.by_code(word)) is not None:
            alley_id = alley.id
    assigned = await _officer_ids(ctx) if mine else None
    return InboxFilter(frozenset(states), frozenset(categories), alley_id, overdue, assigned)


async def _officer_ids(ctx: Context) -> frozenset[int]:
    """The person's officer ids, one for each ward where they triage reports."""
    return frozenset(o.id for o in await ctx.officers() if o.role in MAY_TRIAGE)


def _codes(filters: InboxFilter) -> str:
    """The filters as a few letters and the alley's id, to fit in a button's 64 bytes."""
    letters = [STATE_CODES[s] for s in filters.states]
    letters += [CATEGORY_CODES[c] for c in filters.categories]
    letters += [OVERDUE] if filters.overdue else []
    letters += [MINE] if filters.assigned_to is not None else []
    return "".join(sorted(letters)) + ":" + (str(filters.alley_id) if filters.alley_id else "")


async def _show(ctx: Context, number: int) -> None:
    _ = ctx._
    officers = await ctx.officers()
    try:
        found = await triage.for_officer(ctx.uow, officers, number)
    except (ReportNotFound, NotAllowed):
        await _not_yours(ctx, number)
        return
    card = officer_card(_, found, ctx.language, ctx.now)
    trail = (await ctx.uow.reports.events(number))[-TRAIL:]
    lines = [_("History:")]
    for event in trail:
        who = event.officer_name or (_("the reporter") if event.resident_id else _("the bot"))
        what = _(STATE_NAMES[event.to_state] if event.to_state else EVENT_NAMES[event.kind])
        line = f"• {when(event.at, found, ctx.language)} {who}: {what}"
        if event.note and event.kind is not EventKind.RATING:
            line += f" — {event.note}"
        lines.append(line)
    buttons = officer_buttons(_, found)
    organises = any(o.ward.id == found.ward.id and o.role in MAY_ORGANISE for o in officers)
    if found.is_open and organises:
        buttons.append(Choice(_("Call volunteers"), f"newcall:report:{found.id}"))
    ctx.say(card + "\n\n" + "\n".join(lines), buttons)
    for photo in found.photos:
        ctx.replies.append(Reply(_("Photo of #{number}").format(number=number), photo=photo))
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
        ctx.say(
            _("#{number} is {current}; it cannot become {state}.").format(
                number=number,
                current=_(STATE_NAMES[ReportState(refused.current)]),
                state=_(STATE_NAMES[state]),
            )
        )
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


async def _ask(ctx: Context, args: list[str], step: str, question: str) -> None:
    number = parse_number(args[0]) if len(args) == 1 else None
    if number is None:
        await out_of_date(ctx, args)
        return
    try:
        await triage.for_officer(ctx.uow, await ctx.officers(), number)
    except (ReportNotFound, NotAllowed):
        await _not_yours(ctx, number)
        return
    ctx.begin(DIALOGUE, step, report=number)
    ctx.say(ctx._(question).format(number=number))


async def _not_yours(ctx: Context, number: int) -> None:
    ctx.say(ctx._("There is no report #{number} in your ward.").format(number=number))


def _number_and_text(args: str) -> tuple[int | None, str]:
    head, _space, text = args.strip().partition(" ")
    return parse_number(head), text.strip()


def _state(word: str) -> ReportState | None:
    folded = search.fold(word).replace(" ", "_")
    return next((s for s in ReportState if s.value == folded), None)
