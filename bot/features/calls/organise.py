"""Organisers' volunteer calls: /newcall, /calls with each call's volunteers, a note to them,
closing a call with its results, and /offers to invite residents who offered help."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.chat.context import Context
from bot.chat.events import Incoming, Kind
from bot.chat.plain import is_number
from bot.chat.replies import Choice
from bot.features.audience import DONE, WHOLE_WARD, audience_choices, picked
from bot.features.calls.wording import (
    KIND_NAMES,
    MEASURE_QUESTIONS,
    OFFER_NAMES,
    CallWording,
    amount,
    call_card,
    results_lines,
    when,
)
from bot.features.general.handlers import out_of_date
from core import volunteers
from core.errors import (
    CallNotFound,
    CallNotOver,
    InvalidCall,
    NotAllowed,
    OfferNotFound,
    SignupsClosed,
    TextTooLong,
)
from core.mobilisation import (
    MAX_AHEAD,
    MAX_PLACE,
    MAX_SLOTS,
    MAX_TEXT,
    MAX_TITLE,
    MAY_ORGANISE,
    MEASURES_OF,
    Attendance,
    CallDraft,
    CallKind,
    CallState,
    Measure,
    OfferKind,
    Roster,
    SignupStatus,
    VolunteerCall,
)
from core.model import Ward
from core.reports import MAY_TRIAGE

NEWCALL = "newcall"
NOTE = "callnote"
CLOSE = "closecall"
# What /newcall asks, in order; a call started from a report arrives with some already known.
FIELDS = ("ward", "kind", "title", "when", "where", "slots", "deadline", "bring", "alleys")
HOURS = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})\s*[-\u2013]\s*(\d{1,2}:\d{2})$")
ALL_KINDS = "all"
WHERE_KINDS = frozenset({Kind.TEXT, Kind.LOCATION})


async def new_call(ctx: Context, event: Incoming) -> None:
    """Start a volunteer call, asking for each thing residents need to know."""
    wards = await _wards(ctx)
    data: dict[str, object] = {"ward": wards[0].id} if len(wards) == 1 else {}
    ctx.begin(NEWCALL, FIELDS[0], **data)
    await _ask_next(ctx)


async def start_prefilled(
    ctx: Context,
    ward_id: int,
    kind: CallKind,
    place: str | None,
    location: tuple[float, float] | None,
    report_id: int | None,
) -> None:
    """Start /newcall with its ward and kind, and its place when known (from a report)."""
    ctx.begin(NEWCALL, FIELDS[0], ward=ward_id, kind=kind.value, report=report_id)
    if place is not None or location is not None:
        latitude, longitude = location if location is not None else (None, None)
        assert ctx.dialogue is not None
        ctx.dialogue.data.update(where=True, place=place, lat=latitude, lon=longitude)
    await _ask_next(ctx)


async def pick_ward(ctx: Context, args: list[str]) -> None:
    """The ward a new call is for."""
    wards = {ward.id for ward in await _wards(ctx)}
    if not _at(ctx, NEWCALL, "ward") or len(args) != 1 or not is_number(args[0]):
        await out_of_date(ctx, args)
        return
    if int(args[0]) not in wards:
        await out_of_date(ctx, args)
        return
    await _set(ctx, ward=int(args[0]))


async def pick_kind(ctx: Context, args: list[str]) -> None:
    """The kind of work a new call is for."""
    if not _at(ctx, NEWCALL, "kind") or len(args) != 1 or args[0] not in set(CallKind):
        await out_of_date(ctx, args)
        return
    await _set(ctx, kind=args[0])


async def title_typed(ctx: Context, event: Incoming) -> None:
    """The call's title, as residents will read it."""
    _ = ctx._
    title = event.text.strip()
    if not title or len(title) > MAX_TITLE:
        ctx.say(_("Please write a title of at most {limit} characters.").format(limit=MAX_TITLE))
        return
    await _set(ctx, title=title)


