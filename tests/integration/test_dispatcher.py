"""The dispatcher drains the outbox through a fake messenger, on both dialects."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from core.model import PARTS_SENT, Delivery, NewMessage, Outcome
from core.ports import UnitOfWorkFactory
from scheduler.dispatcher import Dispatcher, DispatchPolicy, Route
from scheduler.pacing import Pace, Pacer
from storage.models import OutboxRow, ResidentRow
from storage.uow import SqlUnitOfWork
from tests.support import FixedClock
from tests.unit.test_pacing import FakeTime


class FakeMessenger:
    """Records what it was asked to deliver; answers with the outcomes a test lines up."""

    channel = "fake"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.script: dict[str, list[Delivery]] = {}
        self.payloads: list[Mapping[str, Any]] = []

    async def deliver(self, chat_id: str, payload: Mapping[str, Any]) -> Delivery:
        self.payloads.append(payload)
        planned = self.script.get(chat_id)
        delivery = planned.pop(0) if planned else Delivery(Outcome.SENT)
        if delivery.outcome in (Outcome.SENT, Outcome.UNCERTAIN):
            self.sent.append((chat_id, str(payload["text"])))
        return delivery


def dispatcher_for(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, pace: Pace | None = None
) -> tuple[Dispatcher, FakeMessenger, Pacer]:
    messenger = FakeMessenger()
    time = FakeTime()
    pacer = Pacer(pace or Pace(), time.monotonic, time.sleep)
    policy = DispatchPolicy(lease=timedelta(seconds=30), max_attempts=3)
    return (
        Dispatcher(uow_factory, {"fake": Route(messenger, pacer)}, clock, policy),
        messenger,
        pacer,
    )


async def queue(
    uow_factory: UnitOfWorkFactory, chat_id: str, text: str, kind: str = "reply", **extra: Any
) -> int:
    async with uow_factory() as uow:
        item = await uow.outbox.add(
            NewMessage(kind, "fake", chat_id, {"text": text, "choices": []}, **extra)
        )
        await uow.commit()
    assert item is not None
    return item


async def statuses(uow_factory: UnitOfWorkFactory) -> dict[str, tuple[str, int]]:
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        rows = await uow.session.scalars(select(OutboxRow).order_by(OutboxRow.id))
        return {str(r.payload["text"]): (r.status, r.attempts) for r in rows}


async def a_resident(uow_factory: UnitOfWorkFactory, external_id: str) -> int:
    async with uow_factory() as uow:
        resident = await uow.residents.seen("fake", external_id, None, None)
        await uow.commit()
    return resident.id


async def test_messages_are_sent_in_order_and_recorded(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    dispatcher, messenger, _ = dispatcher_for(uow_factory, clock)
    for text in ("one", "two", "three"):
        await queue(uow_factory, "1", text)
    await queue(uow_factory, "2", "other chat")

    assert await dispatcher.send_due() == 4

    assert [t for chat, t in messenger.sent if chat == "1"] == ["one", "two", "three"]
    assert set((await statuses(uow_factory)).values()) == {("sent", 1)}
    assert await dispatcher.send_due() == 0


async def test_a_keyed_message_is_queued_once(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        message = NewMessage("bell", "fake", "1", {"text": "bell"}, key="bell:1:2026-12-01")
        first = await uow.outbox.add(message)
        again = await uow.outbox.add(message)
        await uow.commit()
    assert first is not None and again is None


async def test_retry_after_pauses_everything_and_the_message_goes_later(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    dispatcher, messenger, pacer = dispatcher_for(uow_factory, clock)
    messenger.script["1"] = [Delivery(Outcome.RETRY_AFTER, "flood", retry_after=7)]
    await queue(uow_factory, "1", "hello")

    await dispatcher.send_due()
    assert messenger.sent == []
    assert pacer.paused_for == 7
    assert await statuses(uow_factory) == {"hello": ("pending", 0)}  # the wait is not an attempt
    assert await dispatcher.send_due() == 0  # not before its time

    clock.move(timedelta(seconds=7))
    await dispatcher.send_due()
    assert messenger.sent == [("1", "hello")]


async def test_a_blocked_chat_fails_and_its_resident_becomes_inactive(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    dispatcher, messenger, _ = dispatcher_for(uow_factory, clock)
    resident = await a_resident(uow_factory, "5")
    messenger.script["5"] = [Delivery(Outcome.BLOCKED, "Forbidden: bot was blocked by the user")]
    await queue(uow_factory, "5", "hello", resident_id=resident)

    await dispatcher.send_due()

    assert await statuses(uow_factory) == {"hello": ("failed", 1)}
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        assert (await uow.session.get_one(ResidentRow, resident)).active is False
        # Writing again makes them active again.
        assert (await uow.residents.seen("fake", "5", None, None)).active is True


async def test_a_connect_failure_is_retried_with_backoff_then_given_up(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    dispatcher, messenger, _ = dispatcher_for(uow_factory, clock)
    messenger.script["1"] = [Delivery(Outcome.RETRY, "httpx.ConnectError")] * 3
    await queue(uow_factory, "1", "hello")

    await dispatcher.send_due()
    assert await statuses(uow_factory) == {"hello": ("pending", 1)}
    clock.move(timedelta(seconds=2))
    await dispatcher.send_due()
    assert await statuses(uow_factory) == {"hello": ("pending", 2)}
    assert await dispatcher.send_due() == 0  # the second wait is longer: 4 s
    clock.move(timedelta(seconds=4))
    await dispatcher.send_due()
    assert await statuses(uow_factory) == {"hello": ("failed", 3)}


async def test_an_uncertain_delivery_is_recorded_and_not_sent_again(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    dispatcher, messenger, _ = dispatcher_for(uow_factory, clock)
    messenger.script["1"] = [Delivery(Outcome.UNCERTAIN, "ReadTimeout")]
    await queue(uow_factory, "1", "hello")

    await dispatcher.send_due()
    clock.move(timedelta(hours=1))
    await dispatcher.send_due()

    assert messenger.sent == [("1", "hello")]
    assert await statuses(uow_factory) == {"hello": ("uncertain", 1)}


async def test_a_message_held_by_a_dead_dispatcher_is_taken_back_after_its_lease(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await queue(uow_factory, "1", "hello")
    async with uow_factory() as uow:  # a dispatcher claims it, then dies before sending
        await uow.outbox.claim(["fake"], clock.now(), timedelta(seconds=30), 10)
        await uow.commit()
    dispatcher, messenger, _ = dispatcher_for(uow_factory, clock)

    assert await dispatcher.send_due() == 0
    clock.move(timedelta(seconds=31))
    assert await dispatcher.send_due() == 1
    assert messenger.sent == [("1", "hello")]
    assert await statuses(uow_factory) == {"hello": ("sent", 2)}


async def test_the_most_urgent_message_goes_first(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    dispatcher, messenger, _ = dispatcher_for(uow_factory, clock)
    now = clock.now()
    await queue(uow_factory, "1", "reply")
    await queue(uow_factory, "2", "late bell", deadline=now + timedelta(minutes=20))
    await queue(uow_factory, "3", "early bell", deadline=now + timedelta(minutes=5))

    await dispatcher.send_due()

    assert [text for _, text in messenger.sent] == ["early bell", "late bell", "reply"]


async def test_a_message_sent_again_starts_after_the_parts_that_arrived(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    dispatcher, messenger, _ = dispatcher_for(uow_factory, clock)
    messenger.script["1"] = [
        Delivery(Outcome.RETRY_AFTER, "flood", retry_after=2, parts_sent=2),
        Delivery(Outcome.RETRY, "connection reset", parts_sent=1),
    ]
    await queue(uow_factory, "1", "a long text in parts")
    for _ in range(3):
        await dispatcher.send_due()
        clock.move(timedelta(seconds=5))

    assert [p.get(PARTS_SENT, 0) for p in messenger.payloads] == [0, 2, 3]
    assert messenger.sent == [("1", "a long text in parts")]


async def test_answers_go_before_a_broadcast_queued_earlier(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    dispatcher, messenger, _ = dispatcher_for(uow_factory, clock)
    for chat in ("1", "2"):
        await queue(uow_factory, chat, "announcement", kind="broadcast")
    await queue(uow_factory, "3", "reply to someone writing meanwhile")

    await dispatcher.send_due()

    assert [text for _, text in messenger.sent] == [
        "reply to someone writing meanwhile",
        "announcement",
        "announcement",
    ]


async def test_a_reply_held_back_keeps_later_replies_to_that_chat_waiting(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    dispatcher, messenger, _ = dispatcher_for(uow_factory, clock)
    messenger.script["1"] = [Delivery(Outcome.RETRY_AFTER, "flood", retry_after=3)]
    await queue(uow_factory, "1", "first")
    await dispatcher.send_due()  # "first" must wait 3 s
    await queue(uow_factory, "1", "second")
    await queue(uow_factory, "2", "to another chat")
    await queue(uow_factory, "1", "bell", kind="bell")

    await dispatcher.send_due()
    assert sorted(messenger.sent) == [("1", "bell"), ("2", "to another chat")]

    clock.move(timedelta(seconds=3))
    await dispatcher.send_due()
    assert messenger.sent[2:] == [("1", "first"), ("1", "second")]


async def test_two_dispatchers_sharing_the_outbox_send_each_message_once(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with uow_factory() as uow:
        for number in range(300):
            message = {"text": f"m{number}", "choices": []}
            await uow.outbox.add(NewMessage("bell", "fake", str(number), message))
        await uow.commit()
    first, first_messenger, _ = dispatcher_for(uow_factory, clock)
    second, second_messenger, _ = dispatcher_for(uow_factory, clock)
    first.policy = second.policy = DispatchPolicy(batch=20)

    async def drain(dispatcher: Dispatcher) -> None:
        while await dispatcher.send_due():
            pass

    await asyncio.gather(drain(first), drain(second))

    sent = first_messenger.sent + second_messenger.sent
    assert sorted(text for _, text in sent) == sorted(f"m{n}" for n in range(300))
    assert first_messenger.sent and second_messenger.sent  # both took a share


class SlowMessenger(FakeMessenger):
    """Holds each delivery until the test lets it go."""

    def __init__(self) -> None:
        super().__init__()
        self.delivering = asyncio.Event()
        self.let_go = asyncio.Event()

    async def deliver(self, chat_id: str, payload: Mapping[str, Any]) -> Delivery:
        self.delivering.set()
        await self.let_go.wait()
        return await super().deliver(chat_id, payload)


async def test_stopped_the_dispatcher_finishes_the_message_in_hand(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """Leaving the console right after typing: the reply on its way is sent and recorded, not
    left held until its lease ends (and with it every later message of that chat)."""
    messenger = SlowMessenger()
    routes = {"fake": Route(messenger, Pacer(Pace()))}
    dispatcher = Dispatcher(uow_factory, routes, clock, DispatchPolicy(idle_wait=0.01))
    await queue(uow_factory, "7", "on its way")
    stop = asyncio.Event()
    running = asyncio.create_task(dispatcher.run(stop))
    await asyncio.wait_for(messenger.delivering.wait(), 10)
    stop.set()
    messenger.let_go.set()
    await asyncio.wait_for(running, 10)
    assert messenger.sent == [("7", "on its way")]
    assert [status for status, _ in (await statuses(uow_factory)).values()] == ["sent"]
