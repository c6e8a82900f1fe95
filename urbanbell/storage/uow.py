"""The unit of work: one session, one transaction, the repositories that share it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from urbanbell.core.clock import Clock
from urbanbell.storage.outbox import InboxRepository, OutboxRepository
from urbanbell.storage.repositories import (
    AlleyRepository,
    DialogueRepository,
    OfficerRepository,
    ResidentRepository,
    SubscriptionRepository,
    WardRepository,
)


class SqlUnitOfWork:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def __aenter__(self) -> Self:
        self.session = self._sessions()
        now = self._clock.now
        self.wards = WardRepository(self.session)
        self.alleys = AlleyRepository(self.session)
        self.residents = ResidentRepository(self.session, now)
        self.subscriptions = SubscriptionRepository(self.session, now)
        self.officers = OfficerRepository(self.session)
        self.dialogues = DialogueRepository(self.session, now)
        self.inbox = InboxRepository(self.session, now)
        self.outbox = OutboxRepository(self.session, now)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Whatever was not committed is rolled back: nothing is half-written.
        await self.session.rollback()
        await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()
