"""Volunteer calls on both dialects: slots hold under concurrent joins, the waitlist moves up,
reminders are queued and withdrawn, results are counted."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core import offers, organising, volunteers
from core.call_changes import CallEdit, edit_call
from core.errors import (
    AlreadySignedUp,
    CallNotFound,
    CallNotOpen,
    CallNotOver,
    InvalidCall,
    NotAllowed,
    NotSignedUp,
    SignupsClosed,
)
from core.mobilisation import (
    Attendance,
    CallDraft,
    CallKind,
    CallState,
    Measure,
    OfferKind,
    Recipient,
    SignupStatus,
    VolunteerCall,
)
from core.model import HolidayPolicy, Officer, Role, Ward, Worded
from storage.models import OutboxRow
from storage.uow import SqlUnitOfWork
from tests.conftest import WARD_ZONE, UnitOfWorkFactory
from tests.support import FixedClock

STARTS = datetime(2026, 12, 5, 7, 0, tzinfo=WARD_ZONE)  # a Saturday morning


class FakeNotices:
    """Words that say plainly what each message is, so tests can read them."""

    def invitation(self, call: VolunteerCall, to: Recipient) -> Worded:
        return Worded({"text": f"invite {call.title}", "choices": []})

    def reminder(self, call: VolunteerCall, to: Recipient, before: timedelta) -> Worded:
        return Worded({"text": f"remind {call.title} {before}", "choices": []})

    def promoted(self, call: VolunteerCall, to: Recipient) -> Worded:
        return Worded({"text": f"promoted {call.title}", "choices": []})

    def left(
        self, call: VolunteerCall, to: Recipient, who: Recipient, promoted: Recipient | None
    ) -> Worded:
        instead = promoted.name if promoted else "nobody"
        return Worded({"text": f"{who.name} left, {instead} instead", "choices": []})

    def note(self, call: VolunteerCall, to: Recipient, text: str) -> Worded:
        return Worded({"text": f"note {text}", "choices": []})

    def thanks(self, call: VolunteerCall, to: Recipient) -> Worded:
        return Worded({"text": f"thanks {dict(call.results)}", "choices": []})

    def changed(self, call: VolunteerCall, to: Recipient) -> Worded:
        return Worded({"text": f"changed {call.title} {call.slots}", "choices": []})

    def cancelled(self, call: VolunteerCall, to: Recipient) -> Worded:
        return Worded({"text": f"cancelled {call.title}", "choices": []})


NOTICES = FakeNotices()


async def a_ward(uow_factory: UnitOfWorkFactory) -> tuple[Ward, list[int], Officer]:
    """Ninh Kiều with two alleys, and an organiser of it."""
    async with uow_factory() as uow:
        ward, _ = await uow.wards.upsert(
            "ninh-kieu", "Phường Ninh Kiều", "Asia/Ho_Chi_Minh", HolidayPolicy.SKIP
        )
        first, _ = await uow.alleys.upsert(ward, "nk-hem-51", "Hẻm 51", None, (), ())
        second, _ = await uow.alleys.upsert(ward, "nk-hem-132", "Hẻm 132", None, (), ())
        organiser, _ = await uow.officers.upsert(ward, "telegram", "9101", Role.ORGANISER, "Hoa")
        await uow.residents.seen("telegram", "9101", "Chị Hoa", "vi")
        await uow.commit()
    return ward, [first.id, second.id], organiser


async def residents(
    uow_factory: UnitOfWorkFactory, count: int, alley_id: int | None = None, first: int = 1
) -> list[int]:
    ids = []
    async with uow_factory() as uow:
        for number in range(first, first + count):
            resident = await uow.residents.seen("telegram", str(number), f"Cư dân {number}", "vi")
            if alley_id is not None:
                alley = await _alley(uow, alley_id)
                await uow.subscriptions.add(resident.id, alley, 15)
            ids.append(resident.id)
        await uow.commit()
    return ids


async def _alley(uow: SqlUnitOfWork, alley_id: int) -> Any:
    for ward in await uow.wards.all():
        for alley in await uow.alleys.in_ward(ward.id):
            if alley.id == alley_id:
                return alley
    raise LookupError(alley_id)


def draft(ward: Ward, slots: int = 5, **more: Any) -> CallDraft:
    values: dict[str, Any] = {
        "ward_id": ward.id,
        "kind": CallKind.CLEAN_UP,
        "title": "Dọn kênh Cái Khế",
        "starts_at": STARTS,
        "ends_at": STARTS + timedelta(hours=3),
        "slots": slots,
        "place": "Bến Ninh Kiều",
        **more,
    }
    return CallDraft(**values)


async def a_call(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    slots: int = 5,
    alleys: Sequence[int] = (),
    **more: Any,
) -> tuple[VolunteerCall, int]:
    ward, ward_alleys, organiser = await a_ward(uow_factory)
    async with uow_factory() as uow:
        call, invited = await organising.open_call(
            uow,
            [organiser],
            draft(ward, slots, **more),
            alleys or ward_alleys,
            clock.now(),
            NOTICES,
        )
        await uow.commit()
    return call, invited


@dataclass(frozen=True)
class Queued:
    key: str | None
    kind: str
    chat_id: str
    text: str
    not_before: datetime
    expires_at: datetime | None


async def outbox(uow_factory: UnitOfWorkFactory) -> list[Queued]:
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        rows = await uow.session.scalars(select(OutboxRow).order_by(OutboxRow.id))
        return [
            Queued(r.key, r.kind, r.chat_id, r.payload["text"], r.not_before, r.expires_at)
            for r in rows
        ]


async def join(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, resident: int, call: int
) -> volunteers.Answer:
    async with uow_factory() as uow:
        answer = await volunteers.join(uow, resident, call, clock.now(), NOTICES)
        await uow.commit()
    return answer


async def leave(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, resident: int, call: int
) -> volunteers.Answer:
    async with uow_factory() as uow:
        answer = await volunteers.leave(uow, resident, call, clock.now(), NOTICES)
        await uow.commit()
    return answer


async def test_many_joining_at_once_never_take_more_places_than_the_call_has(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    call, _ = await a_call(uow_factory, clock, slots=5)
    people = await residents(uow_factory, 30)

    answers = await asyncio.gather(
        *(join(uow_factory, clock, person, call.id) for person in people),
        return_exceptions=True,
    )

    assert [repr(a) for a in answers if isinstance(a, BaseException)] == []
    statuses = [a.status for a in answers if isinstance(a, volunteers.Answer)]
    assert statuses.count(SignupStatus.JOINED) == 5
    assert statuses.count(SignupStatus.WAITLISTED) == 25
    positions = sorted(a.position for a in answers if isinstance(a, volunteers.Answer))
    assert positions == [0] * 5 + list(range(1, 26))
    async with uow_factory() as uow:
        counts = await uow.volunteers.counts([call.id])
    assert counts[call.id] == {SignupStatus.JOINED: 5, SignupStatus.WAITLISTED: 25}


async def test_one_who_leaves_gives_the_place_to_the_first_on_the_waitlist(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    call, _ = await a_call(uow_factory, clock, slots=1)
    first, second, third = await residents(uow_factory, 3)
    assert (await join(uow_factory, clock, first, call.id)).status is SignupStatus.JOINED
    assert (await join(uow_factory, clock, second, call.id)).position == 1
    assert (await join(uow_factory, clock, third, call.id)).position == 2

    await leave(uow_factory, clock, first, call.id)

    async with uow_factory() as uow:
        assert await volunteers.status_of(uow, second, call.id) is SignupStatus.JOINED
        assert await volunteers.status_of(uow, third, call.id) is SignupStatus.WAITLISTED
        assert await volunteers.status_of(uow, first, call.id) is SignupStatus.LEFT
    rows = await outbox(uow_factory)
    told = [(r.chat_id, r.text) for r in rows if r.kind == "notice" and not r.key]
    assert told == [
        ("2", "promoted Dọn kênh Cái Khế"),
        ("9101", "Cư dân 1 left, Cư dân 2 instead"),
    ]
    reminders = sorted(r.key or "" for r in rows if (r.key or "").startswith("call:"))
    # The one who left has no reminders waiting; the one who took the place has both.
    assert [k for k in reminders if ":remind:" in k] == [
        f"call:{call.id}:remind:{second}:day",
        f"call:{call.id}:remind:{second}:hour",
    ]
    # The third moves up to first on the waitlist.
    assert (await join(uow_factory, clock, third, call.id)).position == 1


async def test_volunteers_are_reminded_the_day_before_and_an_hour_before(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    call, _ = await a_call(uow_factory, clock)
    [resident] = await residents(uow_factory, 1)

    await join(uow_factory, clock, resident, call.id)

    reminders = [r for r in await outbox(uow_factory) if ":remind:" in (r.key or "")]
    assert [(r.not_before, r.expires_at) for r in reminders] == [
        (STARTS - timedelta(days=1), STARTS),
        (STARTS - timedelta(hours=1), STARTS),
    ]
    assert reminders[1].text == "remind Dọn kênh Cái Khế 1:00:00"


async def test_one_who_joins_on_the_day_is_reminded_only_an_hour_before(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    call, _ = await a_call(uow_factory, clock)
    [resident] = await residents(uow_factory, 1)
    clock.move(STARTS - clock.now() - timedelta(hours=5))

    await join(uow_factory, clock, resident, call.id)

    keys = [r.key for r in await outbox(uow_factory) if ":remind:" in (r.key or "")]
    assert keys == [f"call:{call.id}:remind:{resident}:hour"]


async def test_joining_twice_keeps_one_place_and_no_one_joins_after_the_deadline(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    deadline = STARTS - timedelta(days=2)
    call, _ = await a_call(uow_factory, clock, signup_deadline=deadline)
    first, second = await residents(uow_factory, 2)
    await join(uow_factory, clock, first, call.id)
    again = await join(uow_factory, clock, first, call.id)
    assert again.already and again.status is SignupStatus.JOINED

    clock.move(deadline - clock.now())
    with pytest.raises(SignupsClosed):
        await join(uow_factory, clock, second, call.id)
    with pytest.raises(NotSignedUp):
        await leave(uow_factory, clock, second, call.id)
    with pytest.raises(CallNotFound):
        await join(uow_factory, clock, second, call.id + 100)


async def test_a_call_is_sent_once_to_each_listening_follower_of_the_alleys_chosen(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    ward, (first, second), organiser = await a_ward(uow_factory)
    followers = await residents(uow_factory, 3, first)
    others = await residents(uow_factory, 2, second, first=10)
    async with uow_factory() as uow:
        # One follows both alleys; one muted announcements; one blocked the bot.
        alley = await _alley(uow, second)
        await uow.subscriptions.add(followers[0], alley, 15)
        await uow.announcements.set_muted(followers[1], True)
        await uow.residents.deactivate(others[0])
        await uow.commit()

    async with uow_factory() as uow:
        _, invited = await organising.open_call(
            uow, [organiser], draft(ward), [first, second], clock.now(), NOTICES
        )
        await uow.commit()

    assert invited == 3
    invitations = [r for r in await outbox(uow_factory) if r.kind == "broadcast"]
    assert sorted(r.chat_id for r in invitations) == ["1", "11", "3"]
    assert {r.expires_at for r in invitations} == {STARTS}


async def test_only_organisers_of_the_ward_open_calls_and_bad_values_are_refused(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    ward, alleys, organiser = await a_ward(uow_factory)
    officer = Officer(organiser.id, ward, Role.OFFICER, "Lan")
    async with uow_factory() as uow:
        with pytest.raises(NotAllowed):
            await organising.open_call(uow, [officer], draft(ward), alleys, clock.now(), NOTICES)
        for bad, field in [
            (draft(ward, slots=0), "slots"),
            (draft(ward, place="x" * 301), "place"),
            (draft(ward, title=" "), "title"),
            (draft(ward, starts_at=clock.now() - timedelta(hours=1)), "when"),
            (draft(ward, ends_at=STARTS), "when"),
            (draft(ward, starts_at=STARTS + timedelta(days=400)), "when"),  # a typo'd year
            (draft(ward, signup_deadline=STARTS + timedelta(hours=1)), "deadline"),
        ]:
            with pytest.raises(InvalidCall) as refused:
                await organising.open_call(uow, [organiser], bad, alleys, clock.now(), NOTICES)
            assert refused.value.field == field
        with pytest.raises(InvalidCall):
            await organising.open_call(uow, [organiser], draft(ward), [999], clock.now(), NOTICES)
        assert await uow.volunteers.calls([ward.id], open_only=False, limit=10) == []


async def test_closing_a_call_records_who_came_and_what_was_done(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    call, _ = await a_call(uow_factory, clock, slots=3)
    ward, organiser = call.ward, await _organiser(uow_factory)
    people = await residents(uow_factory, 4)
    for person in people:
        await join(uow_factory, clock, person, call.id)
    results = {Measure.GARBAGE_KG: 120.0, Measure.CANAL_METRES: 50.0}

    nobody = Attendance(frozenset(), 3)
    async with uow_factory() as uow:
        with pytest.raises(CallNotOver):
            await organising.close_call(
                uow, [organiser], call.id, results, nobody, clock.now(), NOTICES
            )
    clock.move(STARTS + timedelta(hours=4) - clock.now())
    came = Attendance(frozenset(people[:2]), 3.0)
    async with uow_factory() as uow:
        with pytest.raises(InvalidCall):  # the fourth was on the waitlist: not one who came
            await organising.close_call(
                uow,
                [organiser],
                call.id,
                results,
                Attendance(frozenset(people), 3.0),
                clock.now(),
                NOTICES,
            )
        closed = await organising.close_call(
            uow, [organiser], call.id, results, came, clock.now(), NOTICES
        )
        await uow.commit()

    assert closed.state is CallState.CLOSED and closed.results == results
    async with uow_factory() as uow:
        figures = await volunteers.volunteer_figures(
            uow, [ward.id], STARTS - timedelta(days=1), STARTS + timedelta(days=1)
        )
        elsewhere = await volunteers.volunteer_figures(
            uow, [ward.id + 1], STARTS - timedelta(days=1), STARTS + timedelta(days=1)
        )
        roster = await organising.roster(uow, [organiser], call.id)
    assert (figures.calls_held, figures.signups, figures.attended) == (1, 3, 2)
    assert figures.hours == 6.0 and figures.turnout == pytest.approx(2 / 3)
    assert figures.results == results
    assert elsewhere.calls_held == 0 and elsewhere.turnout is None
    assert [(s.attended, s.hours) for s in roster.joined] == [(True, 3.0), (True, 3.0), (False, 0)]
    assert roster.waitlisted == () and roster.left == 1  # the fourth: no place will come free
    thanked = sorted(r.chat_id for r in await outbox(uow_factory) if ":thanks:" in (r.key or ""))
    assert thanked == ["1", "2"]


async def _organiser(uow_factory: UnitOfWorkFactory) -> Officer:
    async with uow_factory() as uow:
        [organiser] = await uow.officers.of_person("telegram", "9101")
    return organiser


async def test_organisers_find_offers_by_kind_and_invite_from_them_once(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    call, _ = await a_call(uow_factory, clock)
    organiser = await _organiser(uow_factory)
    truck, hands = await residents(uow_factory, 2, first=50)
    async with uow_factory() as uow:
        lorry = await offers.offer_help(
            uow, truck, call.ward.id, OfferKind.TRANSPORT, "Xe ba gác", "Sáng thứ Bảy"
        )
        await offers.offer_help(uow, hands, call.ward.id, OfferKind.LABOUR, "Hai tay", None)
        await uow.commit()

    async with uow_factory() as uow:
        found = await offers.find_offers(uow, [organiser], call.ward.id, OfferKind.TRANSPORT)
        every = await offers.find_offers(uow, [organiser], call.ward.id, None)
        first = await offers.invite_from_offer(
            uow, [organiser], lorry.id, call.id, clock.now(), NOTICES
        )
        again = await offers.invite_from_offer(
            uow, [organiser], lorry.id, call.id, clock.now(), NOTICES
        )
        await uow.commit()

    assert [o.description for o in found] == ["Xe ba gác"]
    assert len(every) == 2
    assert (first[2], again[2]) == (True, False)
    invited = [r.chat_id for r in await outbox(uow_factory) if ":offer:" in (r.key or "")]
    assert invited == ["50"]
    async with uow_factory() as uow:
        await offers.withdraw_offer(uow, truck, lorry.id)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.volunteers.offers_of(truck) == []


async def test_no_invitation_goes_to_someone_who_already_has_a_place_or_waits_for_one(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    call, _ = await a_call(uow_factory, clock, slots=1)
    organiser = await _organiser(uow_factory)
    joined, waiting = await residents(uow_factory, 2, first=60)
    async with uow_factory() as uow:
        made = [
            await offers.offer_help(uow, who, call.ward.id, OfferKind.LABOUR, "Hai tay", None)
            for who in (joined, waiting)
        ]
        await uow.commit()
    await join(uow_factory, clock, joined, call.id)
    await join(uow_factory, clock, waiting, call.id)  # the one place is taken: waits

    for offer, waitlisted in zip(made, (False, True), strict=True):
        async with uow_factory() as uow:
            with pytest.raises(AlreadySignedUp) as refused:
                await offers.invite_from_offer(
                    uow, [organiser], offer.id, call.id, clock.now(), NOTICES
                )
        assert refused.value.waitlisted is waitlisted
    assert [r for r in await outbox(uow_factory) if ":offer:" in (r.key or "")] == []


async def test_a_cancelled_call_tells_everyone_signed_up_or_waiting_once(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    call, _ = await a_call(uow_factory, clock, slots=1)
    organiser = await _organiser(uow_factory)
    joined, waiting, declined = await residents(uow_factory, 3, first=70)
    await join(uow_factory, clock, joined, call.id)
    await join(uow_factory, clock, waiting, call.id)
    async with uow_factory() as uow:
        await volunteers.decline(uow, declined, call.id, clock.now(), NOTICES)
        await uow.commit()
    assert any(":remind:" in (r.key or "") for r in await outbox(uow_factory))

    async with uow_factory() as uow:
        cancelled, told = await organising.cancel_call(
            uow, [organiser], call.id, clock.now(), NOTICES
        )
        await uow.commit()
    assert told == 2
    async with uow_factory() as uow:
        with pytest.raises(CallNotOpen):  # once: a second cancel changes nothing
            await organising.cancel_call(uow, [organiser], call.id, clock.now(), NOTICES)
        with pytest.raises(SignupsClosed):
            await volunteers.join(uow, declined, call.id, clock.now(), NOTICES)
        shown = await uow.volunteers.call(call.id)
    assert shown is not None and shown.state is CallState.CANCELLED
    queued = await outbox(uow_factory)
    assert sorted(r.chat_id for r in queued if r.text == f"cancelled {cancelled.title}") == [
        "70",
        "71",
    ]
    assert not any(":remind:" in (r.key or "") for r in queued)  # reminders withdrawn


async def test_a_changed_call_tells_its_volunteers_once_and_gives_new_places_to_the_waitlist(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    call, _ = await a_call(uow_factory, clock, slots=1)
    organiser = await _organiser(uow_factory)
    joined, waiting = await residents(uow_factory, 2, first=80)
    await join(uow_factory, clock, joined, call.id)
    await join(uow_factory, clock, waiting, call.id)

    async def edited(change: CallEdit) -> tuple[VolunteerCall, int]:
        async with uow_factory() as uow:
            result = await edit_call(uow, [organiser], call.id, change, clock.now(), NOTICES)
            await uow.commit()
        return result

    with pytest.raises(InvalidCall):
        await edited(CallEdit(slots=0))
    assert (await edited(CallEdit(slots=1)))[1] == 0  # nothing changed: no one is told
    bigger, told = await edited(CallEdit(slots=2))
    assert (bigger.slots, told) == (2, 2)
    later = STARTS + timedelta(days=1)
    moved, _ = await edited(CallEdit(starts_at=later, ends_at=later + timedelta(hours=3)))

    queued = await outbox(uow_factory)
    assert sorted(r.chat_id for r in queued if r.text == f"changed {call.title} 2") == [
        "80",
        "80",
        "81",
        "81",
    ]
    assert [r.chat_id for r in queued if r.text == f"promoted {call.title}"] == ["81"]
    reminders = [r for r in queued if ":remind:" in (r.key or "")]
    assert {r.chat_id for r in reminders} == {"80", "81"}
    assert all(r.expires_at == moved.starts_at for r in reminders)  # planned for the new time


async def test_saying_cannot_gives_up_a_place_and_is_counted(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    call, _ = await a_call(uow_factory, clock, slots=1)
    first, second = await residents(uow_factory, 2)
    await join(uow_factory, clock, first, call.id)
    async with uow_factory() as uow:
        gave_up = await volunteers.decline(uow, first, call.id, clock.now(), NOTICES)
        declined = await volunteers.decline(uow, second, call.id, clock.now(), NOTICES)
        await uow.commit()
    assert (gave_up.status, declined.status) == (SignupStatus.LEFT, SignupStatus.DECLINED)
    organiser = await _organiser(uow_factory)
    async with uow_factory() as uow:
        roster = await organising.roster(uow, [organiser], call.id)
    assert (roster.joined, roster.declined, roster.left) == ((), 1, 1)


async def test_once_the_call_has_begun_a_place_is_not_given_up(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    call, _ = await a_call(uow_factory, clock, slots=1)
    (volunteer,) = await residents(uow_factory, 1)
    await join(uow_factory, clock, volunteer, call.id)
    clock.move(STARTS + timedelta(minutes=30) - clock.now())
    async with uow_factory() as uow:
        with pytest.raises(SignupsClosed):  # who came is the organiser's to say now
            await volunteers.decline(uow, volunteer, call.id, clock.now(), NOTICES)
