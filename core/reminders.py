"""The bell: which reminders are due, and when to start each so that all land on time.

A reminder is due `lead` minutes before its collection. It is on time when it lands in
`[due - 10 min, due + 1 min]`, and it is never sent once the collection has passed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.calendar import Collection, Holidays, collections_between
from core.model import AlleySchedule

EARLY = timedelta(minutes=10)  # how early a reminder may land and still be on time
LATE = timedelta(minutes=1)  # how late


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

    @property
    def ref(self) -> str:
        """What the bell's keys name this follower by."""
        return f"g{self.alley_id}" if self.group else str(self.subscription_id)


@dataclass(frozen=True)
class Reminder:
    follower: Follower
    schedule: AlleySchedule
    collection: Collection

    @property
    def due(self) -> datetime:
        return self.collection.at - timedelta(minutes=self.follower.lead_minutes)

    @property
    def window(self) -> tuple[datetime, datetime]:
        return self.due - EARLY, self.due + LATE

    @property
    def key(self) -> str:
        """Unique per subscription and collection: the outbox never takes the same one twice."""
        at = self.collection.at.astimezone(UTC).strftime("%Y%m%dT%H%M")
        return f"{bell_key_prefix(self.follower.ref)}{at}"


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
    """Reminders for the collections in `[start, end)`; a reminder may be due before `start`."""
    collections = {
        alley_id: collections_between(schedule, start, end, holidays)
        for alley_id, schedule in schedules.items()
    }
    return [
        Reminder(follower, schedules[follower.alley_id], collection)
        for follower in followers
        for collection in collections.get(follower.alley_id, ())
    ]


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
