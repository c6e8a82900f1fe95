"""Officers change an alley's bell: one collection skipped or moved, or a group linked."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.errors import AlleyNotFound, DateInPast, NotAllowed
from core.model import (
    Alley,
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
    """One collection skipped or moved, or (without a day) the alley's times rewritten."""

    alley: Alley
    day: date | None
    moved_to: datetime | None  # in the ward's time zone; None when the collection is skipped
    told: int = 0  # followers sent a notice


Notice = Callable[[Follower, ScheduleChange], Worded]


async def change_collection(
    uow: UnitOfWork,
    officers: Sequence[Officer],
    alley_code: str,
    day: date,
    moved_to: datetime | None,
    now: datetime,
    notice: Notice,
) -> ScheduleChange:
    """Skip (no `moved_to`) or move the collection of `day`, and tell the alley's followers.

    `moved_to` is a naive local time of the ward.
    """
    alley = await uow.alleys.by_code(alley_code)
    if alley is None:
        raise AlleyNotFound(alley_code)
    if not any(o.ward.id == alley.ward.id and o.role in MAY_CHANGE_CALENDAR for o in officers):
        raise NotAllowed()
    zone = ZoneInfo(alley.ward.timezone)
    today = now.astimezone(zone).date()
    if day < today or (moved_to is not None and moved_to.replace(tzinfo=zone) < now):
        raise DateInPast()
    action = ExceptionAction.SKIP if moved_to is None else ExceptionAction.MOVE
    await uow.alleys.set_exception(alley.id, CollectionException(day, action, moved_to))
    change = ScheduleChange(alley, day, moved_to.replace(tzinfo=zone) if moved_to else None)
    return await tell_followers(uow, change, notice)


async def tell_followers(
    uow: UnitOfWork, change: ScheduleChange, notice: Notice
) -> ScheduleChange:
    """Tell the alley's followers and group of a change to its calendar, at once.

    The bells already planned for the alley are withdrawn; the planner times them anew.
    """
    followers = await uow.subscriptions.followers(change.alley.id)
    followers += await uow.alleys.groups(change.alley.id)
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
    return ScheduleChange(change.alley, change.day, change.moved_to, told)


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
