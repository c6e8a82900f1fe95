"""The dispatcher: drains the outbox at each platform's pace, recording how each message ended."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.clock import Clock
from core.keyed_locks import KeyedLocks
from core.model import (
    BLOCKED_NOTE,
    PARTS_SENT,
    Delivery,
    OutboxItem,
    OutboxStatus,
    Outcome,
)
from core.outages import Outage
from core.ports import Messenger, UnitOfWorkFactory
from core.reminders import LATE
from core.telemetry import NoTelemetry, Telemetry
from scheduler.pacing import Pacer
from scheduler.planner import BELL

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DispatchPolicy:
    lease: timedelta = timedelta(seconds=30)
    batch: int = 100
    idle_wait: float = 1.0  # seconds between looks at an empty outbox (a wake-up cuts it short)
    max_attempts: int = 8
    max_backoff: float = 300.0


# The last words of a message of one kind, written as it leaves: a bell counts the minutes left
# then, and says so when it is late, however long it waited in the outbox.
Finish = Callable[[OutboxItem, datetime], Mapping[str, Any]]


def _no_groups(chat_id: str) -> bool:
    return False


@dataclass
class Route:
    """How one channel's messages leave: its messenger, its pace, and which chats are groups
    (the channel knows; a group has limits of its own)."""

    messenger: Messenger
    pacer: Pacer
    is_group: Callable[[str], bool] = _no_groups


class Dispatcher:
    """Sends what the outbox holds, most urgent first, through each channel's messenger."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        routes: Mapping[str, Route],
        clock: Clock,
        policy: DispatchPolicy | None = None,
        only_chat: str | None = None,
        telemetry: Telemetry | None = None,
        finishing: Mapping[str, Finish] | None = None,  # by the message's kind
    ) -> None:
        self.uow_factory = uow_factory
        self.routes = dict(routes)
        self.clock = clock
        self.policy = policy or DispatchPolicy()
        self.finishing = dict(finishing or {})
        self.only_chat = only_chat  # a console sends only to the person at its terminal
        self.telemetry = telemetry or NoTelemetry()
        self._wake = asyncio.Event()
        self._chat_locks: KeyedLocks[tuple[str, str]] = KeyedLocks()
        self._database = Outage("the database (for the outbox)", log)

    def wake(self) -> None:
        """Something was queued: look at the outbox now rather than at the next tick."""
        self._wake.set()

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Send until `stop` is set, finishing the messages in hand first; cancelled instead,
        the messages in hand go back after their lease."""
        stop = stop or asyncio.Event()
        while not stop.is_set():
            # Cleared before looking, so that a wake-up during the look is not lost.
            self._wake.clear()
            try:
                sent = await self.send_due()
                self._database.answered()
            except Exception as error:
                self._database.failed(error)
                sent = 0
            if not sent and not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.policy.idle_wait)

    async def send_due(self) -> int:
        """Claim the messages due now, send them at the platforms' pace; say how many."""
        now = self.clock.now()
        async with self.uow_factory() as uow:
            expired = await uow.outbox.expire(now)
            reaped = await uow.outbox.reap(now)
            items = await uow.outbox.claim(
                list(self.routes), now, self.policy.lease, self.policy.batch, self.only_chat
            )
            await uow.commit()
        if reaped:
            log.warning("took back %d messages whose sender stopped while holding them", reaped)
        if expired:
            log.warning("skipped %d messages whose time had passed before they could go", expired)
        await asyncio.gather(*(self._send(item) for item in items))
        return len(items)

    async def _send(self, item: OutboxItem) -> None:
        route = self.routes[item.channel]
        # One chat's messages leave in the order they were queued.
        async with self._chat_locks((item.channel, item.chat_id)):
            slot = await route.pacer.acquire(item.chat_id, group=route.is_group(item.chat_id))
            finish = self.finishing.get(item.kind)
            try:
                payload = item.payload if finish is None else finish(item, self.clock.now())
                delivery = await route.messenger.deliver(item.chat_id, payload)
            finally:
                route.pacer.sent(slot)
        if delivery.outcome is Outcome.RETRY_AFTER:
            route.pacer.pause(delivery.retry_after)
        if delivery.outcome not in (Outcome.SENT, Outcome.RETRY_AFTER):
            log.info(
                "message %d to %s:%s: %s %s",
                item.id,
                item.channel,
                item.chat_id,
                delivery.outcome,
                delivery.reason,
            )
        await self._record(item, delivery)
        self._count(item, delivery)

    def _count(self, item: OutboxItem, delivery: Delivery) -> None:
        now = self.clock.now()
        outcome = str(delivery.outcome)
        if delivery.outcome is Outcome.SENT and item.deadline is not None:
            if now > item.deadline:
                outcome = "late"
            if item.kind == BELL:
                self.telemetry.bell_lateness((now - (item.deadline - LATE)).total_seconds())
        arrived = delivery.outcome is Outcome.SENT and item.queued_at is not None
        since = (now - item.queued_at).total_seconds() if arrived and item.queued_at else None
        self.telemetry.delivered(item.channel, item.kind, outcome, since)

    async def _record(self, item: OutboxItem, delivery: Delivery) -> None:
        """Write down at once how the message ended.

        Until this commits, the message is held under its lease: should the process die
        first, it is taken back and sent again. Writing each outcome as it comes keeps that
        to the messages on their way at the moment of a crash.
        """
        now = self.clock.now()
        async with self.uow_factory() as uow:
            match delivery.outcome:
                case Outcome.SENT:
                    late = ""
                    if item.deadline is not None and now > item.deadline:
                        late = f"late by {(now - item.deadline).total_seconds():.0f} s"
                    await uow.outbox.finish([item.id], OutboxStatus.SENT, late, now)
                case Outcome.RETRY_AFTER:
                    later = now + timedelta(seconds=delivery.retry_after)
                    await uow.outbox.postpone(
                        item.id, later, delivery.reason, False, _rest(item, delivery)
                    )
                case Outcome.RETRY if item.attempts < self.policy.max_attempts:
                    backoff = min(2.0**item.attempts, self.policy.max_backoff)
                    later = now + timedelta(seconds=backoff)
                    await uow.outbox.postpone(
                        item.id, later, delivery.reason, True, _rest(item, delivery)
                    )
                case Outcome.BLOCKED:
                    note = BLOCKED_NOTE + delivery.reason
                    await uow.outbox.finish([item.id], OutboxStatus.FAILED, note, now)
                    if item.resident_id is not None:
                        await uow.residents.deactivate(item.resident_id)
                case Outcome.UNCERTAIN:
                    await uow.outbox.finish(
                        [item.id], OutboxStatus.UNCERTAIN, delivery.reason, now
                    )
                case _:
                    await uow.outbox.finish([item.id], OutboxStatus.FAILED, delivery.reason, now)
            await uow.commit()


def _rest(item: OutboxItem, delivery: Delivery) -> dict[str, Any] | None:
    """The payload to send next time, when parts of it arrived this time."""
    if not delivery.parts_sent:
        return None
    done = int(item.payload.get(PARTS_SENT, 0)) + delivery.parts_sent
    return {**item.payload, PARTS_SENT: done}
