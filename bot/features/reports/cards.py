"""How a report reads: the names of its category, state and events, its title, its card."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.chat.i18n import N_
from bot.chat.render import day_name, hhmm
from core import limits
from core.reports import Category, EventKind, Report, ReportState

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


def officer_card(
    _: Gettext, report: Report, language: str, now: datetime, whole: bool = True
) -> str:
    """Everything an officer of the report's ward may know of it, personal data included
    unless the reporter chose to stay anonymous. A notice (`whole=False`) carries the start
    of a long description and `/show` for the rest, so it stays one message."""
    lines = [title(_, report), _("State: {state}").format(state=_(STATE_NAMES[report.state]))]
    lines.append(_("Filed: {when}").format(when=when(report.created_at, report, language)))
    if report.collection_at is not None:
        lines.append(
            _("About the collection of {when}").format(
                when=when(report.collection_at, report, language)
            )
        )
    lines.append("")
    if whole or len(report.description) <= limits.NOTICE_EXCERPT:
        lines.append(report.description)
    else:
        lines.append(report.description[: limits.NOTICE_EXCERPT].rstrip() + "…")
        lines.append(_("The rest: /show {number}").format(number=report.id))
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
