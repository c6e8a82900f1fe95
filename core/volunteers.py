"""Use cases of volunteering: residents sign up for calls, give up their places, and what
the organisers' and the offers' use cases share (`core.organising`, `core.offers`).

A call's messages go through the outbox under keys made of the call and the resident, so
none is queued twice. The reminders of a volunteer are queued when they get a place, each
to go at its time (the day before, an hour before): the outbox keeps them across restarts,
and they are taken back if the volunteer leaves.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from core.errors import (
    CallNotFound,
    NotAllowed,
    NotSignedUp,
    SignupsClosed,
)
from core.mobilisation import (
    MAY_ORGANISE,
    REMIND_DAY_BEFORE,
    REMIND_HOUR_BEFORE,
    CallState,
    Recipient,
    SignupStatus,
    VolunteerCall,
    VolunteerFigures,
)
from core.model import NewMessage, Officer, Worded
from core.ports import UnitOfWork

NOTICE = "notice"
SIGNED_UP = (SignupStatus.JOINED, SignupStatus.WAITLISTED)


class CallNotices(Protocol):
    """The words of the messages a call causes, as the bot words them."""

    def invitation(self, call: VolunteerCall, to: Recipient) -> Worded:
        """To a resident: the call, with buttons to join it or to say they cannot."""
        ...

    def reminder(self, call: VolunteerCall, to: Recipient, before: timedelta) -> Worded:
        """To a volunteer, `before` the call starts."""
        ...

    def promoted(self, call: VolunteerCall, to: Recipient) -> Worded:
        """To a volunteer on the waitlist: a place opened, it is theirs."""
        ...

    def left(
        self, call: VolunteerCall, to: Recipient, who: Recipient, promoted: Recipient | None
    ) -> Worded:
        """To the organiser: a volunteer gave up their place, and who took it."""
        ...

    def note(self, call: VolunteerCall, to: Recipient, text: str) -> Worded:
        """To a volunteer: the organiser's message."""
        ...

    def thanks(self, call: VolunteerCall, to: Recipient) -> Worded:
        """To a volunteer who came: what the call achieved."""
        ...

    def changed(self, call: VolunteerCall, to: Recipient) -> Worded:
        """To a volunteer with a place or on the waitlist: the call as it is now."""
        ...

    def cancelled(self, call: VolunteerCall, to: Recipient) -> Worded:
        """To a volunteer with a place or on the waitlist: the call will not take place."""
        ...


@dataclass(frozen=True)
class Answer:
    """Where a resident stands on a call after answering it."""

    call: VolunteerCall
    status: SignupStatus
    position: int = 0  # on the waitlist, from 1
    already: bool = False  # they had answered so before


def reminder_key_prefix(call_id: int, resident_id: int) -> str:
    return f"call:{call_id}:remind:{resident_id}:"


def organiser_in(officers: Sequence[Officer], ward_id: int) -> Officer:
    """The person's role that lets them organise in the ward, or NotAllowed."""
    for officer in officers:
        if officer.ward.id == ward_id and officer.role in MAY_ORGANISE:
            return officer
    raise NotAllowed()


def organised_wards(officers: Sequence[Officer]) -> list[int]:
    return sorted({o.ward.id for o in officers if o.role in MAY_ORGANISE})


async def join(
    uow: UnitOfWork, resident_id: int, call_id: int, now: datetime, notices: CallNotices
) -> Answer:
    """Give the resident a place, or one on the waitlist when the places are taken.

    The call is locked first, so that joins to it take turns and never exceed its slots.
    """
    call = await _locked(uow, call_id)
    current = await uow.volunteers.signup(call_id, resident_id)
    if current is not None and current.status in SIGNED_UP:
        return await _answer(uow, call, resident_id, current.status, already=True)
    if not call.open_for_signups(now):
        raise SignupsClosed()
    joined = (await uow.volunteers.counts([call.id]))[call.id].get(SignupStatus.JOINED, 0)
    status = SignupStatus.JOINED if joined < call.slots else SignupStatus.WAITLISTED
    await uow.volunteers.set_signup(call.id, resident_id, status)
    if status is SignupStatus.JOINED:
        await plan_reminders(uow, call, resident_id, now, notices)
    answer = await _answer(uow, call, resident_id, status)
    return answer


