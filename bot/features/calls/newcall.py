"""An organiser's /newcall: asks for each thing residents need to know, previews the call
and sends it to the followers of the alleys chosen."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.chat.context import Context
from bot.chat.dates import parse_moment
from bot.chat.dialogue import StaleDialogue
from bot.chat.events import Incoming, Kind
from bot.chat.plain import is_number
from bot.chat.replies import Choice
from bot.features.audience import DONE, WHOLE_WARD, alley_picker, page_asked, page_of, picked
from bot.features.calls.organisers import at, call_wording, organised_ward, organised_wards
from bot.features.calls.wording import KIND_NAMES, call_card
from bot.features.general.handlers import out_of_date
from core import organising
from core.errors import InvalidCall, NotAllowed
from core.mobilisation import (
    MAX_AHEAD,
    MAX_PLACE,
    MAX_SLOTS,
    MAX_TEXT,
    MAX_TITLE,
    CallDraft,
    CallKind,
)
from core.model import Ward

NEWCALL = "newcall"
PICK_WARD = "ncw"
PICK_KIND = "nck"
NO_DEADLINE = "ncdl"
NOTHING_TO_BRING = "ncbring"
PICK_ALLEYS = "nca"
SEND = "ncsend"
HOURS = re.compile(r"^(\S+)\s+(\d{1,2}:\d{2})\s*[-\u2013]\s*(\d{1,2}:\d{2})$")
WHERE_KINDS = frozenset({Kind.TEXT, Kind.LOCATION})


@dataclass
class NewCall:
    """A call as far as the organiser has described it; a call started from a report arrives
    with its ward, kind and place already known."""

    ward: int | None = None
    kind: CallKind | None = None
    title: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    where: bool = False  # the meeting place is settled: a pin, words, or the report's
    place: str | None = None
    location: tuple[float, float] | None = None
    slots: int | None = None
    deadline_given: bool = False
    deadline: datetime | None = None  # none: until the call starts
    bring_given: bool = False
    bring: str | None = None
    chosen: list[int] = field(default_factory=list)  # alleys ticked so far
    alleys: list[int] | None = None  # whose followers are invited, once settled
    report: int | None = None

    def missing(self) -> str | None:
        """The first thing still to ask, in the order /newcall asks; None when complete."""
        lacking = (
            ("ward", self.ward is None),
            ("kind", self.kind is None),
            ("title", self.title is None),
            ("when", self.starts_at is None or self.ends_at is None),
            ("where", not self.where),
            ("slots", self.slots is None),
            ("deadline", not self.deadline_given),
            ("bring", not self.bring_given),
            ("alleys", self.alleys is None),
        )
        return next((step for step, lacks in lacking if lacks), None)

    def draft(self) -> CallDraft:
        """The call as described, once nothing is missing."""
        if self.ward is None or self.kind is None or self.title is None or self.slots is None:
            raise StaleDialogue("NewCall: asked for its draft before it was complete")
        if self.starts_at is None or self.ends_at is None:
            raise StaleDialogue("NewCall: asked for its draft before it was complete")
        return CallDraft(
            ward_id=self.ward,
            kind=self.kind,
            title=self.title,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            slots=self.slots,
            place=self.place or None,
            location=self.location,
            signup_deadline=self.deadline,
            bring=self.bring or None,
            report_id=self.report,
        )


async def new_call(ctx: Context, event: Incoming) -> None:
    """Start a volunteer call, asking for each thing residents need to know."""
    wards = await organised_wards(ctx)
    data = NewCall(ward=wards[0].id if len(wards) == 1 else None)
    ctx.begin(NEWCALL, "ward", data)
    await _ask_next(ctx, data)


async def start_prefilled(
    ctx: Context,
    ward_id: int,
    kind: CallKind,
    place: str | None,
    location: tuple[float, float] | None,
    report_id: int | None,
) -> None:
    """Start /newcall with its ward and kind, and its place when known (from a report)."""
    data = NewCall(ward=ward_id, kind=kind, report=report_id)
    if place is not None or location is not None:
        data.where, data.place, data.location = True, place, location
    ctx.begin(NEWCALL, "ward", data)
    await _ask_next(ctx, data)


async def pick_ward(ctx: Context, args: list[str]) -> None:
    """The ward a new call is for."""
    if not at(ctx, NEWCALL, "ward") or len(args) != 1 or not is_number(args[0]):
        await out_of_date(ctx, args)
        return
    ward = await organised_ward(ctx, args[0])
    if ward is None:
        await out_of_date(ctx, args)
        return
    data = ctx.data(NewCall)
    data.ward = ward.id
    await _ask_next(ctx, data)


async def pick_kind(ctx: Context, args: list[str]) -> None:
    """The kind of work a new call is for."""
    if not at(ctx, NEWCALL, "kind") or len(args) != 1 or args[0] not in set(CallKind):
        await out_of_date(ctx, args)
        return
    data = ctx.data(NewCall)
    data.kind = CallKind(args[0])
    await _ask_next(ctx, data)


async def title_typed(ctx: Context, event: Incoming) -> None:
    """The call's title, as residents will read it."""
    _ = ctx._
    title = event.text.strip()
    if not title or len(title) > MAX_TITLE:
        ctx.say(_("Please write a title of at most {limit} characters.").format(limit=MAX_TITLE))
        return
    data = ctx.data(NewCall)
    data.title = title
    await _ask_next(ctx, data)


