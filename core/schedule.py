"""The collections a resident can expect: their alleys' calendars side by side."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.calendar import Collection, Holidays, occurrences
from core.errors import WardNotFound
from core.model import Alley, AlleySchedule, Subscription
from core.ports import UnitOfWork


@dataclass(frozen=True)
class AlleyWeek:
    alley: Alley
    collections: list[Collection]  # skipped ones included, marked, so residents know why


async def week_ahead(
    uow: UnitOfWork, resident_id: int, now: datetime, holidays: Holidays, days: int = 7
) -> list[AlleyWeek]:
    """For each alley the resident follows: its collections from now to `days` days ahead."""
    weeks = []
    for subscription in await uow.subscriptions.of_resident(resident_id):
        alley = subscription.alley
        local_now = now.astimezone(ZoneInfo(alley.ward.timezone))
        last_day = local_now.date() + timedelta(days=days - 1)
        schedule = await uow.alleys.schedule(alley)
        upcoming = [
            c for c in occurrences(schedule, local_now.date(), last_day, holidays) if c.at > now
        ]
        weeks.append(AlleyWeek(alley, upcoming))
    return weeks


async def followed_schedules(
    uow: UnitOfWork, resident_id: int
) -> list[tuple[Subscription, AlleySchedule]]:
    """The resident's subscriptions, each with its alley's schedule."""
    followed = await uow.subscriptions.of_resident(resident_id)
    found = await uow.alleys.schedules([s.alley.id for s in followed])
    return [(s, found[s.alley.id]) for s in followed if s.alley.id in found]


async def ward_schedules(uow: UnitOfWork, ward_code: str) -> list[AlleySchedule]:
    """The schedule of each alley of the ward, in the order the ward lists them."""
    ward = await uow.wards.by_code(ward_code)
    if ward is None:
        raise WardNotFound(ward_code)
    return [await uow.alleys.schedule(alley) for alley in await uow.alleys.in_ward(ward.id)]
