"""The planner: puts every reminder of the coming day in the outbox, each once, timed."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from core.calendar import Holidays
from core.clock import Clock
from core.model import NewMessage, Worded
from core.ports import UnitOfWork, UnitOfWorkFactory
from core.reminders import Crowded, Planned, Reminder, crowded, plan, reminders_between
from core.telemetry import NoTelemetry, Telemetry

log = logging.getLogger(__name__)

BELL = "bell"
WRITE_AT_ONCE = 2_000
Wording = Callable[[Reminder], Worded]


@dataclass
class PlanReport:
    planned: int = 0  # reminders put in the outbox by this run
    late: int = 0  # of those, due already (the bot was down): sent at once, counted late
    crowded: list[Crowded] = field(default_factory=list)
    skipped: bool = False  # another planner was at work


class Planner:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        holidays: Holidays,
        wording: Wording,
        rates: Mapping[str, float],  # messages a second each channel can carry
        horizon: timedelta = timedelta(hours=24),
        group_lead: int = 15,  # minutes before the truck that a group hears the bell
        warning: Callable[[Crowded], Worded] | None = None,  # words for officers
        telemetry: Telemetry | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.holidays = holidays
        self.wording = wording
        self.rates = rates
        self.horizon = horizon
        self.group_lead = group_lead
        self.warning = warning
        self.telemetry = telemetry or NoTelemetry()

    async def run(self) -> PlanReport:
        """Plan the reminders of the collections from now to the horizon; safe to repeat."""
        now = self.clock.now()
        started = time.perf_counter()
        async with self.uow_factory() as uow:
            if not await uow.outbox.lock_planning():
                return PlanReport(skipped=True)
            timed = await self._timed(uow, now, now + self.horizon)
            known = await uow.outbox.keys_since(BELL, now)
            new = [p for p in timed if p.reminder.key not in known]
            planned = 0
            # Built and written a slice at a time, so a city's day never sits in memory whole.
            for start in range(0, len(new), WRITE_AT_ONCE):
                messages = [self._message(p) for p in new[start : start + WRITE_AT_ONCE]]
                planned += await uow.outbox.add_new(messages)
            slots = crowded(timed)
            await uow.outbox.add_new(await self._warnings(uow, slots))
            await uow.commit()
        report = PlanReport(
            planned=planned,
            late=sum(1 for p in new if p.reminder.due < now),
            crowded=slots,
        )
        for slot in report.crowded:
            log.warning(
                "on %s at %s, %d of %d reminders cannot land on time at %s's rate",
                slot.channel,
                slot.minute.strftime("%Y-%m-%d %H:%M"),
                slot.late,
                slot.reminders,
                slot.channel,
            )
        unserviceable = sum(slot.late for slot in report.crowded)
        self.telemetry.planned(time.perf_counter() - started, unserviceable)
        return report

    async def crowded_ahead(self, days: int = 7) -> list[Crowded]:
        """The slots of the coming days whose reminders cannot all land on time."""
        now = self.clock.now()
        async with self.uow_factory() as uow:
            return crowded(await self._timed(uow, now, now + timedelta(days=days)))

    async def _timed(self, uow: UnitOfWork, start: datetime, end: datetime) -> list[Planned]:
        """Every reminder of the collections in `[start, end)`, timed at its channel's rate."""
        followers = await uow.subscriptions.followers()
        followers += await uow.alleys.groups(lead_minutes=self.group_lead)
        schedules = await uow.alleys.schedules({f.alley_id for f in followers})
        by_channel: defaultdict[str, list[Reminder]] = defaultdict(list)
        for reminder in reminders_between(schedules, followers, start, end, self.holidays):
            by_channel[reminder.follower.channel].append(reminder)
        timed: list[Planned] = []
        for channel, group in by_channel.items():
            # A channel without a known rate is planned at a pace that rarely crowds.
            timed += plan(group, self.rates.get(channel, 1.0), start)
        return timed

    async def _warnings(self, uow: UnitOfWork, slots: list[Crowded]) -> list[NewMessage]:
        """A word to each officer of the wards concerned, once a slot (its key sees to that)."""
        if self.warning is None:
            return []
        warnings = []
        for slot in slots:
            for ward_id in sorted(slot.wards):
                for channel, officer in await uow.officers.of_ward(ward_id):
                    if channel not in self.rates:
                        continue  # a channel this process does not send on
                    minute = slot.minute.astimezone(UTC).strftime("%Y%m%dT%H%M")
                    warnings.append(
                        NewMessage.worded(
                            "notice",
                            channel,
                            officer,
                            self.warning(slot),
                            key=f"crowded:{slot.channel}:{minute}:{channel}:{officer}",
                            expires_at=slot.minute,
                        )
                    )
        return warnings

    def _message(self, planned: Planned) -> NewMessage:
        reminder = planned.reminder
        follower = reminder.follower
        return NewMessage.worded(
            BELL,
            follower.channel,
            follower.chat_id,
            self.wording(reminder),
            resident_id=follower.resident_id,
            key=reminder.key,
            not_before=planned.start,
            deadline=reminder.window[1],
            expires_at=reminder.expires,
        )