async def when_typed(ctx: Context, event: Incoming) -> None:
    """The day and hours of the call, in the ward's time."""
    _ = ctx._
    data = ctx.data(NewCall)
    hours = typed_hours(ctx, event.text, ZoneInfo((await _ward(ctx, data)).timezone))
    if hours is None:
        return
    starts, ends = hours
    if starts <= ctx.now:
        ctx.say(_("That time has passed; please give a time to come."))
        return
    if starts > ctx.now + MAX_AHEAD:
        ctx.say(_("That is more than a year ahead; please check the year."))
        return
    data.starts_at, data.ends_at = starts, ends
    await _ask_next(ctx, data)


async def where_given(ctx: Context, event: Incoming) -> None:
    """Where volunteers meet: a pin on the map, or a place in words."""
    _ = ctx._
    data = ctx.data(NewCall)
    if event.kind is Kind.LOCATION and event.location is not None:
        data.where, data.place, data.location = True, None, event.location
        await _ask_next(ctx, data)
        return
    place = event.text.strip()
    if not place or len(place) > MAX_PLACE:
        ctx.say(_("Please send a location pin, or write the place in at most 300 characters."))
        return
    data.where, data.place, data.location = True, place, None
    await _ask_next(ctx, data)


async def slots_typed(ctx: Context, event: Incoming) -> None:
    """How many volunteers the call needs."""
    _ = ctx._
    text = event.text.strip()
    if not is_number(text) or not 1 <= int(text) <= MAX_SLOTS:
        ctx.say(_("Please write a number from 1 to {most}.").format(most=MAX_SLOTS))
        return
    data = ctx.data(NewCall)
    data.slots = int(text)
    await _ask_next(ctx, data)


async def deadline_typed(ctx: Context, event: Incoming) -> None:
    """Until when residents may sign up."""
    _ = ctx._
    data = ctx.data(NewCall)
    ward = await _ward(ctx, data)
    zone = ZoneInfo(ward.timezone)
    deadline = local_time(event.text.strip(), zone, ctx.now.astimezone(zone).date())
    starts = data.draft().starts_at
    if deadline is None:
        ctx.say(_("Please write the deadline so: 4/12 20:00 or 2026-12-04 20:00"))
        return
    if not ctx.now < deadline <= starts:
        ctx.say(_("The deadline must be still to come, and not after the call starts."))
        return
    data.deadline_given, data.deadline = True, deadline
    await _ask_next(ctx, data)


