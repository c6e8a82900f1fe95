"""Use cases of reports: residents file and judge them, officers move them through their states.

Every change is an event in the report's audit trail, saved in the same transaction as the
change and as the messages it causes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from core import limits
from core.errors import (
    MoveNotAllowed,
    NotAllowed,
    ReasonRequired,
    ReportNotFound,
    TooManyPhotos,
    TooManyReports,
)
from core.model import NewMessage, Officer, Resident, Role, Worded
from core.ports import UnitOfWork
from core.reports import (
    MAY_TRIAGE,
    OPEN,
    REOPENED_TO,
    Category,
    EventKind,
    NewReport,
    Report,
    ReportEvent,
    ReportPolicy,
    ReportState,
    officer_may_move,
)
from core.working_time import WorkingHours

NOTICE = "notice"
# A report marked a duplicate points at one the ward follows, never at another duplicate (no
# chains, no cycles) nor at a rejected one.
NOT_ORIGINALS = frozenset({ReportState.DUPLICATE, ReportState.REJECTED})
BATCH = 500  # reports a follow-up run handles at most; the next run takes the rest


class ReportNotices(Protocol):
    """The words of the messages reports cause, as the bot words them."""

    def new_report(self, report: Report) -> Worded:
        """To the ward's officers: a report came in, with buttons to act on it."""
        ...

    def reopened(self, report: Report, note: str) -> Worded:
        """To the ward's officers: the reporter says it is not fixed."""
        ...

    def state_changed(self, report: Report, note: str | None) -> Worded:
        """To the reporter: their report moved to a new state."""
        ...

    def reply(self, report: Report, text: str) -> Worded:
        """To the reporter: an officer's message about their report."""
        ...

    def ask_fixed(self, report: Report) -> Worded:
        """To the reporter, after it is resolved: is it fixed?"""
        ...

    def escalation(self, report: Report) -> Worded:
        """To the ward's admins: the report missed its target."""
        ...


@dataclass(frozen=True)
class Draft:
    """A report as the resident described it, before it is filed."""

    category: Category
    description: str
    ward_id: int
    alley_id: int | None = None
    anonymous: bool = False
    location: tuple[float, float] | None = None
    collection_at: datetime | None = None
    photos: tuple[str, ...] = ()


@dataclass(frozen=True)
class Triage:
    """What the report use cases need besides the unit of work."""

    policy: ReportPolicy
    hours: WorkingHours
    notices: ReportNotices


async def may_file(
    uow: UnitOfWork, resident: Resident, now: datetime, policy: ReportPolicy
) -> None:
    """Refuse a resident who has filed as many reports as an hour allows."""
    filed = await uow.reports.count_since(resident.id, now - timedelta(hours=1))
    if filed >= policy.per_hour:
        raise TooManyReports(policy.per_hour)


async def file_report(
    uow: UnitOfWork, resident: Resident, draft: Draft, now: datetime, triage: Triage
) -> Report:
    """File the report, set its targets in working hours, and tell the ward's officers."""
    await may_file(uow, resident, now, triage.policy)
    return await record_report(uow, resident, draft, now, triage)


async def record_report(
    uow: UnitOfWork, resident: Resident, draft: Draft, now: datetime, triage: Triage
) -> Report:
    """File the report as `file_report` does, without the hourly limit of one resident (a
    partner's system answers for its own pace)."""
    limits.bounded(draft.description, limits.DESCRIPTION)
    if len(draft.photos) > limits.PHOTOS:
        raise TooManyPhotos(limits.PHOTOS)
    ward = await uow.wards.get(draft.ward_id)
    if ward is None:
        raise ReportNotFound()
    zone = ZoneInfo(ward.timezone)
    targets = triage.policy.targets_for(draft.category)
    report_id = await uow.reports.add(
        NewReport(
            ward_id=draft.ward_id,
            alley_id=draft.alley_id,
            resident_id=resident.id,
            category=draft.category,
            description=draft.description,
            anonymous=draft.anonymous,
            location=draft.location,
            created_at=now,
            acknowledge_by=triage.hours.add(now, targets.acknowledge_hours, zone),
            resolve_by=triage.hours.add(now, targets.resolve_hours, zone),
            collection_at=draft.collection_at,
            photos=tuple((resident.channel, ref) for ref in draft.photos),
        )
    )
    await uow.reports.add_event(
        ReportEvent(
            report_id, now, EventKind.FILED, None, ReportState.NEW, resident_id=resident.id
        )
    )
    report = await _get(uow, report_id)
    await _tell_officers(uow, report, triage.notices.new_report(report))
    return report


async def add_photo(
    uow: UnitOfWork, resident: Resident, report_id: int, ref: str, now: datetime
) -> Report:
    report = await _own(uow, resident, report_id)
    if len(report.photos) >= limits.PHOTOS:
        raise TooManyPhotos(limits.PHOTOS)
    await uow.reports.add_photo(report_id, resident.channel, ref)
    await uow.reports.add_event(
        ReportEvent(report_id, now, EventKind.PHOTO, resident_id=resident.id)
    )
    return report