async def when_typed(ctx: Context, event: Incoming) -> None:
    """The day and hours of the call, in the ward's time."""
    _ = ctx._
    zone = ZoneInfo((await _ward(ctx)).timezone)
    found = HOURS.match(event.text.strip())
    starts = _local(f"{found[1]} {found[2]}", zone) if found else None
    ends = _local(f"{found[1]} {found[3]}", zone) if found else None
    if starts is None or ends is None:
        ctx.say(_("Please write the day and the hours so: 2026-12-05 07:00-10:00"))
        return
    if starts <= ctx.now:
        ctx.say(_("That time has passed; please give a time to come."))
        return
    if starts > ctx.now + MAX_AHEAD:
        ctx.say(_("That is more than a year ahead; please check the year."))
        return
    if ends <= starts:
        ends += timedelta(days=1)  # a night's work ends the next morning
    await _set(ctx, when=[starts.isoformat(), ends.isoformat()])


async def where_given(ctx: Context, event: Incoming) -> None:
    """Where volunteers meet: a pin on the map, or a place in words."""
    _ = ctx._
    if event.kind is Kind.LOCATION and event.location is not None:
        await _set(ctx, where=True, place=None, lat=event.location[0], lon=event.location[1])
        return
    place = event.text.strip()
    if not place or len(place) > MAX_PLACE:
        ctx.say(_("Please send a location pin, or write the place in at most 300 characters."))
        return
    await _set(ctx, where=True, place=place, lat=None, lon=None)


async def slots_typed(ctx: Context, event: Incoming) -> None:
    """How many volunteers the call needs."""
    _ = ctx._
    text = event.text.strip()
    if not is_number(text) or not 1 <= int(text) <= MAX_SLOTS:
        ctx.say(_("Please write a number from 1 to {most}.").format(most=MAX_SLOTS))
        return
    await _set(ctx, slots=int(text))


async def deadline_typed(ctx: Context, event: Incoming) -> None:
    """Until when residents may sign up."""
    _ = ctx._
    ward = await _ward(ctx)
    deadline = _local(event.text.strip(), ZoneInfo(ward.timezone))
    starts = _draft_times(ctx)[0]
    if deadline is None:
        ctx.say(_("Please write the deadline so: 2026-12-04 20:00"))
        return
    if not ctx.now < deadline <= starts:
        ctx.say(_("The deadline must be still to come, and not after the call starts."))
        return
    await _set(ctx, deadline=deadline.isoformat())


async def no_deadline(ctx: Context, args: list[str]) -> None:
    """Residents may sign up until the call starts."""
    if not _at(ctx, NEWCALL, "deadline"):
        await out_of_date(ctx, args)
        return
    await _set(ctx, deadline=None)


async def bring_typed(ctx: Context, event: Incoming) -> None:
    """What volunteers should bring."""
    _ = ctx._
    bring = event.text.strip()
    if not bring or len(bring) > MAX_TEXT:
        ctx.say(_("Please write what to bring, or press “Nothing special”."))
        return
    await _set(ctx, bring=bring)


async def nothing_to_bring(ctx: Context, args: list[str]) -> None:
    """Volunteers need bring nothing in particular."""
    if not _at(ctx, NEWCALL, "bring"):
        await out_of_date(ctx, args)
        return
    await _set(ctx, bring=None)


async def pick_alleys(ctx: Context, args: list[str]) -> None:
    """Whose followers hear of the call: tick alleys, or take the whole ward."""
    if not _at(ctx, NEWCALL, "alleys") or len(args) != 1:
        await out_of_date(ctx, args)
        return
    assert ctx.dialogue is not None
    chosen = [int(str(a)) for a in _list(ctx.dialogue.data.get("chosen"))]
    if args[0] == DONE and chosen:
        await _set(ctx, alleys=chosen)
        return
    ward = await _ward(ctx)
    now_chosen = await picked(ctx, ward.id, chosen, args[0])
    if now_chosen is None:
        await out_of_date(ctx, args)
        return
    if args[0] == WHOLE_WARD:
        await _set(ctx, alleys=now_chosen)
        return
    ctx.dialogue.data["chosen"] = now_chosen
    await _ask_alleys(ctx)