async def no_deadline(ctx: Context, args: list[str]) -> None:
    """Residents may sign up until the call starts."""
    if not at(ctx, NEWCALL, "deadline"):
        await out_of_date(ctx, args)
        return
    data = ctx.data(NewCall)
    data.deadline_given, data.deadline = True, None
    await _ask_next(ctx, data)


async def bring_typed(ctx: Context, event: Incoming) -> None:
    """What volunteers should bring."""
    _ = ctx._
    bring = event.text.strip()
    if not bring or len(bring) > MAX_TEXT:
        choices = [Choice(_("Nothing special"), NOTHING_TO_BRING)]
        how = ctx.pressing(choices, choices[0].label)
        ctx.say(_("Please write what to bring, or {how}.").format(how=how), choices)
        return
    data = ctx.data(NewCall)
    data.bring_given, data.bring = True, bring
    await _ask_next(ctx, data)


async def nothing_to_bring(ctx: Context, args: list[str]) -> None:
    """Volunteers need bring nothing in particular."""
    if not at(ctx, NEWCALL, "bring"):
        await out_of_date(ctx, args)
        return
    data = ctx.data(NewCall)
    data.bring_given, data.bring = True, None
    await _ask_next(ctx, data)


async def pick_alleys(ctx: Context, args: list[str]) -> None:
    """Whose followers hear of the call: tick alleys, or take the whole ward."""
    if not at(ctx, NEWCALL, "alleys") or len(args) != 1:
        await out_of_date(ctx, args)
        return
    data = ctx.data(NewCall)
    if (start := page_asked(args[0])) is not None:
        await _ask_alleys(ctx, data, start)
        return
    if args[0] == DONE and data.chosen:
        data.alleys = data.chosen
        await _ask_next(ctx, data)
        return
    ward = await _ward(ctx, data)
    now_chosen = await picked(ctx, ward.id, data.chosen, args[0])
    if now_chosen is None:
        await out_of_date(ctx, args)
        return
    if args[0] == WHOLE_WARD:
        data.alleys = now_chosen
        await _ask_next(ctx, data)
        return
    data.chosen = now_chosen
    ctx.keep(data)
    await _ask_alleys(ctx, data, await page_of(ctx, ward.id, int(args[0])))


async def alleys_typed(ctx: Context, event: Incoming) -> None:
    """A name typed while picking alleys: the alleys it finds."""
    await _ask_alleys(ctx, ctx.data(NewCall), search=event.text)


async def send_call(ctx: Context, args: list[str]) -> None:
    """Open the call previewed, and invite the followers of the alleys chosen."""
    _ = ctx._
    if not at(ctx, NEWCALL, "preview"):
        await out_of_date(ctx, args)
        return
    data = ctx.data(NewCall)
    try:
        call, invited = await organising.open_call(
            ctx.uow,
            await ctx.officers(),
            data.draft(),
            data.alleys or [],
            ctx.now,
            call_wording(ctx),
        )
    except NotAllowed:
        ctx.end()
        ctx.say(_("Only organisers of the ward can call for its volunteers."))
        return
    except InvalidCall:
        ctx.end()
        ctx.say(_("The call's time or deadline has passed meanwhile. Send /newcall again."))
        return
    ctx.end()
    ctx.say(
        ctx.ngettext(
            "Call #{number} is open; {count} resident is being invited. "
            "Send /calls to see who signs up.",
            "Call #{number} is open; {count} residents are being invited. "
            "Send /calls to see who signs up.",
            invited,
        ).format(number=call.id, count=invited)
    )


