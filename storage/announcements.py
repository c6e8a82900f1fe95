"""Announcements to a ward's residents, who hears them, and how their sending went."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.mobilisation import Announcement, Delivered, Recipient
from core.model import BLOCKED_NOTE, OutboxStatus
from storage.models import (
    AnnouncementRow,
    OutboxRow,
    ResidentRow,
    SubscriptionRow,
    WardRow,
)
from storage.shared import Now, ward_from


def _announcement(row: AnnouncementRow, ward: WardRow) -> Announcement:
    return Announcement(
        id=row.id,
        ward=ward_from(ward),
        text=row.text,
        recipients=row.recipients,
        channel=row.channel,
        chat_id=row.chat_id,
        language=row.language,
        created_at=row.created_at,
        progress_at=row.progress_at,
        finished_at=row.finished_at,
    )


class AnnouncementRepository:
    def __init__(self, session: AsyncSession, now: Now) -> None:
        self.session = session
        self.now = now

    @staticmethod
    def _followers(alley_ids: Collection[int]) -> Select[int]:
        """The ids of the residents who follow any of the alleys and can be written to."""
        return (
            select(SubscriptionRow.resident_id)
            .join(ResidentRow, SubscriptionRow.resident_id == ResidentRow.id)
            .where(SubscriptionRow.alley_id.in_(list(alley_ids)), ResidentRow.active.is_(True))
            .distinct()
        )

    async def audience(self, alley_ids: Collection[int]) -> list[Recipient]:
        if not alley_ids:
            return []
        query = (
            select(
                ResidentRow.id,
                ResidentRow.channel,
                ResidentRow.external_id,
                ResidentRow.language,
                ResidentRow.platform_language,
                ResidentRow.display_name,
            )
            .where(
                ResidentRow.id.in_(self._followers(alley_ids)),
                ResidentRow.muted_announcements.is_(False),
            )
            .order_by(ResidentRow.id)
        )
        return [Recipient(*row) for row in await self.session.execute(query)]

    async def audience_size(self, alley_ids: Collection[int]) -> tuple[int, int]:
        if not alley_ids:
            return 0, 0
        muted = ResidentRow.muted_announcements.is_(True)
        listening, silent = (
            await self.session.execute(
                select(func.count().filter(~muted), func.count().filter(muted)).where(
                    ResidentRow.id.in_(self._followers(alley_ids))
                )
            )
        ).one()
        return int(listening), int(silent)

    async def muted(self, resident_id: int) -> bool:
        row = await self.session.get_one(ResidentRow, resident_id)
        return row.muted_announcements

    async def set_muted(self, resident_id: int, muted: bool) -> None:
        await self.session.execute(
            update(ResidentRow)
            .where(ResidentRow.id == resident_id)
            .values(muted_announcements=muted)
        )

    async def add(
        self,
        ward_id: int,
        officer_id: int | None,
        text: str,
        recipients: int,
        where: tuple[str, str],
        language: str,
    ) -> Announcement:
        row = AnnouncementRow(
            ward_id=ward_id,
            officer_id=officer_id,
            text=text,
            recipients=recipients,
            channel=where[0],
            chat_id=where[1],
            language=language,
            created_at=self.now(),
        )
        self.session.add(row)
        await self.session.flush()
        ward = await self.session.get_one(WardRow, ward_id)
        return _announcement(row, ward)

    async def unfinished(self) -> list[Announcement]:
        query = (
            select(AnnouncementRow, WardRow)
            .join(WardRow, AnnouncementRow.ward_id == WardRow.id)
            .where(AnnouncementRow.finished_at.is_(None))
            .order_by(AnnouncementRow.id)
            # Claimed: a follow-up run beside this one (another instance's) skips these.
            .with_for_update(skip_locked=True, of=AnnouncementRow)
        )
        return [_announcement(*found) for found in await self.session.execute(query)]

    async def outcomes(self, announcement_id: int) -> Delivered:
        return await outcomes_of(self.session, OutboxRow.announcement_id == announcement_id)

    async def mark(
        self,
        announcement_id: int,
        *,
        progress_at: datetime | None = None,
        finished_at: datetime | None = None,
    ) -> None:
        values = {"progress_at": progress_at, "finished_at": finished_at}
        await self.session.execute(
            update(AnnouncementRow)
            .where(AnnouncementRow.id == announcement_id)
            .values(**{name: value for name, value in values.items() if value is not None})
        )


async def outcomes_of(session: AsyncSession, copies: ColumnElement[bool]) -> Delivered:
    """How the outbox rows that `copies` picks ended, counted as an announcement's summary."""
    status = OutboxRow.status
    # The dispatcher notes a message refused because the person blocked the bot.
    blocked = and_(
        status == OutboxStatus.FAILED.value,
        func.coalesce(OutboxRow.outcome, "").startswith(BLOCKED_NOTE, autoescape=True),
    )
    waiting = status.in_([OutboxStatus.PENDING.value, OutboxStatus.SENDING.value])
    query = (
        select(
            func.count().filter(status == OutboxStatus.SENT.value),
            func.count().filter(blocked),
            func.count().filter(
                status.in_([OutboxStatus.FAILED.value, OutboxStatus.SKIPPED.value]), ~blocked
            ),
            func.count().filter(status == OutboxStatus.UNCERTAIN.value),
            func.count().filter(waiting),
        )
        .select_from(OutboxRow)
        .where(copies)
    )
    return Delivered(*(int(n) for n in (await session.execute(query)).one()))