async def decline(
    uow: UnitOfWork, resident_id: int, call_id: int, now: datetime, notices: CallNotices
) -> Answer:
    """Record that the resident cannot come; one who had a place gives it up."""
    call = await _locked(uow, call_id)
    if call.state is not CallState.OPEN or now >= call.starts_at:
        raise SignupsClosed()  # once it has begun, who came is the organiser's to say
    current = await uow.volunteers.signup(call_id, resident_id)
    if current is not None and current.status in SIGNED_UP:
        await _leave(uow, call, resident_id, current.status, now, notices)
        return Answer(call, SignupStatus.LEFT)
    if current is None or current.status is not SignupStatus.DECLINED:
        await uow.volunteers.set_signup(call.id, resident_id, SignupStatus.DECLINED)
    return Answer(call, SignupStatus.DECLINED)


async def leave(
    uow: UnitOfWork, resident_id: int, call_id: int, now: datetime, notices: CallNotices
) -> Answer:
    """Give up a place (the first on the waitlist takes it) or a place on the waitlist."""
    call = await _locked(uow, call_id)
    current = await uow.volunteers.signup(call_id, resident_id)
    if current is None or current.status not in SIGNED_UP:
        raise NotSignedUp()
    if call.state is not CallState.OPEN or now >= call.starts_at:
        raise SignupsClosed()
    await _leave(uow, call, resident_id, current.status, now, notices)
    return Answer(call, SignupStatus.LEFT)


@dataclass(frozen=True)
class CallsNear:
    """Calls taking sign-ups, the soonest first; `near` says whether they are those of the
    wards of the alleys the resident follows, or (following none) those of every ward."""

    calls: list[VolunteerCall]
    near: bool


async def open_calls_near(uow: UnitOfWork, resident_id: int, now: datetime) -> CallsNear:
    """Calls taking sign-ups in the wards of the alleys the resident follows (any ward when
    they follow none), the soonest first."""
    wards = {s.alley.ward.id for s in await uow.subscriptions.of_resident(resident_id)}
    near = bool(wards)
    if not near:
        wards = {ward.id for ward in await uow.wards.all()}
    calls = await uow.volunteers.calls(wards, open_only=True, limit=50)
    return CallsNear([call for call in calls if call.open_for_signups(now)], near)


async def unanswered_invitations(
    uow: UnitOfWork, resident_id: int, now: datetime
) -> list[VolunteerCall]:
    """The calls near the resident, taking sign-ups, that they have neither joined nor said
    they cannot join: the invitations still waiting for their answer."""
    found = await open_calls_near(uow, resident_id, now)
    if not found.near:
        return []
    return [c for c in found.calls if await status_of(uow, resident_id, c.id) is None]


async def call_for_resident(uow: UnitOfWork, call_id: int) -> tuple[VolunteerCall, int]:
    """A call as residents see it, and how many places are left."""
    call = await uow.volunteers.call(call_id)
    if call is None:
        raise CallNotFound()
    joined = (await uow.volunteers.counts([call.id]))[call.id].get(SignupStatus.JOINED, 0)
    return call, max(0, call.slots - joined)


async def calendar_call(uow: UnitOfWork, resident_id: int, call_id: int) -> VolunteerCall:
    """A call the resident has a place in, for their calendar; to others it does not exist."""
    call = await uow.volunteers.call(call_id)
    if call is None or await status_of(uow, resident_id, call_id) is not SignupStatus.JOINED:
        raise CallNotFound()
    return call


async def status_of(uow: UnitOfWork, resident_id: int, call_id: int) -> SignupStatus | None:
    found = await uow.volunteers.signup(call_id, resident_id)
    return None if found is None else found.status