async def _ask_next(ctx: Context, data: NewCall) -> None:
    """Ask for the first thing the new call still lacks, or preview it when it lacks none."""
    _ = ctx._
    step = data.missing()
    ctx.keep(data, step=step or "preview")
    match step:
        case None:
            await _preview(ctx, data)
        case "ward":
            wards = await organised_wards(ctx)
            ctx.say(
                _("Which ward is the call for?"),
                [Choice(w.name, f"{PICK_WARD}:{w.id}") for w in wards],
            )
        case "kind":
            ctx.say(
                _("What kind of work?"),
                [
                    Choice(_(name), f"{PICK_KIND}:{kind.value}")
                    for kind, name in KIND_NAMES.items()
                ],
            )
        case "title":
            ctx.say(_("Its title, as residents will read it (e.g. Clean the Cái Khế canal):"))
        case "when":
            ctx.say(
                _(
                    "When? Write the day and the hours, in the ward's time: 5/12 07:00-10:00 "
                    "or 2026-12-05 07:00-10:00"
                )
            )
        case "where":
            ctx.say(_("Where do volunteers meet? Send a location pin, or write the place."))
        case "slots":
            ctx.say(_("How many volunteers are needed?"))
        case "deadline":
            ctx.say(
                _("Until when can residents sign up? Write it as 2026-12-04 20:00, or:"),
                [Choice(_("Until it starts"), NO_DEADLINE)],
            )
        case "bring":
            ctx.say(
                _("What should volunteers bring (gloves, a broom…)?"),
                [Choice(_("Nothing special"), NOTHING_TO_BRING)],
            )
        case _:
            await _ask_alleys(ctx, data)


async def _ask_alleys(
    ctx: Context, data: NewCall, start: int = 0, search: str | None = None
) -> None:
    _ = ctx._
    ward = await _ward(ctx, data)
    note, choices = await alley_picker(ctx, ward.id, data.chosen, PICK_ALLEYS, start, search)
    ctx.say(
        _("Who should hear of it? Tick alleys (their followers are told) or the whole ward:")
        + note,
        choices,
    )


async def _preview(ctx: Context, data: NewCall) -> None:
    _ = ctx._
    ward = await _ward(ctx, data)
    call = data.draft().preview(ward)
    listening = await organising.call_audience(
        ctx.uow, await ctx.officers(), ward.id, data.alleys or []
    )
    ctx.say(
        _("This is how residents will read it:")
        + "\n\n"
        + call_card(_, call, ctx.language)
        + "\n\n"
        + ctx.ngettext(
            "It goes to {count} resident, with buttons to join or say they cannot.",
            "It goes to {count} residents, with buttons to join or say they cannot.",
            listening,
        ).format(count=listening),
        [Choice(_("Send it"), SEND), Choice(_("Cancel"), "cancel")],
    )


async def _ward(ctx: Context, data: NewCall) -> Ward:
    ward = await organised_ward(ctx, data.ward)
    if ward is None:  # their role was taken away in the middle of the dialogue
        raise NotAllowed()
    return ward


def typed_hours(ctx: Context, text: str, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
    """A call's day and hours as typed ("5/12 07:00-10:00"), in the ward's zone; None, with the
    forms said again, when they cannot be read. Hours that end before they start end the next
    morning."""
    found = HOURS.match(text.strip())
    today = ctx.now.astimezone(zone).date()
    starts = local_time(f"{found[1]} {found[2]}", zone, today) if found else None
    ends = local_time(f"{found[1]} {found[3]}", zone, today) if found else None
    if starts is None or ends is None:
        ctx.say(
            ctx._(
                "Please write the day and the hours so: 5/12 07:00-10:00, or with the year: "
                "05/12/2026 07:00-10:00 or 2026-12-05 07:00-10:00"
            )
        )
        return None
    if ends <= starts:
        ends += timedelta(days=1)  # a night's work ends the next morning
    return starts, ends


def local_time(text: str, zone: ZoneInfo, today: date) -> datetime | None:
    """A day (day first, or ISO) and a time of day, typed as "5/12 07:00", in the ward's zone."""
    day_text, _space, time_text = text.strip().partition(" ")
    moment = parse_moment(day_text, time_text.strip(), today)
    return None if moment is None else moment.replace(tzinfo=zone)
