"""The bell: which reminders are due, and when to start each so that all land on time.

A reminder is due `lead` minutes before its collection, or, for an evening-before bell, at the
ward's evening time the day before. It is on time when it lands in `[due - 10 min, due + 1 min]`,
and it is never sent once the collection has passed (an evening bell: once its day has begun).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from core.calendar import Collection, Holidays, collections_between
from core.model import AlleySchedule, Bells

EARLY = timedelta(minutes=10)  # how early a reminder may land and still be on time
LATE = timedelta(minutes=1)  # how late
# An evening bell rings the day before its collection: the planner looks this much further.
EVENING_REACH = timedelta(days=2)


@dataclass(frozen=True)
class Follower:
    """A subscription as the bell needs it: who, where to write, in which language.

    An alley's group chat follows it too: one message there, in the ward's default language,
    with `group` set and the alley's id in place of a subscription's.
    """

    subscription_id: int
    resident_id: int | None
    alley_id: int
    channel: str
    chat_id: str
    lead_minutes: int
    language: str | None
    platform_language: str | None
    group: bool = False
    bells: Bells = Bells.BEFORE

    @property
    def ref(self) -> str:
        """What the bell's keys name this follower by."""
        return f"g{self.alley_id}" if self.group else str(self.subscription_id)


@dataclass(frozen=True)
class Reminder:
    follower: Follower
    schedule: AlleySchedule
    collection: Collection
    evening: bool = False  # the evening-before bell, rather than the minutes-before one

    @property
    def due(self) -> datetime:
        if self.evening:
            return datetime.combine(
                self._day_before(), self._evening_at(), self.collection.at.tzinfo
            )
        return self.collection.at - timedelta(minutes=self.follower.lead_minutes)

    @property
    def expires(self) -> datetime:
        """After this the bell is pointless: the truck has come, or (evening) its day began."""
        if self.evening:
            at = self.collection.at
            return datetime.combine(at.date(), time(0), at.tzinfo)
        return self.collection.at

    @property
    def window(self) -> tuple[datetime, datetime]:
        return self.due - EARLY, self.due + LATE

    @property
    def key(self) -> str:
        """Unique per subscription and collection: the outbox never takes the same one twice."""
        at = self.collection.at.astimezone(UTC).strftime("%Y%m%dT%H%M")
        return f"{bell_key_prefix(self.follower.ref)}{at}{EVENING_KEY if self.evening else ''}"

    def _day_before(self) -> date:
        return self.collection.at.date() - timedelta(days=1)

    def _evening_at(self) -> time:
        evening_at = self.schedule.alley.ward.evening_at
        assert evening_at is not None  # only a ward with an evening time has evening bells
        return evening_at


EVENING_KEY = ":evening"


def bell_key_prefix(ref: int | str) -> str:
    """The start of the keys of one follower's bells (a subscription id, or a group's ref)."""
    return f"bell:{ref}:"


@dataclass(frozen=True)
class Planned:
    reminder: Reminder
    start: datetime  # not before this; earlier than `due` only to make room in a crowded slot
    on_time: bool  # False when the platform's rate cannot land it inside its window


@dataclass(frozen=True)
class Crowded:
    """A minute of the calendar whose reminders cannot all land on time."""

    channel: str
    minute: datetime
    reminders: int
    late: int
    wards: frozenset[int] = frozenset()  # the wards whose reminders cannot land on time


def reminders_between(
    schedules: Mapping[int, AlleySchedule],
    followers: Iterable[Follower],
    start: datetime,
    end: datetime,
    holidays: Holidays,
) -> list[Reminder]:
    """Minutes-before bells for the collections in `[start, end)`, and evening bells due before
    `end` for collections from `start` on; either may be due before `start`.

    A follower who chose only the evening bell, in a ward that has none, hears the other.
    """
    followers = list(followers)
    evenings = {
        f.alley_id
        for f in followers
        if f.bells.evening and f.alley_id in schedules and _has_evening(schedules[f.alley_id])
    }
    collections = {
        alley_id: collections_between(
            schedule,
            start,
            end + (EVENING_REACH if alley_id in evenings else timedelta()),
            holidays,
        )
        for alley_id, schedule in schedules.items()
    }
    reminders = []
    for follower in followers:
        schedule = schedules.get(follower.alley_id)
        if schedule is None:
            continue
        evening = follower.bells.evening and follower.alley_id in evenings
        before = follower.bells.before or not evening
        for collection in collections[follower.alley_id]:
            if before and collection.at < end:
                reminders.append(Reminder(follower, schedule, collection))
            if evening:
                bell = Reminder(follower, schedule, collection, evening=True)
                # One whose day has begun already is pointless: never planned, never counted.
                if bell.due < end and bell.expires > start:
                    reminders.append(bell)
    return reminders


def _has_evening(schedule: AlleySchedule) -> bool:
    return schedule.alley.ward.evening_at is not None


def plan(reminders: Sequence[Reminder], per_second: float, now: datetime) -> list[Planned]:
    """When to start each reminder so that, sent at `per_second`, every one lands by the end
    of its window.

    Working back from the latest deadline, each reminder must be sent one sending slot before
    the next one's latest moment, and by its own deadline. It starts at its due time unless
    that latest moment comes sooner. One whose latest moment would come before its window
    opens cannot be on time: it takes no slot from the others, is marked to be reported, and
    starts at its deadline, never before its window.
    """
    # Rounded up: a slot a microsecond short, repeated over thousands, would make the last late.
    gap = timedelta(microseconds=math.ceil(1_000_000 / per_second))
    planned: list[Planned] = []
    latest: datetime | None = None
    for reminder in sorted(reminders, key=lambda r: r.window[1], reverse=True):
        earliest, deadline = reminder.window
        slot = deadline if latest is None else min(deadline, latest - gap)
        if slot < earliest:
            planned.append(Planned(reminder, max(deadline, now), on_time=False))
            continue
        latest = slot
        planned.append(Planned(reminder, max(min(reminder.due, slot), now), on_time=True))
    planned.reverse()
    return planned


def crowded(planned: Iterable[Planned]) -> list[Crowded]:
    """The minutes with reminders that cannot land on time, with how many, and whose."""
    counts: dict[tuple[str, datetime], tuple[int, int, frozenset[int]]] = {}
    for item in planned:
        reminder = item.reminder
        minute = reminder.due.replace(second=0, microsecond=0)
        total, late, wards = counts.get((reminder.follower.channel, minute), (0, 0, frozenset()))
        if not item.on_time:
            late += 1
            wards |= {reminder.schedule.alley.ward.id}
        counts[(reminder.follower.channel, minute)] = (total + 1, late, wards)
    return [
        Crowded(channel, minute, total, late, wards)
        for (channel, minute), (total, late, wards) in sorted(counts.items())
        if late
    ]
