"""Use cases of organisers: open a call and invite the followers of alleys, see who signed
up, write to the volunteers, close the call with its results, and tie a call to a report."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime

from core.errors import (
    CallNotFound,
    CallNotOpen,
    CallNotOver,
    InvalidCall,
    NotAllowed,
    ReportNotFound,
    TextTooLong,
)
from core.mobilisation import (
    MAX_AHEAD,
    MAX_PLACE,
    MAX_SLOTS,
    MAX_TEXT,
    MAX_TITLE,
    Attendance,
    CallDraft,
    CallState,
    Measure,
    Roster,
    SignupStatus,
    VolunteerCall,
)
from core.model import NewMessage, Officer
from core.ports import UnitOfWork
from core.reports import Report, ReportState
from core.triage import Triage, change_state
from core.volunteers import (
    NOTICE,
    SIGNED_UP,
    CallNotices,
    call_to_manage,
    organised_wards,
    organiser_in,
)

BROADCAST = "broadcast"
WRITE_AT_ONCE = 2_000
MAX_HOURS = 24.0


def check_draft(draft: CallDraft, now: datetime) -> None:
    """Refuse a call with a value that cannot be, naming the field."""
    if not draft.title.strip() or len(draft.title) > MAX_TITLE:
        raise InvalidCall("title")
    if not now < draft.starts_at <= now + MAX_AHEAD or draft.ends_at <= draft.starts_at:
        raise InvalidCall("when")
    if draft.place is not None and len(draft.place) > MAX_PLACE:
        raise InvalidCall("place")
    if not 1 <= draft.slots <= MAX_SLOTS:
        raise InvalidCall("slots")
    deadline = draft.signup_deadline
    if deadline is not None and not now < deadline <= draft.starts_at:
        raise InvalidCall("deadline")


async def open_call(
    uow: UnitOfWork,
    officers: Sequence[Officer],
    draft: CallDraft,
    alley_ids: Collection[int],
    now: datetime,
    notices: CallNotices,
) -> tuple[VolunteerCall, int]:
    """Open the call and invite the followers of the alleys; say how many were invited."""
    organiser = organiser_in(officers, draft.ward_id)
    check_draft(draft, now)
    ward_alleys = {alley.id for alley in await uow.alleys.in_ward(draft.ward_id)}
    if not alley_ids or not set(alley_ids) <= ward_alleys:
        raise InvalidCall("alleys")
    call = await uow.volunteers.add_call(draft, organiser.id)
    audience = await uow.announcements.audience(alley_ids)
    invited = 0
    closes = call.signup_deadline or call.starts_at
    for start in range(0, len(audience), WRITE_AT_ONCE):
        invited += await uow.outbox.add_new(
            [
                NewMessage.worded(
                    BROADCAST,
                    r.channel,
                    r.chat_id,
                    notices.invitation(call, r),
                    resident_id=r.resident_id,
                    key=f"call:{call.id}:invite:{r.resident_id}",
                    expires_at=closes,
                )
                for r in audience[start : start + WRITE_AT_ONCE]
            ]
        )
    return call, invited


async def calls_of(
    uow: UnitOfWork, officers: Sequence[Officer]
) -> list[tuple[VolunteerCall, Mapping[SignupStatus, int]]]:
    """The calls of the wards the person organises in, the latest first, with their counts."""
    wards = organised_wards(officers)
    if not wards:
        raise NotAllowed()
    calls = await uow.volunteers.calls(wards, open_only=False, limit=20)
    counts = await uow.volunteers.counts([call.id for call in calls])
    return [(call, counts[call.id]) for call in calls]


async def roster(uow: UnitOfWork, officers: Sequence[Officer], call_id: int) -> Roster:
    """The call and everyone who answered it, for an organiser of its ward."""
    call = await call_to_manage(uow, officers, call_id)
    signups = await uow.volunteers.signups(call.id)
    return Roster(
        call,
        tuple(s for s in signups if s.status is SignupStatus.JOINED),
        tuple(s for s in signups if s.status is SignupStatus.WAITLISTED),
        sum(1 for s in signups if s.status is SignupStatus.DECLINED),
        sum(1 for s in signups if s.status is SignupStatus.LEFT),
    )


async def call_audience(
    uow: UnitOfWork, officers: Sequence[Officer], ward_id: int, alley_ids: Collection[int]
) -> int:
    """How many residents a call to the followers of the alleys would invite."""
    organiser_in(officers, ward_id)
    listening, _muted = await uow.announcements.audience_size(alley_ids)
    return listening


async def message_volunteers(
    uow: UnitOfWork,
    officers: Sequence[Officer],
    call_id: int,
    text: str,
    notices: CallNotices,
) -> int:
    """Send the organiser's text to everyone with a place or on the waitlist; say how many."""
    call = await call_to_manage(uow, officers, call_id)
    if len(text) > MAX_TEXT:
        raise TextTooLong(MAX_TEXT)
    signups = await uow.volunteers.signups(call.id, SIGNED_UP)
    sent = await uow.outbox.add_new(
        [
            NewMessage.worded(
                NOTICE,
                s.volunteer.channel,
                s.volunteer.chat_id,
                notices.note(call, s.volunteer, text),
                resident_id=s.volunteer.resident_id,
            )
            for s in signups
        ]
    )
    return sent


