"""Officers' inbox: the open reports of their wards, the most pressing first, a page at a time."""

from __future__ import annotations

from bot.chat.context import Context
from bot.chat.events import Incoming
from bot.chat.plain import parse_number
from bot.chat.replies import Choice
from bot.features.general.handlers import out_of_date
from bot.features.reports.cards import STATE_NAMES, title, when
from bot.features.reports.triage import SHOW
from bot.features.reports.words import FILTER_WORDS, leading
from bot.features.reports.words import OVERDUE as OVERDUE_WORD
from core import report_reads, wards
from core.reports import MAY_TRIAGE, Category, InboxFilter, ReportState

PAGE = 10
# The "More…" button's prefix, kept as it is: buttons already in officers' chats carry it.
NEXT_PAGE = "ibp"
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
    """`/inbox [state…] [category…] [alley-code] [overdue] [mine]`, in English or Vietnamese."""
    _ = ctx._
    filters = await _filters(ctx, event.args.split())
    if isinstance(filters, str):
        ctx.say(
            _(
                "I do not know the filter “{word}”. Use states (new / mới, acknowledged / tiếp "
                "nhận, in_progress / đang xử lý), categories (litter / rác, lighting / đèn, "
                "drainage / cống, road / đường, other / khác), an alley code, overdue / quá hạn "
                "or mine / của tôi."
            ).format(word=filters)
        )
        return
    await _page(ctx, filters, 0)


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


async def _page(ctx: Context, filters: InboxFilter, page: int) -> None:
    _ = ctx._
    found = await report_reads.inbox_page(
        ctx.uow, await ctx.officers(), filters, ctx.now, page * PAGE, PAGE
    )
    if not found.reports:
        ctx.say(_("No open report matches.") if page == 0 else _("No more reports."))
        return
    lines = [
        _("Open reports {first} to {last} of {total}, the most pressing first:").format(
            first=page * PAGE + 1, last=page * PAGE + len(found.reports), total=found.total
        )
    ]
    for report in found.reports:
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
    choices = [
        Choice(_("Show #{number}").format(number=r.id), f"{SHOW}:{r.id}") for r in found.reports
    ]
    if found.total > (page + 1) * PAGE:
        choices.append(Choice(_("More…"), f"{NEXT_PAGE}:{page + 1}:{_codes(filters)}"))
    ctx.say("\n".join(lines), choices)


async def _filters(ctx: Context, words: list[str]) -> InboxFilter | str:
    """The filters the words name, or the first word that names none."""
    states, categories, alley_id, overdue, mine = set(), set(), None, False, False
    at = 0
    while at < len(words):
        found = leading(words[at:], FILTER_WORDS)
        if found is None:
            alley = await wards.alley_of_code(ctx.uow, words[at])
            if alley is None:
                return words[at]
            alley_id, at = alley.id, at + 1
            continue
        meaning, used = found
        at += used
        if isinstance(meaning, ReportState):
            states.add(meaning)
        elif isinstance(meaning, Category):
            categories.add(meaning)
        elif meaning == OVERDUE_WORD:
            overdue = True
        else:
            mine = True
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
