"""The composition root: builds everything from the settings and closes it in reverse."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.console.terminal import CHANNEL as CONSOLE
from bot.channels.telegram.adapter import CHANNEL as TELEGRAM
from bot.channels.zalo.adapter import CHANNEL as ZALO
from bot.chat.conversation import Conversation
from bot.chat.i18n import Catalogues
from bot.features.announcements.wording import AnnouncementWording
from bot.features.bell.wording import BellWording, CrowdedWording
from bot.features.registry import build_router
from bot.features.reports.wording import ReportWording
from core.clock import Clock, SystemClock
from core.holidays import VietnamHolidays
from core.ports import UnitOfWork, UnitOfWorkFactory
from core.triage import Triage
from scheduler.jobs import build_scheduler
from scheduler.planner import Planner
from storage import migrate
from storage.database import create_engine, session_factory, write_lock_for
from storage.uow import SqlUnitOfWork
from urbanbell.settings import LOCALES, Settings

CONSOLE_RATE = 1000.0  # a terminal takes what it is given


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    clock: Clock
    catalogues: Catalogues
    conversation: Conversation

    def uow(self) -> UnitOfWork:
        return self.conversation.uow_factory()

    def planner(self) -> Planner:
        """The bell's planner, timing each channel's reminders at that channel's rate."""
        wording = BellWording(self.catalogues, self.settings.default_locale)
        rates = {
            TELEGRAM: self.settings.telegram_rate,
            ZALO: self.settings.zalo_per_second,
            CONSOLE: CONSOLE_RATE,
        }
        return Planner(
            self.uow,
            self.clock,
            self.conversation.holidays,
            wording,
            rates,
            group_lead=self.settings.reminder_lead_minutes,
            warning=CrowdedWording(self.catalogues, self.settings.default_locale),
        )

    def scheduler(self) -> AsyncIOScheduler:
        """The periodic jobs: the bell's planner, reports' and announcements' follow-ups."""
        return build_scheduler(
            self.planner(),
            self.uow,
            self.clock,
            self.conversation.triage,
            AnnouncementWording(self.catalogues, self.settings.default_locale),
        )


def build_conversation(
    settings: Settings, uow_factory: UnitOfWorkFactory, catalogues: Catalogues, clock: Clock
) -> Conversation:
    holidays = VietnamHolidays()
    return Conversation(
        router=build_router(),
        uow_factory=uow_factory,
        catalogues=catalogues,
        clock=clock,
        holidays=holidays,
        default_locale=settings.default_locale,
        default_lead=settings.reminder_lead_minutes,
        triage=Triage(
            settings.report_policy(),
            settings.working_time(holidays),
            ReportWording(catalogues, settings.default_locale),
        ),
    )


@asynccontextmanager
async def open_app(settings: Settings, clock: Clock | None = None) -> AsyncIterator[App]:
    """Connect to the database, bring its schema up to date, and wire the bot."""
    clock = clock or SystemClock()
    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        sessions = session_factory(engine)
        write_lock = write_lock_for(engine)
        catalogues = Catalogues(LOCALES)
        conversation = build_conversation(
            settings, lambda: SqlUnitOfWork(sessions, clock, write_lock), catalogues, clock
        )
        yield App(settings, engine, clock, catalogues, conversation)
    finally:
        await engine.dispose()
