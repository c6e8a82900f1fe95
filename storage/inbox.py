"""The inbox: updates already handled, so that one delivered twice is answered once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedUpdateRow
from storage.shared import Now, insert_for


class InboxRepository:
    def __init__(self, session: AsyncSession, now: Now) -> None:
        self.session = session
        self.now = now

    async def first_time(self, channel: str, key: str) -> bool:
        # Both dialects can skip a duplicate in the insert itself: one statement, no savepoint.
        insert = insert_for(self.session)
        statement = (
            insert(ProcessedUpdateRow)
            .values(channel=channel, key=key, at=self.now())
            .on_conflict_do_nothing(index_elements=["channel", "key"])
        )
        result = await self.session.execute(statement)
        return bool(getattr(result, "rowcount", 0))

    async def forget_before(self, instant: datetime) -> int:
        result = await self.session.execute(
            delete(ProcessedUpdateRow).where(ProcessedUpdateRow.at < instant)
        )
        return int(getattr(result, "rowcount", 0) or 0)