async def set_location(
    uow: UnitOfWork, resident: Resident, report_id: int, where: tuple[float, float], now: datetime
) -> Report:
    report = await _own(uow, resident, report_id)
    await uow.reports.update(report_id, latitude=where[0], longitude=where[1])
    await uow.reports.add_event(
        ReportEvent(report_id, now, EventKind.LOCATION, resident_id=resident.id)
    )
    return report


async def for_officer(uow: UnitOfWork, officers: Sequence[Officer], report_id: int) -> Report:
    """The report, for an officer of its ward; anyone else is refused."""
    report = await _get(uow, report_id)
    _officer_of(officers, report)
    return report


async def change_state(
    uow: UnitOfWork,
    officers: Sequence[Officer],
    report_id: int,
    to: ReportState,
    note: str | None,
    now: datetime,
    triage: Triage,
    duplicate_of: int | None = None,
) -> Report:
    """Move the report as an officer of its ward, and tell its reporter."""
    limits.bounded(note or "", limits.NOTE)
    report = await _get(uow, report_id)
    officer = _officer_of(officers, report)
    if not officer_may_move(report.state, to):
        raise MoveNotAllowed(report.state, to)
    if to is ReportState.REJECTED and not note:
        raise ReasonRequired()
    if to is ReportState.DUPLICATE:
        original = await uow.reports.get(duplicate_of) if duplicate_of else None
        if (
            original is None
            or original.id == report.id
            or original.ward.id != report.ward.id
            or original.state in NOT_ORIGINALS
        ):
            raise ReportNotFound()
        note = note or f"#{original.id}"
    due_at = report.resolve_by if to in OPEN else None
    values: dict[str, object] = {"state": to, "due_at": due_at}
    if due_at != report.due_at:
        values["escalated_at"] = None  # a new target (or none): not escalated for it yet
    if report.acknowledged_at is None:
        values["acknowledged_at"] = now
    if to is ReportState.RESOLVED:
        values.update(resolved_at=now, feedback_reminded_at=None)
    if to is ReportState.DUPLICATE:
        values["duplicate_of_id"] = duplicate_of
    await uow.reports.update(report.id, **values)
    await uow.reports.add_event(
        ReportEvent(report.id, now, EventKind.STATE, report.state, to, officer.id, note=note)
    )
    moved = await _get(uow, report.id)
    await _tell_reporter(uow, moved, triage.notices.state_changed(moved, note))
    if to is ReportState.RESOLVED:
        await _tell_reporter(uow, moved, triage.notices.ask_fixed(moved))
    return moved


async def assign_to(
    uow: UnitOfWork, officers: Sequence[Officer], report_id: int, now: datetime
) -> Report:
    """Make the officer who asks the one who handles the report, while it is open."""
    report = await _get(uow, report_id)
    officer = _officer_of(officers, report)
    if not report.is_open:
        raise MoveNotAllowed(report.state, report.state)
    await uow.reports.update(report.id, assigned_officer_id=officer.id)
    await uow.reports.add_event(
        ReportEvent(report.id, now, EventKind.ASSIGNED, officer_id=officer.id)
    )
    return replace(report, assigned_officer_id=officer.id)


async def add_note(
    uow: UnitOfWork, officers: Sequence[Officer], report_id: int, note: str, now: datetime
) -> Report:
    """An internal note, seen by the ward's officers only."""
    limits.bounded(note, limits.NOTE)
    report = await _get(uow, report_id)
    officer = _officer_of(officers, report)
    await uow.reports.add_event(
        ReportEvent(report.id, now, EventKind.NOTE, officer_id=officer.id, note=note)
    )
    return report


async def reply(
    uow: UnitOfWork,
    officers: Sequence[Officer],
    report_id: int,
    text: str,
    now: datetime,
    triage: Triage,
) -> Report:
    """Send the reporter a message about their report, and keep it in the trail."""
    limits.bounded(text, limits.NOTE)
    report = await _get(uow, report_id)
    officer = _officer_of(officers, report)
    await uow.reports.add_event(
        ReportEvent(report.id, now, EventKind.REPLY, officer_id=officer.id, note=text)
    )
    await _tell_reporter(uow, report, triage.notices.reply(report, text))
    return report


async def hide_reporter(uow: UnitOfWork, resident: Resident, report_id: int) -> Report:
    """The reporter asks that officers no longer see who filed their report."""
    report = await _own(uow, resident, report_id)
    if not report.anonymous:
        await uow.reports.update(report.id, anonymous=True)
    return replace(report, anonymous=True)


async def mine(uow: UnitOfWork, resident: Resident, report_id: int) -> Report:
    """One of the resident's own reports; anyone else's is not found."""
    return await _own(uow, resident, report_id)


