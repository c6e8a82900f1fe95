"""The periodic jobs, made from the code at start-up: nothing is pickled, nothing shared."""

from __future__ import annotations

from datetime import UTC, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from urbanbell.core.clock import Clock
from urbanbell.core.ports import UnitOfWorkFactory
from urbanbell.scheduler.planner import Planner

PLAN_EVERY = timedelta(minutes=2)
KEEP_HANDLED_UPDATES = timedelta(days=14)


def build_scheduler(
    planner: Planner, uow_factory: UnitOfWorkFactory, clock: Clock
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
    return scheduler