async def send_call(ctx: Context, args: list[str]) -> None:
    """Open the call previewed, and invite the followers of the alleys chosen."""
    _ = ctx._
    if not _at(ctx, NEWCALL, "preview"):
        await out_of_date(ctx, args)
        return
    assert ctx.dialogue is not None
    alleys = [int(str(a)) for a in _list(ctx.dialogue.data["alleys"])]
    try:
        call, invited = await volunteers.open_call(
            ctx.uow, await ctx.officers(), _draft(ctx), alleys, ctx.now, _wording(ctx)
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


async def list_calls(ctx: Context, event: Incoming) -> None:
    """List the calls of the organiser's wards, the latest first, with their sign-ups."""
    _ = ctx._
    found = await volunteers.calls_of(ctx.uow, await ctx.officers())
    if not found:
        ctx.say(_("There are no volunteer calls yet. Send /newcall to make one."))
        return
    lines = [_("Volunteer calls:")]
    choices = []
    for call, counts in found:
        state = _("open") if call.state is CallState.OPEN else _("closed")
        lines.append(
            _(
                "#{number} {title} ({state}): {when}; {joined} of {slots} joined, "
                "{waiting} on the waitlist"
            ).format(
                number=call.id,
                title=call.title,
                state=state,
                when=when(call, ctx.language),
                joined=counts.get(SignupStatus.JOINED, 0),
                slots=call.slots,
                waiting=counts.get(SignupStatus.WAITLISTED, 0),
            )
        )
        choices.append(Choice(f"#{call.id} {call.title}"[:60], f"cl:{call.id}"))
    ctx.say("\n".join(lines), choices)


async def show_call(ctx: Context, args: list[str]) -> None:
    """One call with the names of its volunteers and waitlist, and what can be done with it."""
    _ = ctx._
    roster = await _roster(ctx, args)
    if roster is None:
        return
    call = roster.call
    lines = [call_card(_, call, ctx.language), ""]
    lines.append(
        _("Joined ({count} of {slots}):").format(count=len(roster.joined), slots=call.slots)
    )
    lines += [f"{n}. {_name(ctx, s.volunteer.name)}" for n, s in enumerate(roster.joined, 1)]
    if roster.waitlisted:
        lines.append(_("Waitlist:"))
        lines += [
            f"{n}. {_name(ctx, s.volunteer.name)}" for n, s in enumerate(roster.waitlisted, 1)
        ]
    lines.append(
        _("Cannot come: {declined}; gave up their place: {left}.").format(
            declined=roster.declined, left=roster.left
        )
    )
    choices = []
    if call.state is CallState.CLOSED:
        came = sum(1 for s in roster.joined if s.attended)
        lines.append(
            _("Closed: {came} of {joined} came.").format(came=came, joined=len(roster.joined))
        )
        lines += ["• " + line for line in results_lines(_, call.results)]
    else:
        choices = [
            Choice(_("Write to the volunteers"), f"clmsg:{call.id}"),
            Choice(_("Invite people who offered help"), f"cloff:{call.id}"),
            Choice(_("Close with results"), f"clend:{call.id}"),
        ]
    ctx.say("\n".join(lines), choices)


async def ask_note(ctx: Context, args: list[str]) -> None:
    """Ask for the note to send to a call's volunteers."""
    _ = ctx._
    roster = await _roster(ctx, args)
    if roster is None:
        return
    count = len(roster.joined) + len(roster.waitlisted)
    ctx.begin(NOTE, "text", call=roster.call.id)
    ctx.say(
        ctx.ngettext(
            "Write your message to the {count} volunteer of {title}; it goes as you write it.",
            "Write your message to the {count} volunteers of {title}; it goes as you write it.",
            count,
        ).format(count=count, title=roster.call.title)
    )


async def note_typed(ctx: Context, event: Incoming) -> None:
    """Send the note to everyone with a place or on the waitlist."""
    _ = ctx._
    assert ctx.dialogue is not None
    call_id = int(str(ctx.dialogue.data["call"]))
    try:
        sent = await volunteers.message_volunteers(
            ctx.uow, await ctx.officers(), call_id, event.text, _wording(ctx)
        )
    except TextTooLong as error:
        ctx.say(_("Please keep it to {limit} characters.").format(limit=error.limit))
        return
    except CallNotFound:
        ctx.end()
        await out_of_date(ctx, [])
        return
    ctx.end()
    ctx.say(
        ctx.ngettext("Sent to {count} volunteer.", "Sent to {count} volunteers.", sent).format(
            count=sent
        )
    )


async def ask_attendance(ctx: Context, args: list[str]) -> None:
    """Begin closing a call: who came."""
    _ = ctx._
    roster = await _roster(ctx, args)
    if roster is None:
        return
    call = roster.call
    if call.state is not CallState.OPEN:
        await out_of_date(ctx, args)
        return
    if ctx.now < call.starts_at:
        ctx.say(
            _("Its results can be recorded once it has started ({when}).").format(
                when=when(call, ctx.language)
            )
        )
        return
    ctx.begin(CLOSE, "came", call=call.id, came=[s.volunteer.resident_id for s in roster.joined])
    if not roster.joined:
        await _set_close(ctx, call, hours=0.0)
        return
    await _ask_came(ctx, roster)


async def toggle_came(ctx: Context, args: list[str]) -> None:
    """Mark a volunteer as come, or not."""
    roster = await _closing(ctx, "came", args)
    if roster is None or len(args) != 1 or not is_number(args[0]):
        await out_of_date(ctx, args)
        return
    assert ctx.dialogue is not None
    resident = int(args[0])
    if resident not in {s.volunteer.resident_id for s in roster.joined}:
        await out_of_date(ctx, args)
        return
    came = [int(str(c)) for c in _list(ctx.dialogue.data["came"])]
    ctx.dialogue.data["came"] = (
        [c for c in came if c != resident]
        if resident in came
        else [
            *came,
            resident,
        ]
    )
    await _ask_came(ctx, roster)


async def attendance_done(ctx: Context, args: list[str]) -> None:
    """Who came is settled: ask for the hours."""
    _ = ctx._
    roster = await _closing(ctx, "came", args)
    if roster is None:
        await out_of_date(ctx, args)
        return
    assert ctx.dialogue is not None
    ctx.dialogue.step = "hours"
    length = amount(round(roster.call.hours, 1))
    ctx.say(
        _("How many hours did each volunteer give? Write a number, or:"),
        [Choice(_("{hours} h, the call's length").format(hours=length), f"clh:{length}")],
    )


async def hours_typed(ctx: Context, event: Incoming) -> None:
    """The hours each volunteer gave."""
    await _hours(ctx, event.text)


async def hours_choice(ctx: Context, args: list[str]) -> None:
    """The call's length, as the hours each volunteer gave."""
    if not _at(ctx, CLOSE, "hours") or len(args) != 1:
        await out_of_date(ctx, args)
        return
    await _hours(ctx, args[0])


async def measure_typed(ctx: Context, event: Incoming) -> None:
    """How much of one thing the call achieved."""
    _ = ctx._
    value = _number(event.text)
    if value is None:
        ctx.say(_("Please write a number (0 or more), or press “Skip”."))
        return
    await _measured(ctx, value)


async def skip_measure(ctx: Context, args: list[str]) -> None:
    """Nothing of this kind to count."""
    if not _at(ctx, CLOSE, "measure"):
        await out_of_date(ctx, args)
        return
    await _measured(ctx, None)


async def close_confirmed(ctx: Context, args: list[str]) -> None:
    """Close the call with the results gathered, and thank those who came."""
    _ = ctx._
    if not _at(ctx, CLOSE, "confirm"):
        await out_of_date(ctx, args)
        return
    assert ctx.dialogue is not None
    data = ctx.dialogue.data
    came = frozenset(int(str(c)) for c in _list(data["came"]))
    results = {Measure(k): float(str(v)) for k, v in _dict(data["results"]).items()}
    try:
        call = await volunteers.close_call(
            ctx.uow,
            await ctx.officers(),
            int(str(data["call"])),
            results,
            Attendance(came, float(str(data["hours"]))),
            ctx.now,
            _wording(ctx),
        )
    except (CallNotFound, CallNotOver, InvalidCall):
        ctx.end()
        await out_of_date(ctx, args)
        return
    ctx.end()
    choices = []
    triages = any(o.ward.id == call.ward.id and o.role in MAY_TRIAGE for o in await ctx.officers())
    if call.report_id is not None and triages:
        choices.append(
            Choice(
                _("Mark report #{number} resolved").format(number=call.report_id),
                f"callresolve:{call.id}",
            )
        )
    ctx.say(
        ctx.ngettext(
            "Closed: {title}. A thank-you is on its way to the {count} volunteer who came.",
            "Closed: {title}. Thank-yous are on their way to the {count} volunteers who came.",
            len(came),
        ).format(title=call.title, count=len(came)),
        choices,
    )


async def find_offers(ctx: Context, event: Incoming) -> None:
    """Search residents' offers of help: by ward, then by kind."""
    _ = ctx._
    wards = await _wards(ctx)
    if len(wards) == 1:
        await _ask_offer_kind(ctx, wards[0])
        return
    ctx.say(_("Offers in which ward?"), [Choice(w.name, f"ofw:{w.id}") for w in wards])


async def offers_in_ward(ctx: Context, args: list[str]) -> None:
    """The ward picked: ask which kind of offer."""
    ward = await _organised_ward(ctx, args[0] if len(args) == 1 else "")
    if ward is None:
        await out_of_date(ctx, args)
        return
    await _ask_offer_kind(ctx, ward)


async def list_offers(ctx: Context, args: list[str]) -> None:
    """The ward's offers of one kind (or all), each with a button to invite its resident."""
    _ = ctx._
    ward = await _organised_ward(ctx, args[0] if len(args) == 2 else "")
    kinds = {*OfferKind, ALL_KINDS}
    if ward is None or args[1] not in kinds:
        await out_of_date(ctx, args)
        return
    kind = None if args[1] == ALL_KINDS else OfferKind(args[1])
    offers = await volunteers.find_offers(ctx.uow, await ctx.officers(), ward.id, kind)
    if not offers:
        ctx.say(_("No offers of that kind in {ward} yet.").format(ward=ward.name))
        return
    lines = [_("Offers of help in {ward}:").format(ward=ward.name)]
    choices = []
    for offer in offers:
        line = f"• {_name(ctx, offer.resident.name)} ({_(OFFER_NAMES[offer.kind])}): "
        line += offer.description
        if offer.available:
            line += " — " + _("free: {when}").format(when=offer.available)
        lines.append(line)
        label = _("Invite {name}").format(name=_name(ctx, offer.resident.name))
        choices.append(Choice(label[:60], f"ofinv:{offer.id}"))
    ctx.say("\n".join(lines), choices)


async def offers_for_call(ctx: Context, args: list[str]) -> None:
    """The offers of a call's ward, each with a button to invite its resident to the call."""
    _ = ctx._
    roster = await _roster(ctx, args)
    if roster is None:
        return
    call = roster.call
    offers = await volunteers.find_offers(ctx.uow, await ctx.officers(), call.ward.id, None)
    if not offers:
        ctx.say(_("No one in {ward} has offered help yet.").format(ward=call.ward.name))
        return
    lines = [_("Who to invite to {title}?").format(title=call.title)]
    choices = []
    for offer in offers:
        lines.append(
            f"• {_name(ctx, offer.resident.name)} ({_(OFFER_NAMES[offer.kind])}): "
            f"{offer.description}"
        )
        label = _("Invite {name}").format(name=_name(ctx, offer.resident.name))
        choices.append(Choice(label[:60], f"clinv:{call.id}:{offer.id}"))
    ctx.say("\n".join(lines), choices)


async def pick_call_for_offer(ctx: Context, args: list[str]) -> None:
    """Ask which open call of the offer's ward to invite its resident to."""
    _ = ctx._
    offer = None
    if len(args) == 1 and is_number(args[0]):
        offer = await ctx.uow.volunteers.offer(int(args[0]))
    if offer is None or await _organised_ward(ctx, str(offer.ward.id)) is None:
        await out_of_date(ctx, args)
        return
    calls = await ctx.uow.volunteers.calls([offer.ward.id], open_only=True, limit=20)
    calls = [call for call in calls if call.open_for_signups(ctx.now)]
    if not calls:
        ctx.say(
            _("{ward} has no call taking sign-ups. Send /newcall to make one.").format(
                ward=offer.ward.name
            )
        )
        return
    ctx.say(
        _("Invite {name} to which call?").format(name=_name(ctx, offer.resident.name)),
        [Choice(f"#{c.id} {c.title}"[:60], f"clinv:{c.id}:{offer.id}") for c in calls],
    )


async def invite(ctx: Context, args: list[str]) -> None:
    """Invite the resident behind an offer to a call."""
    _ = ctx._
    if len(args) != 2 or not all(is_number(a) for a in args):
        await out_of_date(ctx, args)
        return
    try:
        offer, call, first = await volunteers.invite_from_offer(
            ctx.uow, await ctx.officers(), int(args[1]), int(args[0]), ctx.now, _wording(ctx)
        )
    except (OfferNotFound, CallNotFound):
        await out_of_date(ctx, args)
        return
    except SignupsClosed:
        ctx.say(_("That call takes no more sign-ups."))
        return
    name = _name(ctx, offer.resident.name)
    if first:
        ctx.say(_("{name} is invited to {title}.").format(name=name, title=call.title))
    else:
        ctx.say(_("{name} was already invited to {title}.").format(name=name, title=call.title))


async def _ask_next(ctx: Context) -> None:
    """Ask for the first thing the new call still lacks, or preview it when it lacks none."""
    _ = ctx._
    assert ctx.dialogue is not None
    missing = [field for field in FIELDS if field not in ctx.dialogue.data]
    if not missing:
        await _preview(ctx)
        return
    field = ctx.dialogue.step = missing[0]
    match field:
        case "ward":
            wards = await _wards(ctx)
            ctx.say(
                _("Which ward is the call for?"), [Choice(w.name, f"ncw:{w.id}") for w in wards]
            )
        case "kind":
            ctx.say(
                _("What kind of work?"),
                [Choice(_(name), f"nck:{kind.value}") for kind, name in KIND_NAMES.items()],
            )
        case "title":
            ctx.say(_("Its title, as residents will read it (e.g. Clean the Cái Khế canal):"))
        case "when":
            ctx.say(
                _("When? Write the day and the hours, in the ward's time: 2026-12-05 07:00-10:00")
            )
        case "where":
            ctx.say(_("Where do volunteers meet? Send a location pin, or write the place."))
        case "slots":
            ctx.say(_("How many volunteers are needed?"))
        case "deadline":
            ctx.say(
                _("Until when can residents sign up? Write it as 2026-12-04 20:00, or:"),
                [Choice(_("Until it starts"), "ncdl")],
            )
        case "bring":
            ctx.say(
                _("What should volunteers bring (gloves, a broom…)?"),
                [Choice(_("Nothing special"), "ncbring")],
            )
        case _:
            await _ask_alleys(ctx)


async def _ask_alleys(ctx: Context) -> None:
    _ = ctx._
    assert ctx.dialogue is not None
    chosen = [int(str(a)) for a in _list(ctx.dialogue.data.get("chosen"))]
    ward = await _ward(ctx)
    ctx.say(
        _("Who should hear of it? Tick alleys (their followers are told) or the whole ward:"),
        await audience_choices(ctx, ward.id, chosen, "nca"),
    )


async def _preview(ctx: Context) -> None:
    _ = ctx._
    assert ctx.dialogue is not None
    ctx.dialogue.step = "preview"
    ward = await _ward(ctx)
    draft = _draft(ctx)
    call = VolunteerCall(
        id=0,
        ward=ward,
        kind=draft.kind,
        title=draft.title,
        starts_at=draft.starts_at,
        ends_at=draft.ends_at,
        slots=draft.slots,
        state=CallState.OPEN,
        place=draft.place,
        location=draft.location,
        signup_deadline=draft.signup_deadline,
        bring=draft.bring,
    )
    alleys = [int(str(a)) for a in _list(ctx.dialogue.data["alleys"])]
    listening, _muted = await ctx.uow.announcements.audience_size(alleys)
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
        [Choice(_("Send it"), "ncsend"), Choice(_("Cancel"), "cancel")],
    )


