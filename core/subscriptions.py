"""Use cases of a resident following alleys: find, subscribe, change lead time, unsubscribe."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from core import limits, search
from core.calendar import Collection, Holidays, next_collections
from core.errors import AlleyNotFound, InvalidLeadTime, NoEveningBell, SubscriptionNotFound
from core.model import LEAD_TIMES, Alley, Bells, Subscription
from core.ports import UnitOfWork
from core.reminders import bell_key_prefix

SEARCH_LIMIT = 8
MAX_QUERY_WORDS = 12


@dataclass(frozen=True)
class Subscribed:
    subscription: Subscription
    already: bool  # the resident followed this alley before
    next_collection: Collection | None


async def find_alleys(
    uow: UnitOfWork, query: str, limit: int = SEARCH_LIMIT, offset: int = 0
) -> list[Alley]:
    """Alleys whose names match the words, best first, from `offset` on; codes match too."""
    limits.bounded(query, limits.SEARCH)
    # Each word once, and no more than a name has: a pasted page is not a query.
    query_words = list(dict.fromkeys(search.words(query)))[:MAX_QUERY_WORDS]
    if not query_words:
        return []
    exact = await uow.alleys.by_code(query.strip())
    candidates = await uow.alleys.containing(query_words)
    ranked = sorted(
        ((search.score(query_words, folded), alley) for alley, folded in candidates),
        key=lambda pair: (-pair[0], pair[1].name),
    )
    found = [alley for points, alley in ranked if points > 0]
    if exact is not None:
        found = [exact] + [a for a in found if a.id != exact.id]
    return found[offset : offset + limit]


async def subscribe(
    uow: UnitOfWork,
    resident_id: int,
    alley_code: str,
    lead_minutes: int,
    now: datetime,
    holidays: Holidays,
) -> Subscribed:
    """Follow an alley; following it again keeps the lead time already chosen."""
    alley = await uow.alleys.by_code(alley_code)
    if alley is None:
        raise AlleyNotFound(alley_code)
    _check_lead(lead_minutes)
    existing = await uow.subscriptions.find(resident_id, alley.id)
    subscription = existing or await uow.subscriptions.add(resident_id, alley, lead_minutes)
    upcoming = next_collections(await uow.alleys.schedule(alley), now, 1, holidays)
    return Subscribed(subscription, existing is not None, upcoming[0] if upcoming else None)


async def followed(
    uow: UnitOfWork, resident_id: int, now: datetime, holidays: Holidays
) -> list[tuple[Subscription, Collection | None]]:
    """The resident's subscriptions, each with its alley's next collection."""
    found = []
    for subscription in await uow.subscriptions.of_resident(resident_id):
        schedule = await uow.alleys.schedule(subscription.alley)
        upcoming = next_collections(schedule, now, 1, holidays)
        found.append((subscription, upcoming[0] if upcoming else None))
    return found


async def subscription_of(uow: UnitOfWork, resident_id: int, subscription_id: int) -> Subscription:
    """The resident's own subscription; someone else's is as good as missing."""
    subscription = await uow.subscriptions.get(subscription_id)
    if subscription is None or subscription.resident_id != resident_id:
        raise SubscriptionNotFound()
    return subscription


async def unsubscribe(uow: UnitOfWork, resident_id: int, subscription_id: int) -> Subscription:
    subscription = await subscription_of(uow, resident_id, subscription_id)
    await uow.subscriptions.remove(subscription.id)
    await uow.outbox.withdraw(bell_key_prefix(subscription.id))
    return subscription


async def set_lead_time(
    uow: UnitOfWork, resident_id: int, subscription_id: int, lead_minutes: int
) -> Subscription:
    _check_lead(lead_minutes)
    subscription = await subscription_of(uow, resident_id, subscription_id)
    await uow.subscriptions.set_lead(subscription.id, lead_minutes)
    # The bells planned with the old lead time go; the planner times them anew.
    await uow.outbox.withdraw(bell_key_prefix(subscription.id))
    return replace(subscription, lead_minutes=lead_minutes)


async def choose_bells(
    uow: UnitOfWork, resident_id: int, subscription_id: int, bells: Bells
) -> Subscription:
    """Hear the bell minutes before the truck, the evening before (where the ward rings one),
    or both."""
    subscription = await subscription_of(uow, resident_id, subscription_id)
    if bells.evening and subscription.alley.ward.evening_at is None:
        raise NoEveningBell()
    await uow.subscriptions.set_bells(subscription.id, bells)
    # The bells planned for the old choice go; the planner plans the new one's.
    await uow.outbox.withdraw(bell_key_prefix(subscription.id))
    return replace(subscription, bells=bells)


async def subscriptions_of(uow: UnitOfWork, resident_id: int) -> list[Subscription]:
    """The alleys the resident follows, as their subscriptions."""
    return await uow.subscriptions.of_resident(resident_id)


def _check_lead(lead_minutes: int) -> None:
    if lead_minutes not in LEAD_TIMES:
        raise InvalidLeadTime(lead_minutes)
