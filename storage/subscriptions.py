"""Subscriptions: the alleys residents follow, and who is to hear each alley's bell."""

from __future__ import annotations

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.model import Alley, Bells, Subscription
from core.reminders import Follower
from storage.models import AlleyRow, ResidentRow, SubscriptionRow, WardRow
from storage.shared import Now, alley_from


class SubscriptionRepository:
    def __init__(self, session: AsyncSession, now: Now) -> None:
        self.session = session
        self.now = now

    def _select(self) -> Select[SubscriptionRow, AlleyRow, WardRow]:
        return (
            select(SubscriptionRow, AlleyRow, WardRow)
            .join(AlleyRow, SubscriptionRow.alley_id == AlleyRow.id)
            .join(WardRow, AlleyRow.ward_id == WardRow.id)
        )

    @staticmethod
    def _subscription(row: SubscriptionRow, alley: AlleyRow, ward: WardRow) -> Subscription:
        return Subscription(
            row.id, row.resident_id, alley_from(alley, ward), row.lead_minutes, Bells(row.bells)
        )

    async def of_resident(self, resident_id: int) -> list[Subscription]:
        query = (
            self._select()
            .where(SubscriptionRow.resident_id == resident_id)
            .order_by(AlleyRow.name, SubscriptionRow.id)
        )
        return [self._subscription(*found) for found in await self.session.execute(query)]

    async def get(self, subscription_id: int) -> Subscription | None:
        query = self._select().where(SubscriptionRow.id == subscription_id)
        found = (await self.session.execute(query)).first()
        return None if found is None else self._subscription(*found)

    async def find(self, resident_id: int, alley_id: int) -> Subscription | None:
        query = self._select().where(
            SubscriptionRow.resident_id == resident_id, SubscriptionRow.alley_id == alley_id
        )
        found = (await self.session.execute(query)).first()
        return None if found is None else self._subscription(*found)

    async def add(self, resident_id: int, alley: Alley, lead_minutes: int) -> Subscription:
        row = SubscriptionRow(
            resident_id=resident_id,
            alley_id=alley.id,
            lead_minutes=lead_minutes,
            created_at=self.now(),
        )
        self.session.add(row)
        await self.session.flush()
        return Subscription(row.id, resident_id, alley, lead_minutes)

    async def remove(self, subscription_id: int) -> None:
        await self.session.execute(
            delete(SubscriptionRow).where(SubscriptionRow.id == subscription_id)
        )

    async def set_lead(self, subscription_id: int, lead_minutes: int) -> None:
        row = await self.session.get_one(SubscriptionRow, subscription_id)
        row.lead_minutes = lead_minutes
        await self.session.flush()

    async def set_bells(self, subscription_id: int, bells: Bells) -> None:
        row = await self.session.get_one(SubscriptionRow, subscription_id)
        row.bells = bells.value
        await self.session.flush()

    async def followers(self, alley_id: int | None = None) -> list[Follower]:
        query = (
            select(
                SubscriptionRow.id,
                SubscriptionRow.resident_id,
                SubscriptionRow.alley_id,
                ResidentRow.channel,
                ResidentRow.external_id,
                SubscriptionRow.lead_minutes,
                ResidentRow.language,
                ResidentRow.platform_language,
                SubscriptionRow.bells,
            )
            .join(ResidentRow, SubscriptionRow.resident_id == ResidentRow.id)
            .where(ResidentRow.active.is_(True))
        )
        if alley_id is not None:
            query = query.where(SubscriptionRow.alley_id == alley_id)
        return [
            Follower(*row[:-1], bells=Bells(row[-1])) for row in await self.session.execute(query)
        ]
