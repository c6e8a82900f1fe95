"""The words of volunteer calls, in each reader's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.chat.i18n import N_, Catalogues
from bot.chat.render import day_name, hhmm
from bot.chat.replies import Choice, Document, Reply
from bot.features.bell.ics import call_calendar
from core.mobilisation import (
    REMIND_DAY_BEFORE,
    CallKind,
    Measure,
    OfferKind,
    Recipient,
    VolunteerCall,
)
from core.model import Worded

Gettext = Callable[[str], str]

# The buttons under a call that residents answer it with; they go out in invitations and
# reminders, so they are made here and answered in `volunteer`.
JOIN = "join"
DECLINE = "decline"
LEAVE = "leave"

KIND_NAMES: Mapping[CallKind, str] = {
    CallKind.CLEAN_UP: N_("clean-up"),
    CallKind.LIGHTING: N_("lighting a road"),
    CallKind.REPAIR: N_("house repair"),
    CallKind.MEALS: N_("compassion meals"),
    CallKind.OTHER: N_("other work"),
}
OFFER_NAMES: Mapping[OfferKind, str] = {
    OfferKind.LABOUR: N_("labour"),
    OfferKind.MATERIALS: N_("materials"),
    OfferKind.MONEY: N_("money"),
    OfferKind.TRANSPORT: N_("transport"),
    OfferKind.SKILL: N_("a skill"),
}
# Each with its unit, as "{amount} kg of garbage collected".
MEASURE_AMOUNTS: Mapping[Measure, str] = {
    Measure.GARBAGE_KG: N_("{amount} kg of garbage collected"),
    Measure.CANAL_METRES: N_("{amount} m of canal cleaned"),
    Measure.LIGHTS: N_("{amount} lights installed"),
    Measure.MEALS: N_("{amount} meals served"),
}
MEASURE_QUESTIONS: Mapping[Measure, str] = {
    Measure.GARBAGE_KG: N_("How many kilograms of garbage were collected?"),
    Measure.CANAL_METRES: N_("How many metres of canal were cleaned?"),
    Measure.LIGHTS: N_("How many lights were installed?"),
    Measure.MEALS: N_("How many meals were served?"),
}


def amount(value: float) -> str:
    """A number as people write it: no ".0" on whole ones."""
    return f"{value:g}"


def when(call: VolunteerCall, language: str) -> str:
    """When the call is, in its ward's time: "Saturday 05/12, 07:00-10:00"."""
    zone = ZoneInfo(call.ward.timezone)
    starts, ends = call.starts_at.astimezone(zone), call.ends_at.astimezone(zone)
    text = f"{day_name(starts.date(), language)}, {hhmm(starts)}-{hhmm(ends)}"
    if ends.date() != starts.date():
        text = f"{day_name(starts.date(), language)} {hhmm(starts)} - "
        text += f"{day_name(ends.date(), language)} {hhmm(ends)}"
    return text


def moment(at: datetime, zone: str, language: str) -> str:
    local = at.astimezone(ZoneInfo(zone))
    return f"{day_name(local.date(), language)} {hhmm(local)}"


def results_lines(_: Gettext, results: Mapping[Measure, float]) -> list[str]:
    return [
        _(MEASURE_AMOUNTS[measure]).format(amount=amount(value))
        for measure, value in results.items()
        if value
    ]


def call_card(
    _: Gettext, call: VolunteerCall, language: str, places_left: int | None = None
) -> str:
    """The call as residents read it; the organiser's words exactly as typed."""
    lines = [
        "🤝 " + call.title,
        _("What: {kind}, {ward}").format(kind=_(KIND_NAMES[call.kind]), ward=call.ward.name),
        _("When: {when}").format(when=when(call, language)),
    ]
    if call.place:
        lines.append(_("Where: {place}").format(place=call.place))
    elif call.location is not None:
        lines.append(_("Where: at the pin on the map below"))
    if places_left is None:
        lines.append(_("Volunteers needed: {slots}").format(slots=call.slots))
    else:
        lines.append(
            _("Volunteers needed: {slots} (still free: {left})").format(
                slots=call.slots, left=places_left
            )
        )
    if call.signup_deadline is not None:
        lines.append(
            _("Sign up by: {deadline}").format(
                deadline=moment(call.signup_deadline, call.ward.timezone, language)
            )
        )
    if call.bring:
        lines.append(_("Bring: {bring}").format(bring=call.bring))
    return "\n".join(lines)


