"""The words of reports: categories, states, and the messages reports cause."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.chat.i18n import N_
from bot.chat.render import day_name, hhmm
from bot.chat.replies import Choice, Reply
from bot.features.bell.wording import Wording
from core.reports import Category, EventKind, Report, ReportState, officer_may_move

Gettext = Callable[[str], str]

CATEGORY_NAMES = {
    Category.LITTER: N_("Litter or illegal dumping"),
    Category.LIGHTING: N_("Street lighting"),
    Category.DRAINAGE: N_("Drainage"),
    Category.ROAD: N_("Road"),
    Category.OTHER: N_("Other"),
}
STATE_NAMES = {
    ReportState.NEW: N_("New"),
    ReportState.ACKNOWLEDGED: N_("Acknowledged"),
    ReportState.IN_PROGRESS: N_("In progress"),
    ReportState.RESOLVED: N_("Resolved"),
    ReportState.REJECTED: N_("Rejected"),
    ReportState.DUPLICATE: N_("Duplicate"),
}
EVENT_NAMES = {
    EventKind.FILED: N_("filed"),
    EventKind.STATE: N_("state changed"),
    EventKind.REOPENED: N_("reopened"),
    EventKind.NOTE: N_("internal note"),
    EventKind.REPLY: N_("reply to the reporter"),
    EventKind.ASSIGNED: N_("assigned"),
    EventKind.RATING: N_("rated"),
    EventKind.PHOTO: N_("photo added"),
    EventKind.LOCATION: N_("location added"),
    EventKind.ESCALATED: N_("escalated"),
}
# What an officer's buttons move a report to, with their labels.
MOVES = (
    (ReportState.ACKNOWLEDGED, N_("Acknowledge")),
    (ReportState.IN_PROGRESS, N_("In progress")),
    (ReportState.RESOLVED, N_("Resolve")),
)


def when(at: datetime, report: Report, language: str) -> str:
    """An instant in the ward's time: "Thứ Hai 30/11 15:30"."""
    local = at.astimezone(ZoneInfo(report.ward.timezone))
    return f"{day_name(local.date(), language)} {hhmm(local)}"


def place(report: Report) -> str:
    """Where the report is, as residents may read it: the alley and ward, never a pin."""
    if report.alley is not None:
        return f"{report.alley.name} ({report.ward.name})"
    return report.ward.name


def title(_: Gettext, report: Report) -> str:
    """`#12 · Street lighting · Hẻm 51 (Phường Ninh Kiều)`"""
    return f"#{report.id} · {_(CATEGORY_NAMES[report.category])} · {place(report)}"


def map_link(where: tuple[float, float]) -> str:
    return f"https://www.openstreetmap.org/?mlat={where[0]:.6f}&mlon={where[1]:.6f}#map=19/{where[0]:.6f}/{where[1]:.6f}"


def officer_card(_: Gettext, report: Report, language: str, now: datetime) -> str:
    """Everything an officer of the report's ward may know of it, personal data included
    unless the reporter chose to stay anonymous."""
    lines = [title(_, report), _("State: {state}").format(state=_(STATE_NAMES[report.state]))]
    lines.append(_("Filed: {when}").format(when=when(report.created_at, report, language)))
    if report.collection_at is not None:
        lines.append(
            _("About the collection of {when}").format(
                when=when(report.collection_at, report, language)
            )
        )
    lines.append("")
    lines.append(report.description)
    lines.append("")
    if report.anonymous:
        lines.append(_("From: an anonymous resident"))
    else:
        reporter = report.reporter
        name = reporter.display_name or _("a resident")
        lines.append(_("From: {name}").format(name=name))
        if reporter.phone:
            lines.append(_("Phone: {phone}").format(phone=reporter.phone))
    if report.location is not None:
        lines.append(_("Location: {link}").format(link=map_link(report.location)))
    if report.photos:
        lines.append(
            _("Photos: {count} (send /show {number})").format(
                count=len(report.photos), number=report.id
            )
        )
    if report.due_at is not None:
        target = (
            _("Acknowledge by {when}")
            if report.state is ReportState.NEW
            else _("Resolve by {when}")
        ).format(when=when(report.due_at, report, language))
        if report.overdue(now):
            target = "⏰ " + target + " — " + _("overdue")
        lines.append(target)
    if report.duplicate_of is not None:
        lines.append(_("Duplicate of #{number}").format(number=report.duplicate_of))
    if report.rating is not None:
        lines.append(_("Rated {stars} of 5 by the reporter").format(stars=report.rating))
    return "\n".join(lines)