async def _set(ctx: Context, **values: object) -> None:
    assert ctx.dialogue is not None
    ctx.dialogue.data.update(values)
    await _ask_next(ctx)


def _at(ctx: Context, dialogue: str, step: str) -> bool:
    return ctx.dialogue is not None and (ctx.dialogue.name, ctx.dialogue.step) == (dialogue, step)


async def _wards(ctx: Context) -> list[Ward]:
    """The wards the person organises in (the command's guard made sure there is one)."""
    wards: dict[int, Ward] = {}
    for officer in await ctx.officers():
        if officer.role in MAY_ORGANISE:
            wards[officer.ward.id] = officer.ward
    return sorted(wards.values(), key=lambda ward: ward.name)


async def _organised_ward(ctx: Context, ward_id: str) -> Ward | None:
    return next((w for w in await _wards(ctx) if str(w.id) == ward_id), None)


async def _ward(ctx: Context) -> Ward:
    assert ctx.dialogue is not None
    ward = await _organised_ward(ctx, str(ctx.dialogue.data["ward"]))
    if ward is None:  # their role was taken away in the middle of the dialogue
        raise NotAllowed()
    return ward


def _draft_times(ctx: Context) -> tuple[datetime, datetime]:
    assert ctx.dialogue is not None
    starts, ends = _list(ctx.dialogue.data["when"])
    return datetime.fromisoformat(str(starts)), datetime.fromisoformat(str(ends))