def join_choices(_: Gettext, call: VolunteerCall) -> list[Choice]:
    return [
        Choice(_("I'll join"), f"{JOIN}:{call.id}"),
        Choice(_("I can't"), f"{DECLINE}:{call.id}"),
    ]


def leave_choice(_: Gettext, call: VolunteerCall) -> Choice:
    return Choice(_("I can't come after all"), f"{LEAVE}:{call.id}")


def call_document(_: Gettext, call: VolunteerCall, language: str, stamp: datetime) -> Document:
    """The call as a calendar file, for a volunteer's phone."""
    content = call_calendar(
        call,
        summary=call.title,
        description=call_card(_, call, language),
        stamp=stamp,
    )
    return Document(f"volunteer-{call.id}.ics", content)


class Words:
    """Catalogues, and the language of whoever a message is for."""

    def __init__(self, catalogues: Catalogues, default_language: str) -> None:
        self.catalogues = catalogues
        self.default_language = default_language

    def of(self, to: Recipient) -> tuple[Gettext, str]:
        language = self.catalogues.pick(to.language, to.platform_language, self.default_language)
        return self.catalogues.get(language).gettext, language


class CallWording(Words):
    """The messages a volunteer call causes (see `core.volunteers.CallNotices`)."""

    def __init__(self, catalogues: Catalogues, default_language: str, stamp: datetime) -> None:
        super().__init__(catalogues, default_language)
        self.stamp = stamp
        # A call goes to a ward in a language or two: each invitation is worded once.
        self._invitations: dict[tuple[int, str], Worded] = {}

    def invitation(self, call: VolunteerCall, to: Recipient) -> Worded:
        _, language = self.of(to)
        key = (call.id, language)
        if key not in self._invitations:
            text = _("🤝 Volunteers wanted!") + "\n\n" + call_card(_, call, language)
            self._invitations[key] = Reply(
                text, tuple(join_choices(_, call)), location=call.location
            ).worded()
        return self._invitations[key]

    def reminder(self, call: VolunteerCall, to: Recipient, before: timedelta) -> Worded:
        _, language = self.of(to)
        if before >= REMIND_DAY_BEFORE:
            first = _("⏰ Tomorrow you volunteer: {title}.")
        else:
            first = _("⏰ In an hour you volunteer: {title}.")
        text = first.format(title=call.title) + "\n\n" + call_card(_, call, language)
        return Reply(text, (leave_choice(_, call),), location=call.location).worded()

    def promoted(self, call: VolunteerCall, to: Recipient) -> Worded:
        _, language = self.of(to)
        text = (
            _("🎉 A place opened and it is yours: you volunteer for {title}.").format(
                title=call.title
            )
            + "\n\n"
            + call_card(_, call, language)
        )
        document = call_document(_, call, language, self.stamp)
        return Reply(text, (leave_choice(_, call),), document).worded()

    def left(
        self, call: VolunteerCall, to: Recipient, who: Recipient, promoted: Recipient | None
    ) -> Worded:
        _, _language = self.of(to)
        text = _("{name} gave up their place in {title}.").format(
            name=who.name or _("A volunteer"), title=call.title
        )
        if promoted is not None:
            text += " " + _("{name}, first on the waitlist, takes it.").format(
                name=promoted.name or _("A volunteer")
            )
        else:
            text += " " + _("The place is free again.")
        return Reply(text).worded()

    def note(self, call: VolunteerCall, to: Recipient, text: str) -> Worded:
        _, _language = self.of(to)
        header = _("📣 From the organiser of {title}:").format(title=call.title)
        return Reply(header + "\n" + text).worded()

    def changed(self, call: VolunteerCall, to: Recipient) -> Worded:
        _, language = self.of(to)
        text = _("✏️ The organiser changed {title}; this is how it is now:").format(
            title=call.title
        )
        return Reply(text + "\n\n" + call_card(_, call, language)).worded()

    def cancelled(self, call: VolunteerCall, to: Recipient) -> Worded:
        _, language = self.of(to)
        text = _("❌ {title} ({when}) is cancelled: it will not take place.").format(
            title=call.title, when=when(call, language)
        )
        return Reply(text).worded()

    def thanks(self, call: VolunteerCall, to: Recipient) -> Worded:
        _, _language = self.of(to)
        text = _("🙏 Thank you for coming to {title}!").format(title=call.title)
        done = results_lines(_, call.results)
        if done:
            text += "\n" + _("Together you achieved:") + "\n" + "\n".join("• " + d for d in done)
        return Reply(text).worded()
