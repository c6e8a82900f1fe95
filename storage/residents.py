"""Residents: who writes to the bot, on which channel, in which language."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.model import Resident
from storage.models import ResidentRow
from storage.shared import Now

LAST_SEEN_PRECISION = timedelta(minutes=10)


def _resident(row: ResidentRow) -> Resident:
    return Resident(
        row.id,
        row.channel,
        row.external_id,
        row.display_name,
        row.language,
        row.platform_language,
        row.active,
    )


class ResidentRepository:
    def __init__(self, session: AsyncSession, now: Now) -> None:
        self.session = session
        self.now = now

    async def seen(
        self,
        channel: str,
        external_id: str,
        display_name: str | None,
        platform_language: str | None,
    ) -> Resident:
        # Locked until the unit of work ends, so that two updates from one resident (a double
        # tap, two instances) take turns on PostgreSQL as BEGIN IMMEDIATE makes them on SQLite.
        query = (
            select(ResidentRow)
            .where(ResidentRow.channel == channel, ResidentRow.external_id == external_id)
            .with_for_update()
        )
        row = await self.session.scalar(query)
        now = self.now()
        if row is None:
            row = ResidentRow(
                channel=channel,
                external_id=external_id,
                created_at=now,
                last_seen_at=now,
                active=True,
                muted_announcements=False,
            )
            try:
                async with self.session.begin_nested():
                    self.session.add(row)
            except IntegrityError:
                # Their first two messages raced and the other one created them: use that row.
                row = (await self.session.scalars(query)).one()
        row.active = True
        # Minutes are precise enough for "last seen", and most messages then write nothing.
        if now - row.last_seen_at >= LAST_SEEN_PRECISION:
            row.last_seen_at = now
        if display_name:
            row.display_name = display_name
        if platform_language:
            row.platform_language = platform_language
        await self.session.flush()
        return _resident(row)

    async def set_language(self, resident_id: int, language: str) -> None:
        row = await self.session.get_one(ResidentRow, resident_id)
        row.language = language
        await self.session.flush()

    async def set_phone(self, resident_id: int, phone: str) -> None:
        row = await self.session.get_one(ResidentRow, resident_id)
        row.phone = phone
        await self.session.flush()

    async def deactivate(self, resident_id: int) -> None:
        row = await self.session.get(ResidentRow, resident_id)
        if row is not None:
            row.active = False
            await self.session.flush()