def officer_buttons(_: Gettext, report: Report) -> list[Choice]:
    """What an officer can do with the report next."""
    if not report.is_open:
        return []
    choices = [
        Choice(_(label), f"rs:{report.id}:{state.value}")
        for state, label in MOVES
        if officer_may_move(report.state, state)
    ]
    choices += [
        Choice(_("Reject…"), f"rrej:{report.id}"),
        Choice(_("Duplicate of…"), f"rdup:{report.id}"),
        Choice(_("Assign to me"), f"rme:{report.id}"),
    ]
    return choices


def fixed_buttons(_: Gettext, report: Report) -> list[Choice]:
    return [
        Choice(_("Yes, it is fixed"), f"rfix:{report.id}:y"),
        Choice(_("No, not fixed"), f"rfix:{report.id}:n"),
    ]


class ReportWording(Wording):
    """Writes what reports cause: officers read the ward's default language; a reporter, theirs."""

    def _officers(self) -> tuple[Gettext, str]:
        language = self.default_language
        return self.catalogues.get(language).gettext, language

    def _reporter(self, report: Report) -> tuple[Gettext, str]:
        reporter = report.reporter
        language = self.catalogues.pick(
            reporter.language, reporter.platform_language, self.default_language
        )
        return self.catalogues.get(language).gettext, language

    def new_report(self, report: Report) -> dict[str, Any]:
        _, language = self._officers()
        text = (
            "📣 " + _("New report") + "\n" + officer_card(_, report, language, report.created_at)
        )
        return Reply(text, tuple(officer_buttons(_, report))).to_payload()

    def reopened(self, report: Report, note: str) -> dict[str, Any]:
        _, language = self._officers()
        text = _("🔁 The reporter says #{number} is not fixed: it is open again.").format(
            number=report.id
        )
        if note:
            text += "\n" + _("They wrote: {note}").format(note=note)
        text += "\n\n" + officer_card(_, report, language, report.created_at)
        return Reply(text, tuple(officer_buttons(_, report))).to_payload()

    def state_changed(self, report: Report, note: str | None) -> dict[str, Any]:
        _, _language = self._reporter(report)
        text = _("Your report {title} is now: {state}.").format(
            title=title(_, report), state=_(STATE_NAMES[report.state])
        )
        if report.state is ReportState.REJECTED and note:
            text += "\n" + _("Reason: {note}").format(note=note)
        elif report.state is ReportState.DUPLICATE and report.duplicate_of is not None:
            text += "\n" + _("It is the same as report #{number}, which the ward follows.").format(
                number=report.duplicate_of
            )
        elif note:
            text += "\n" + _("Note from the ward: {note}").format(note=note)
        return Reply(text).to_payload()

    def reply(self, report: Report, text: str) -> dict[str, Any]:
        _, _language = self._reporter(report)
        heading = _("Message from the ward about your report {title}:").format(
            title=title(_, report)
        )
        return Reply(heading + "\n" + text).to_payload()

    def ask_fixed(self, report: Report) -> dict[str, Any]:
        _, _language = self._reporter(report)
        text = _("The ward marked your report {title} as resolved. Is it fixed?").format(
            title=title(_, report)
        )
        return Reply(text, tuple(fixed_buttons(_, report))).to_payload()

    def escalation(self, report: Report) -> dict[str, Any]:
        _, language = self._officers()
        assert report.due_at is not None  # only an open report is escalated
        if report.state is ReportState.NEW:
            text = _("⏰ #{number} was not acknowledged by its target, {when}.")
        else:
            text = _("⏰ #{number} was not resolved by its target, {when}.")
        text = text.format(number=report.id, when=when(report.due_at, report, language))
        card = officer_card(_, report, language, report.due_at)
        return Reply(text + "\n\n" + card, tuple(officer_buttons(_, report))).to_payload()
