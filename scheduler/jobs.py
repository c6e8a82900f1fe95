"""The periodic jobs, made from the code at start-up: nothing is pickled, nothing shared."""

from __future__ import annotations

import logging
from datetime import UTC, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from core import announcements, retention, triage
from core.announcements import AnnouncementNotices
from core.clock import Clock
from core.ports import UnitOfWorkFactory
from core.retention import Retention
from core.triage import Triage
from scheduler.planner import Planner

PLAN_EVERY = timedelta(minutes=2)
FOLLOW_UP_EVERY = timedelta(minutes=5)
ANNOUNCEMENTS_EVERY = timedelta(seconds=10)
KEEP_HANDLED_UPDATES = timedelta(days=14)

log = logging.getLogger(__name__)


async def follow_up_reports(uow_factory: UnitOfWorkFactory, clock: Clock, reports: Triage) -> None:
    """Escalate reports past their targets; ask again whether resolved ones are fixed."""
    async with uow_factory() as uow:
        now = clock.now()
        escalated = await triage.escalate_overdue(uow, now, reports.notices)
        asked = await triage.ask_again(uow, now, reports)
        await uow.commit()
    if escalated or asked:
        log.info("reports: %d escalated, %d reporters asked again", escalated, asked)


def build_scheduler(
    planner: Planner,
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    reports: Triage,
    announced: AnnouncementNotices,
    keep: Retention,
) -> AsyncIOScheduler:
    """A scheduler that plans the bell now and every two minutes, and tidies up nightly.

    APScheduler's default grace of one second would silently drop a run that starts late
    on a busy machine; a planner run is never harmful, so a late one still runs, and runs
    missed together run once (`coalesce`).
    """
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        planner.run,
        "interval",
        seconds=PLAN_EVERY.total_seconds(),
        id="plan-bells",
        next_run_time=clock.now(),  # catch up at once after a restart
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(PLAN_EVERY.total_seconds()),
    )

    async def follow_up() -> None:
        await follow_up_reports(uow_factory, clock, reports)

    scheduler.add_job(
        follow_up,
        "interval",
        seconds=FOLLOW_UP_EVERY.total_seconds(),
        id="follow-up-reports",
        next_run_time=clock.now(),
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(FOLLOW_UP_EVERY.total_seconds()),
    )

    async def follow_up_announcements() -> None:
        """Tell officers how their announcements go, and when they have gone out."""
        async with uow_factory() as uow:
            finished = await announcements.follow_up(uow, clock.now(), announced)
            await uow.commit()
        if finished:
            log.info("announcements: %d finished sending", finished)

    scheduler.add_job(
        follow_up_announcements,
        "interval",
        seconds=ANNOUNCEMENTS_EVERY.total_seconds(),
        id="follow-up-announcements",
        next_run_time=clock.now(),
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(ANNOUNCEMENTS_EVERY.total_seconds()),
    )

    async def forget_old_updates() -> None:
        async with uow_factory() as uow:
            await uow.inbox.forget_before(clock.now() - KEEP_HANDLED_UPDATES)
            await uow.commit()

    scheduler.add_job(
        forget_old_updates,
        "cron",
        hour=20,  # 03:00 in Vietnam
        minute=7,
        id="forget-old-updates",
        coalesce=True,
        misfire_grace_time=3600,
    )

    async def purge_old_data() -> None:
        """Delete ended outbox messages and forgotten dialogues past their keeping."""
        purged = await retention.purge(uow_factory, clock.now(), keep)
        log.info(
            "retention: %d outbox messages and %d dialogue states deleted",
            purged.messages,
            purged.dialogues,
        )

    scheduler.add_job(
        purge_old_data,
        "cron",
        hour=20,  # 03:37 in Vietnam, when hardly anyone writes
        minute=37,
        id="purge-old-data",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=3600,
    )
    return scheduler