async def volunteer_figures(
    uow: UnitOfWork, ward_ids: Collection[int], since: datetime, until: datetime
) -> VolunteerFigures:
    """Calls held (closed with results) that started in `[since, until)` in the wards: the
    volunteers who had a place, those who came, the hours they gave and what was done."""
    return await uow.volunteers.figures(ward_ids, since, until)


async def _locked(uow: UnitOfWork, call_id: int) -> VolunteerCall:
    call = await uow.volunteers.call(call_id, lock=True)
    if call is None:
        raise CallNotFound()
    return call


async def call_to_manage(
    uow: UnitOfWork, officers: Sequence[Officer], call_id: int, lock: bool = False
) -> VolunteerCall:
    """The call, for an organiser of its ward; to anyone else it does not exist."""
    call = await uow.volunteers.call(call_id, lock=lock)
    if call is None or not any(
        o.ward.id == call.ward.id and o.role in MAY_ORGANISE for o in officers
    ):
        raise CallNotFound()
    return call


async def _answer(
    uow: UnitOfWork,
    call: VolunteerCall,
    resident_id: int,
    status: SignupStatus,
    already: bool = False,
) -> Answer:
    position = 0
    if status is SignupStatus.WAITLISTED:
        queue = await uow.volunteers.signups(call.id, [SignupStatus.WAITLISTED])
        position = 1 + [s.volunteer.resident_id for s in queue].index(resident_id)
    return Answer(call, status, position, already)


async def _leave(
    uow: UnitOfWork,
    call: VolunteerCall,
    resident_id: int,
    was: SignupStatus,
    now: datetime,
    notices: CallNotices,
) -> None:
    await uow.volunteers.set_signup(call.id, resident_id, SignupStatus.LEFT)
    await uow.outbox.withdraw(reminder_key_prefix(call.id, resident_id))
    if was is not SignupStatus.JOINED:
        return
    promoted = None
    waiting = await uow.volunteers.signups(call.id, [SignupStatus.WAITLISTED])
    if waiting and call.state is CallState.OPEN and now < call.starts_at:
        promoted = waiting[0].volunteer
        assert promoted.resident_id is not None
        await uow.volunteers.set_signup(call.id, promoted.resident_id, SignupStatus.JOINED)
        await plan_reminders(uow, call, promoted.resident_id, now, notices)
        await uow.outbox.add_new([_to(promoted, notices.promoted(call, promoted))])
    organiser = None
    if call.organiser_id is not None:
        organiser = await uow.volunteers.officer_chat(call.organiser_id)
    who = await uow.volunteers.recipient(resident_id)
    if organiser is not None and who is not None:
        await uow.outbox.add_new([_to(organiser, notices.left(call, organiser, who, promoted))])


async def plan_reminders(
    uow: UnitOfWork, call: VolunteerCall, resident_id: int, now: datetime, notices: CallNotices
) -> None:
    volunteer = await uow.volunteers.recipient(resident_id)
    assert volunteer is not None
    prefix = reminder_key_prefix(call.id, resident_id)
    messages = []
    for label, before in (("day", REMIND_DAY_BEFORE), ("hour", REMIND_HOUR_BEFORE)):
        at = call.starts_at - before
        if at <= now:  # they joined later than that: the confirmation said it all
            continue
        messages.append(
            NewMessage.worded(
                NOTICE,
                volunteer.channel,
                volunteer.chat_id,
                notices.reminder(call, volunteer, before),
                resident_id=resident_id,
                key=f"{prefix}{label}",
                not_before=at,
                expires_at=call.starts_at,
            )
        )
    await uow.outbox.add_new(messages)


def _to(recipient: Recipient, words: Worded) -> NewMessage:
    return NewMessage.worded(
        NOTICE,
        recipient.channel,
        recipient.chat_id,
        words,
        resident_id=recipient.resident_id,
    )