async def reopen(
    uow: UnitOfWork, resident: Resident, report_id: int, note: str, now: datetime, triage: Triage
) -> Report:
    """The reporter says a resolved report is not fixed: it opens again, with a new target."""
    limits.bounded(note, limits.NOTE)
    report = await _own(uow, resident, report_id)
    if report.state is not ReportState.RESOLVED:
        raise MoveNotAllowed(report.state, REOPENED_TO)
    zone = ZoneInfo(report.ward.timezone)
    resolve_by = triage.hours.add(
        now, triage.policy.targets_for(report.category).resolve_hours, zone
    )
    await uow.reports.update(
        report.id,
        state=REOPENED_TO,
        resolved_at=None,
        rating=None,
        resolve_by=resolve_by,
        due_at=resolve_by,
        escalated_at=None,
        feedback_reminded_at=None,
    )
    await uow.reports.add_event(
        ReportEvent(
            report.id,
            now,
            EventKind.REOPENED,
            ReportState.RESOLVED,
            REOPENED_TO,
            resident_id=resident.id,
            note=note,
        )
    )
    reopened = await _get(uow, report.id)
    await _tell_officers(uow, reopened, triage.notices.reopened(reopened, note))
    return reopened


async def rate(
    uow: UnitOfWork, resident: Resident, report_id: int, stars: int, now: datetime
) -> Report:
    """The reporter rates how their resolved report was handled, 1 to 5."""
    report = await _own(uow, resident, report_id)
    rated = report.rating is not None
    if report.state is not ReportState.RESOLVED or rated or not 1 <= stars <= 5:
        raise MoveNotAllowed(report.state, report.state)
    await uow.reports.update(report.id, rating=stars)
    await uow.reports.add_event(
        ReportEvent(report.id, now, EventKind.RATING, resident_id=resident.id, note=str(stars))
    )
    return replace(report, rating=stars)


async def escalate_overdue(uow: UnitOfWork, now: datetime, notices: ReportNotices) -> int:
    """Tell the ward's admins, once per target, of each open report past it; say how many."""
    overdue = await uow.reports.overdue(now, BATCH)
    told: dict[int, list[tuple[str, str]]] = {}  # by ward: a batch is mostly a few wards
    for report in overdue:
        chats = told.get(report.ward.id)
        if chats is None:
            admins = await uow.officers.of_ward(report.ward.id, {Role.ADMIN})
            chats = told[report.ward.id] = admins or await _officer_chats(uow, report)
        await uow.outbox.add_new(
            [
                NewMessage.worded(
                    NOTICE,
                    channel,
                    chat_id,
                    notices.escalation(report),
                    key=f"escalate:{report.id}:{report.due_at:%Y%m%d%H%M}:{channel}:{chat_id}",
                )
                for channel, chat_id in chats
            ]
        )
        await uow.reports.update(report.id, escalated_at=now)
        reason = "acknowledge" if report.state is ReportState.NEW else "resolve"
        await uow.reports.add_event(ReportEvent(report.id, now, EventKind.ESCALATED, note=reason))
    return len(overdue)


async def ask_again(uow: UnitOfWork, now: datetime, triage: Triage) -> int:
    """Ask once more whether it is fixed, of reporters who did not answer in time."""
    before = now - timedelta(days=triage.policy.feedback_again_after_days)
    waiting = await uow.reports.awaiting_feedback(before, BATCH)
    for report in waiting:
        # Keyed by the resolution it follows: asked once, even by two runs at one moment.
        resolved = f"{report.resolved_at:%Y%m%d%H%M%S}" if report.resolved_at else ""
        key = f"ask-again:{report.id}:{resolved}"
        await _tell_reporter(uow, report, triage.notices.ask_fixed(report), key)
        await uow.reports.update(report.id, feedback_reminded_at=now)
    return len(waiting)


async def _get(uow: UnitOfWork, report_id: int) -> Report:
    report = await uow.reports.get(report_id)
    if report is None:
        raise ReportNotFound()
    return report


async def _own(uow: UnitOfWork, resident: Resident, report_id: int) -> Report:
    report = await uow.reports.get(report_id)
    if report is None or report.reporter.resident_id != resident.id:
        raise ReportNotFound()
    return report


def _officer_of(officers: Sequence[Officer], report: Report) -> Officer:
    for officer in officers:
        if officer.ward.id == report.ward.id and officer.role in MAY_TRIAGE:
            return officer
    raise NotAllowed()


async def _officer_chats(uow: UnitOfWork, report: Report) -> list[tuple[str, str]]:
    """Where the ward's officers read reports: their group once linked, else each of them."""
    group = await uow.wards.officer_chat(report.ward.id)
    if group is not None:
        return [group]
    return await uow.officers.of_ward(report.ward.id, MAY_TRIAGE)


async def _tell_officers(uow: UnitOfWork, report: Report, words: Worded) -> None:
    for channel, chat_id in await _officer_chats(uow, report):
        await uow.outbox.add(NewMessage.worded(NOTICE, channel, chat_id, words))


async def _tell_reporter(
    uow: UnitOfWork, report: Report, words: Worded, key: str | None = None
) -> None:
    reporter = report.reporter
    if not reporter.active:
        return
    await uow.outbox.add(
        NewMessage.worded(
            NOTICE,
            reporter.channel,
            reporter.external_id,
            words,
            resident_id=reporter.resident_id,
            key=key,
        )
    )
