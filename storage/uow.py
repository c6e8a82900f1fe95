"""The unit of work: one session, one transaction, the repositories that share it."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import Clock
from storage.announcements import AnnouncementRepository
from storage.api_keys import ApiKeyRepository
from storage.dialogues import DialogueRepository
from storage.inbox import InboxRepository
from storage.officers import OfficerRepository
from storage.outbox import OutboxRepository
from storage.privacy import PrivacyRepository
from storage.report_figures import FiguresRepository
from storage.reports import ReportRepository
from storage.residents import ResidentRepository
from storage.subscriptions import SubscriptionRepository
from storage.volunteers import VolunteerRepository
from storage.wards import AlleyRepository, WardRepository


class SqlUnitOfWork:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        write_lock: asyncio.Lock | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._write_lock = write_lock

    async def __aenter__(self) -> Self:
        if self._write_lock is not None:
            await self._write_lock.acquire()
        self.session = self._sessions()
        now = self._clock.now
        self.wards = WardRepository(self.session)
        self.alleys = AlleyRepository(self.session)
        self.residents = ResidentRepository(self.session, now)
        self.subscriptions = SubscriptionRepository(self.session, now)
        self.officers = OfficerRepository(self.session)
        self.volunteers = VolunteerRepository(self.session, now)
        self.announcements = AnnouncementRepository(self.session, now)
        self.reports = ReportRepository(self.session)
        self.figures = FiguresRepository(self.session)
        self.dialogues = DialogueRepository(self.session, now)
        self.inbox = InboxRepository(self.session, now)
        self.outbox = OutboxRepository(self.session, now)
        self.api_keys = ApiKeyRepository(self.session)
        self.privacy = PrivacyRepository(self.session, now)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            # Whatever was not committed is rolled back: nothing is half-written.
            await self.session.rollback()
            await self.session.close()
        finally:
            if self._write_lock is not None:
                self._write_lock.release()

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()
