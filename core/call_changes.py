"""An organiser changes a call that has not started: its time, place, places or text; everyone
with a place or on the waitlist is told of each change once."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from core.errors import CallNotOpen, InvalidCall
from core.mobilisation import CallDraft, CallState, SignupStatus, VolunteerCall
from core.model import NewMessage, Officer
from core.organising import check_draft
from core.ports import UnitOfWork
from core.volunteers import (
    NOTICE,
    SIGNED_UP,
    CallNotices,
    call_to_manage,
    plan_reminders,
    reminder_key_prefix,
)


@dataclass(frozen=True)
class CallEdit:
    """What changes; what is left None stays as it is."""

    title: str | None = None
    place: str | None = None
    slots: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None


async def edit_call(
    uow: UnitOfWork,
    officers: Sequence[Officer],
    call_id: int,
    edit: CallEdit,
    now: datetime,
    notices: CallNotices,
) -> tuple[VolunteerCall, int]:
    """Change the call and tell its volunteers; say how many were told (none when nothing
    changed). Fewer places than people already holding one are refused; more places go to the
    waitlist in its order. A new time plans the reminders again."""
    call = await call_to_manage(uow, officers, call_id, lock=True)
    if call.state is not CallState.OPEN or now >= call.starts_at:
        raise CallNotOpen()
    changed = replace(
        call,
        title=edit.title.strip() if edit.title is not None else call.title,
        place=edit.place.strip() if edit.place is not None else call.place,
        location=None if edit.place is not None else call.location,
        slots=edit.slots if edit.slots is not None else call.slots,
        starts_at=edit.starts_at or call.starts_at,
        ends_at=edit.ends_at or call.ends_at,
    )
    if changed == call:
        return call, 0
    check_draft(_as_draft(changed), now)
    if changed.signup_deadline is not None and changed.signup_deadline > changed.starts_at:
        raise InvalidCall("when")  # sign-ups would close after it began
    joined = await uow.volunteers.signups(call.id, [SignupStatus.JOINED])
    if changed.slots < len(joined):
        raise InvalidCall("slots")
    await uow.volunteers.update_call(changed)
    if changed.starts_at != call.starts_at:
        for signup in joined:
            assert signup.volunteer.resident_id is not None
            await uow.outbox.withdraw(reminder_key_prefix(call.id, signup.volunteer.resident_id))
            await plan_reminders(uow, changed, signup.volunteer.resident_id, now, notices)
    # Each change is told once: keyed by when it was made and what the call became.
    became = (changed.title, changed.place, changed.slots, changed.starts_at, changed.ends_at)
    version = f"{now:%Y%m%dT%H%M%S%f}-{zlib.crc32(repr(became).encode()):08x}"
    told = await uow.outbox.add_new(
        [
            NewMessage.worded(
                NOTICE,
                s.volunteer.channel,
                s.volunteer.chat_id,
                notices.changed(changed, s.volunteer),
                resident_id=s.volunteer.resident_id,
                key=f"call:{call.id}:changed:{version}:{s.volunteer.resident_id}",
            )
            for s in await uow.volunteers.signups(call.id, SIGNED_UP)
        ]
    )
    free = changed.slots - len(joined)
    for waiting in (await uow.volunteers.signups(call.id, [SignupStatus.WAITLISTED]))[:free]:
        promoted = waiting.volunteer
        assert promoted.resident_id is not None
        await uow.volunteers.set_signup(call.id, promoted.resident_id, SignupStatus.JOINED)
        await plan_reminders(uow, changed, promoted.resident_id, now, notices)
        await uow.outbox.add_new(
            [
                NewMessage.worded(
                    NOTICE,
                    promoted.channel,
                    promoted.chat_id,
                    notices.promoted(changed, promoted),
                    resident_id=promoted.resident_id,
                )
            ]
        )
    return changed, told


def _as_draft(call: VolunteerCall) -> CallDraft:
    return CallDraft(
        call.ward.id,
        call.kind,
        call.title,
        call.starts_at,
        call.ends_at,
        call.slots,
        call.place,
        call.location,
        None,  # the deadline is checked by itself, against the call's new start
        call.bring,
    )
