"""Whether each chat platform answers: asked every minute, so that `/readyz` can tell a load
balancer about an instance that cannot reach its platform."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from core.clock import Clock

log = logging.getLogger(__name__)

REACH_EVERY = timedelta(minutes=1)
# Three questions unanswered in a row: more than a blip.
STALE_AFTER = 3 * REACH_EVERY


class Reachable(Protocol):
    """A channel, as far as asking its platform goes."""

    name: str

    async def reach(self) -> None: ...


class Reachability:
    """When each channel's platform last answered."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.last: dict[str, datetime] = {}
        self._failing: set[str] = set()

    def schedule(self, scheduler: AsyncIOScheduler, channel: Reachable) -> None:
        """Ask the channel's platform every minute while the scheduler runs."""
        scheduler.add_job(
            self.check,
            "interval",
            args=[channel],
            seconds=REACH_EVERY.total_seconds(),
            id=f"reach-{channel.name}",
            coalesce=True,
            misfire_grace_time=int(REACH_EVERY.total_seconds()),
        )

    def reached(self, name: str) -> None:
        self.last[name] = self.clock.now()
        if name in self._failing:
            self._failing.discard(name)
            log.warning("%s answers again", name)

    async def check(self, channel: Reachable) -> None:
        """Ask the platform once; a failure is logged when it starts, not at every try."""
        try:
            await channel.reach()
        except Exception as error:
            if channel.name not in self._failing:
                self._failing.add(channel.name)
                log.warning("%s does not answer (%s)", channel.name, type(error).__name__)
            return
        self.reached(channel.name)

    def problems(self, names: Sequence[str]) -> list[str]:
        """A line for each channel whose platform has not answered lately."""
        now = self.clock.now()
        found = []
        for name in names:
            last = self.last.get(name)
            if last is None:
                found.append(f"{name}: not reached yet")
            elif now - last > STALE_AFTER:
                seconds = (now - last).total_seconds()
                found.append(f"{name}: no answer from the platform for {seconds:.0f} s")
        return found