def _draft(ctx: Context) -> CallDraft:
    assert ctx.dialogue is not None
    data = ctx.dialogue.data
    starts, ends = _draft_times(ctx)
    location = None
    if data.get("lat") is not None and data.get("lon") is not None:
        location = (float(str(data["lat"])), float(str(data["lon"])))
    deadline = data.get("deadline")
    return CallDraft(
        ward_id=int(str(data["ward"])),
        kind=CallKind(str(data["kind"])),
        title=str(data["title"]),
        starts_at=starts,
        ends_at=ends,
        slots=int(str(data["slots"])),
        place=str(data["place"]) if data.get("place") else None,
        location=location,
        signup_deadline=datetime.fromisoformat(str(deadline)) if deadline else None,
        bring=str(data["bring"]) if data.get("bring") else None,
        report_id=int(str(data["report"])) if data.get("report") else None,
    )


async def _roster(ctx: Context, args: list[str]) -> Roster | None:
    """The call on the button, for an organiser of its ward; None (answered) otherwise."""
    if len(args) != 1 or not is_number(args[0]):
        await out_of_date(ctx, args)
        return None
    try:
        return await volunteers.roster(ctx.uow, await ctx.officers(), int(args[0]))
    except CallNotFound:
        await out_of_date(ctx, args)
        return None