async def cancel_call(
    uow: UnitOfWork, officers: Sequence[Officer], call_id: int, now: datetime, notices: CallNotices
) -> tuple[VolunteerCall, int]:
    """Cancel a call that has not started: its invitations and reminders not yet sent are
    withdrawn, and everyone with a place or on the waitlist is told, once. Say how many."""
    call = await call_to_manage(uow, officers, call_id, lock=True)
    if call.state is not CallState.OPEN or now >= call.starts_at:
        raise CallNotOpen()
    await uow.volunteers.cancel(call.id)
    await uow.outbox.withdraw(f"call:{call.id}:")
    signups = await uow.volunteers.signups(call.id, SIGNED_UP)
    told = await uow.outbox.add_new(
        [
            NewMessage.worded(
                NOTICE,
                s.volunteer.channel,
                s.volunteer.chat_id,
                notices.cancelled(call, s.volunteer),
                resident_id=s.volunteer.resident_id,
                key=f"cancelled:{call.id}:{s.volunteer.resident_id}",
            )
            for s in signups
        ]
    )
    return call, told


async def close_call(
    uow: UnitOfWork,
    officers: Sequence[Officer],
    call_id: int,
    results: Mapping[Measure, float],
    attendance: Attendance,
    now: datetime,
    notices: CallNotices,
) -> VolunteerCall:
    """Record what the call achieved and who came, and thank those who came."""
    call = await call_to_manage(uow, officers, call_id, lock=True)
    if call.state is not CallState.OPEN:
        raise CallNotFound()
    if now < call.starts_at:
        raise CallNotOver()
    if any(amount < 0 for amount in results.values()):
        raise InvalidCall("results")
    if not 0 <= attendance.hours <= MAX_HOURS:
        raise InvalidCall("hours")
    joined = {s.volunteer.resident_id: s for s in await uow.volunteers.signups(call.id)}
    came = [
        joined[i].volunteer
        for i in attendance.came
        if i in joined and joined[i].status is SignupStatus.JOINED
    ]
    if len(came) != len(attendance.came):
        raise InvalidCall("attendance")
    await uow.volunteers.close(call.id, results, attendance)
    # No place will come free now: the waitlist ends with the call.
    for resident_id, signup in joined.items():
        if resident_id is not None and signup.status is SignupStatus.WAITLISTED:
            await uow.volunteers.set_signup(call.id, resident_id, SignupStatus.LEFT)
    # Reminders still waiting (a call closed early in its day) are pointless now.
    await uow.outbox.withdraw(f"call:{call.id}:remind:")
    closed = await uow.volunteers.call(call.id)
    assert closed is not None
    await uow.outbox.add_new(
        [
            NewMessage.worded(
                NOTICE,
                v.channel,
                v.chat_id,
                notices.thanks(closed, v),
                resident_id=v.resident_id,
                key=f"call:{call.id}:thanks:{v.resident_id}",
            )
            for v in came
        ]
    )
    return closed


async def report_to_call_for(
    uow: UnitOfWork, officers: Sequence[Officer], report_id: int
) -> Report:
    """An open report an organiser of its ward may call volunteers for."""
    report = await uow.reports.get(report_id)
    if report is None or not report.is_open:
        raise ReportNotFound()
    organiser_in(officers, report.ward.id)
    return report


async def resolve_report(
    uow: UnitOfWork,
    officers: Sequence[Officer],
    call_id: int,
    note: Callable[[VolunteerCall], str],
    now: datetime,
    triage: Triage,
) -> Report:
    """Resolve the report a closed call was made for, as an officer of its ward would (its
    reporter is told, and the change joins the report's trail); `note` words the change.
    To someone with no role in the call's ward the call does not exist."""
    call = await uow.volunteers.call(call_id)
    if call is None or call.report_id is None or call.state is not CallState.CLOSED:
        raise CallNotFound()
    if not any(officer.ward.id == call.ward.id for officer in officers):
        raise CallNotFound()
    return await change_state(
        uow, officers, call.report_id, ReportState.RESOLVED, note(call), now, triage
    )
