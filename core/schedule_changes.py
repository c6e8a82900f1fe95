"""Officers change an alley's bell: one collection skipped, moved or given back, or a group
linked. A change is first proposed (checked, with who would hear of it), then made."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.calendar import Holidays, occurrences
from core.errors import (
    AlleyNotFound,
    DateInPast,
    NoCollectionThatDay,
    NotAllowed,
    NothingToUndo,
    SlotTaken,
)
from core.model import (
    Alley,
    AlleySchedule,
    CollectionException,
    ExceptionAction,
    NewMessage,
    Officer,
    Role,
    Worded,
)
from core.ports import UnitOfWork
from core.reminders import Follower, bell_key_prefix

MAY_CHANGE_CALENDAR = frozenset({Role.OFFICER, Role.ADMIN})


@dataclass(frozen=True)
class ScheduleChange:
    """One collection skipped, moved or given back, or (without a day) the alley's times
    rewritten."""

    alley: Alley
    day: date | None
    moved_to: datetime | None  # in the ward's time zone; None when skipped or given back
    told: int = 0  # followers sent a notice
    today: date | None = None  # the ward's day when it was made: other years are named
    back_at: datetime | None = None  # given back: the collection, as the rules have it


@dataclass(frozen=True)
class Proposal:
    """A change checked against the calendar, with how many would be told of it."""

    change: ScheduleChange
    audience: int  # followers and linked groups that would be told
    already: bool  # the calendar is already so: making it tells no one


Notice = Callable[[Follower, ScheduleChange], Worded]


async def propose_change(
    uow: UnitOfWork,
    officers: Sequence[Officer],
    alley_code: str,
    day: date,
    moved_to: datetime | None,
    now: datetime,
    holidays: Holidays,
) -> Proposal:
    """Check a skip (no `moved_to`) or move of the collection of `day`; change nothing.

    `moved_to` is a naive local time of the ward. Moving a collection back to its own time
    gives it back. Raises `NoCollectionThatDay` when the rules bring no truck that day and
    `SlotTaken` when the alley already has a collection at `moved_to`.
    """
    alley, schedule = await _alley(uow, officers, alley_code)
    zone = ZoneInfo(alley.ward.timezone)
    today = now.astimezone(zone).date()
    if day < today or (moved_to is not None and moved_to.replace(tzinfo=zone) < now):
        raise DateInPast()
    regular = _regular(schedule, day, holidays)
    if regular is None:
        raise NoCollectionThatDay(schedule.rules)
    if moved_to is not None and moved_to.replace(tzinfo=zone) == regular:
        return await _undo(uow, schedule, day, today, regular)
    if moved_to is not None and _taken(schedule, day, moved_to.replace(tzinfo=zone), holidays):
        raise SlotTaken()
    action = ExceptionAction.SKIP if moved_to is None else ExceptionAction.MOVE
    already = CollectionException(day, action, moved_to) in schedule.exceptions
    at = moved_to.replace(tzinfo=zone) if moved_to else None
    change = ScheduleChange(alley, day, at, today=today)
    return Proposal(change, await _audience(uow, alley), already)


async def propose_undo(
    uow: UnitOfWork,
    officers: Sequence[Officer],
    alley_code: str,
    day: date,
    now: datetime,
    holidays: Holidays,
) -> Proposal:
    """Check giving the collection of `day` back as the rules have it; change nothing."""
    alley, schedule = await _alley(uow, officers, alley_code)
    today = now.astimezone(ZoneInfo(alley.ward.timezone)).date()
    if day < today:
        raise DateInPast()
    regular = _regular(schedule, day, holidays)
    if regular is None:
        raise NoCollectionThatDay(schedule.rules)
    return await _undo(uow, schedule, day, today, regular)


async def make_change(uow: UnitOfWork, proposal: Proposal, notice: Notice) -> ScheduleChange:
    """Write a proposed change and tell the alley's followers, unless it was already so."""
    change = proposal.change
    if proposal.already:
        return change
    assert change.day is not None  # officers change one day
    if change.back_at is not None:
        await uow.alleys.remove_exception(change.alley.id, change.day)
    else:
        action = ExceptionAction.SKIP if change.moved_to is None else ExceptionAction.MOVE
        local = change.moved_to.replace(tzinfo=None) if change.moved_to else None
        exception = CollectionException(change.day, action, local)
        await uow.alleys.set_exception(change.alley.id, exception)
    return await tell_followers(uow, change, notice)


async def tell_followers(
    uow: UnitOfWork, change: ScheduleChange, notice: Notice
) -> ScheduleChange:
    """Tell the alley's followers and group of a change to its calendar, at once.

    The bells already planned for the alley are withdrawn; the planner times them anew.
    """
    followers = await _followers(uow, change.alley)
    for follower in followers:
        await uow.outbox.withdraw(bell_key_prefix(follower.ref))
    told = await uow.outbox.add_new(
        [
            NewMessage.worded(
                "notice",
                f.channel,
                f.chat_id,
                notice(f, change),
                resident_id=f.resident_id,
            )
            for f in followers
        ]
    )
    return replace(change, told=told)


async def link_group(
    uow: UnitOfWork, officers: Sequence[Officer], alley_code: str, channel: str, chat_id: str
) -> Alley:
    """Ring the alley's bell in a group chat too; only its ward's officers may link one."""
    alley = await uow.alleys.by_code(alley_code)
    if alley is None:
        raise AlleyNotFound(alley_code)
    if not any(o.ward.id == alley.ward.id and o.role in MAY_CHANGE_CALENDAR for o in officers):
        raise NotAllowed()
    await uow.alleys.link_group(alley.id, channel, chat_id)
    return alley


async def _alley(
    uow: UnitOfWork, officers: Sequence[Officer], alley_code: str
) -> tuple[Alley, AlleySchedule]:
    alley = await uow.alleys.by_code(alley_code)
    if alley is None:
        raise AlleyNotFound(alley_code)
    if not any(o.ward.id == alley.ward.id and o.role in MAY_CHANGE_CALENDAR for o in officers):
        raise NotAllowed()
    return alley, await uow.alleys.schedule(alley)


async def _undo(
    uow: UnitOfWork, schedule: AlleySchedule, day: date, today: date, regular: datetime
) -> Proposal:
    if not any(e.on == day for e in schedule.exceptions):
        raise NothingToUndo()
    change = ScheduleChange(schedule.alley, day, None, today=today, back_at=regular)
    return Proposal(change, await _audience(uow, schedule.alley), already=False)


def _regular(schedule: AlleySchedule, day: date, holidays: Holidays) -> datetime | None:
    """The first collection the alley's rules bring on `day`, whatever changes were made."""
    plain = replace(schedule, exceptions=())
    found = [c.at for c in occurrences(plain, day, day, holidays) if c.at.date() == day]
    return min(found, default=None)


def _taken(schedule: AlleySchedule, day: date, at: datetime, holidays: Holidays) -> bool:
    """Whether the alley has a collection at `at` besides the one of `day` being moved."""
    others = replace(schedule, exceptions=tuple(e for e in schedule.exceptions if e.on != day))
    return any(
        c.happens and c.at == at and (c.regular_day or c.at.date()) != day
        for c in occurrences(others, at.date(), at.date(), holidays)
    )


async def _followers(uow: UnitOfWork, alley: Alley) -> list[Follower]:
    return await uow.subscriptions.followers(alley.id) + await uow.alleys.groups(alley.id)


async def _audience(uow: UnitOfWork, alley: Alley) -> int:
    return len(await _followers(uow, alley))