async def _closing(ctx: Context, step: str, args: list[str]) -> Roster | None:
    if not _at(ctx, CLOSE, step):
        return None
    assert ctx.dialogue is not None
    try:
        return await volunteers.roster(
            ctx.uow, await ctx.officers(), int(str(ctx.dialogue.data["call"]))
        )
    except CallNotFound:
        return None


async def _ask_came(ctx: Context, roster: Roster) -> None:
    _ = ctx._
    assert ctx.dialogue is not None
    came = {int(str(c)) for c in _list(ctx.dialogue.data["came"])}
    choices = [
        Choice(
            ("✅ " if s.volunteer.resident_id in came else "▫️ ") + _name(ctx, s.volunteer.name),
            f"clc:{s.volunteer.resident_id}",
        )
        for s in roster.joined
    ]
    choices.append(Choice(_("Done"), "clcd"))
    ctx.say(
        _("Who came to {title}? Tap a name to change it (✅ came).").format(
            title=roster.call.title
        ),
        choices,
    )


async def _hours(ctx: Context, text: str) -> None:
    _ = ctx._
    hours = _number(text)
    if hours is None or hours > volunteers.MAX_HOURS:
        ctx.say(_("Please write the hours as a number from 0 to 24."))
        return
    assert ctx.dialogue is not None
    call = await ctx.uow.volunteers.call(int(str(ctx.dialogue.data["call"])))
    if call is None:
        ctx.end()
        await out_of_date(ctx, [])
        return
    await _set_close(ctx, call, hours)


