"""What the dispatcher and the planner count reaches `/metrics` as Prometheus reads it."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import AsyncEngine

from core.model import Delivery, Outcome
from core.ports import UnitOfWorkFactory
from scheduler.dispatcher import Dispatcher, DispatchPolicy, Route
from scheduler.pacing import Pace, Pacer
from tests.integration.test_dispatcher import FakeMessenger, queue
from tests.support import FixedClock
from tests.unit.test_pacing import FakeTime
from urbanbell.metrics import Metrics


async def scraped(metrics: Metrics) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    text = (await metrics.scrape()).decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_each_ending_is_counted_with_the_replys_latency_and_the_bells_lateness(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    metrics = Metrics(engine, clock)
    messenger = FakeMessenger()
    time = FakeTime()
    dispatcher = Dispatcher(
        uow_factory,
        {"fake": Route(messenger, Pacer(Pace(), time.monotonic, time.sleep))},
        clock,
        DispatchPolicy(lease=timedelta(seconds=30)),
        telemetry=metrics,
    )
    await queue(uow_factory, "reply-chat", "an answer")
    due = clock.now() - timedelta(minutes=2)  # the bell's truck is near: it goes late
    await queue(
        uow_factory, "bell-chat", "the bell", kind="bell", deadline=due + timedelta(minutes=1)
    )
    await queue(uow_factory, "busy-chat", "too fast")
    await queue(uow_factory, "gone-chat", "blocked")
    messenger.script = {
        "busy-chat": [Delivery(Outcome.RETRY_AFTER, "429", retry_after=5)],
        "gone-chat": [Delivery(Outcome.BLOCKED, "Forbidden: bot was blocked by the user")],
    }
    clock.move(timedelta(seconds=4))
    await dispatcher.send_due()

    got = await scraped(metrics)

    def value(name: str, **labels: str) -> float:
        return got.get((name, frozenset(labels.items())), 0.0)

    assert value("urbanbell_deliveries_total", channel="fake", outcome="sent") == 1
    assert value("urbanbell_deliveries_total", channel="fake", outcome="late") == 1
    assert value("urbanbell_deliveries_total", channel="fake", outcome="blocked") == 1
    assert value("urbanbell_throttled_total", channel="fake") == 1
    assert value("urbanbell_reply_latency_seconds_count", channel="fake") == 1
    assert value("urbanbell_reply_latency_seconds_sum", channel="fake") == 4
    assert value("urbanbell_bell_lateness_seconds_count") == 1
    # 2 min + 4 s after its due time; with buckets below zero the client shows no sum.
    lateness = "urbanbell_bell_lateness_seconds_bucket"
    assert (value(lateness, le="120.0"), value(lateness, le="300.0")) == (0, 1)
    assert value("urbanbell_outbox_messages", channel="fake", kind="reply", status="pending") == 1
    assert value("urbanbell_outbox_messages", channel="fake", kind="bell", status="sent") == 1