async def _set_close(ctx: Context, call: VolunteerCall, hours: float) -> None:
    assert ctx.dialogue is not None
    ctx.dialogue.data.update(
        hours=hours, results={}, measures=[m.value for m in MEASURES_OF[call.kind]]
    )
    await _ask_measure(ctx, call)


async def _measured(ctx: Context, value: float | None) -> None:
    assert ctx.dialogue is not None
    measures = _list(ctx.dialogue.data["measures"])
    results = _dict(ctx.dialogue.data["results"])
    if value is not None:
        results[str(measures[0])] = value
    ctx.dialogue.data.update(measures=measures[1:], results=results)
    call = await ctx.uow.volunteers.call(int(str(ctx.dialogue.data["call"])))
    if call is None:
        ctx.end()
        await out_of_date(ctx, [])
        return
    await _ask_measure(ctx, call)


async def _ask_measure(ctx: Context, call: VolunteerCall) -> None:
    """Ask for the next result to count; with none left, ask to confirm."""
    _ = ctx._
    assert ctx.dialogue is not None
    measures = _list(ctx.dialogue.data["measures"])
    if measures:
        ctx.dialogue.step = "measure"
        question = MEASURE_QUESTIONS[Measure(str(measures[0]))]
        ctx.say(_(question), [Choice(_("Skip"), "clm")])
        return
    ctx.dialogue.step = "confirm"
    data = ctx.dialogue.data
    results = {Measure(k): float(str(v)) for k, v in _dict(data["results"]).items()}
    lines = [
        _("Close {title}: {came} came, {hours} h each.").format(
            title=call.title,
            came=len(_list(data["came"])),
            hours=amount(float(str(data["hours"]))),
        )
    ]
    lines += ["• " + line for line in results_lines(_, results)]
    ctx.say("\n".join(lines), [Choice(_("Close it"), "clok"), Choice(_("Cancel"), "cancel")])


def _wording(ctx: Context) -> CallWording:
    return CallWording(ctx.catalogues, ctx.default_language, ctx.now)


def _name(ctx: Context, name: str | None) -> str:
    return name or ctx._("a resident")


def _local(text: str, zone: ZoneInfo) -> datetime | None:
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=zone)
    except ValueError:
        return None


def _number(text: str) -> float | None:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _dict(value: object) -> dict[str, object]:
    return dict(value) if isinstance(value, dict) else {}


async def _ask_offer_kind(ctx: Context, ward: Ward) -> None:
    _ = ctx._
    choices = [
        Choice(_(name), f"ofk:{ward.id}:{kind.value}") for kind, name in OFFER_NAMES.items()
    ]
    choices.append(Choice(_("All kinds"), f"ofk:{ward.id}:{ALL_KINDS}"))
    ctx.say(_("Which offers of help in {ward}?").format(ward=ward.name), choices)
