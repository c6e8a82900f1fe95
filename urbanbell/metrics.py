"""The bot's metrics in Prometheus' format: counted as the bot works, or read from the database
at each scrape (what the outbox holds, the wards' open reports), so that every instance of a
city reports the same figures for what they share."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy.ext.asyncio import AsyncEngine

from core.clock import Clock
from storage.health import read_gauges

# Seconds: from a second to a quarter of an hour, the bell's window and beyond.
LATENESS_BUCKETS = (-600, -300, -60, -10, 0, 10, 30, 60, 120, 300, 900)
LATENCY_BUCKETS = (0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300)

K = TypeVar("K")


class Metrics:
    """The bot's telemetry, kept in a registry of its own and served at `/metrics`."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        self.registry = CollectorRegistry()
        r = self.registry
        self._updates = Counter(
            "urbanbell_updates_handled",
            "People's updates answered, by channel and kind",
            ["channel", "kind"],
            registry=r,
        )
        self._replies = Histogram(
            "urbanbell_reply_latency_seconds",
            "From an answer's queueing (the update stored) to its delivery",
            ["channel"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self._deliveries = Counter(
            "urbanbell_deliveries",
            "How messages' sending ended: sent, late, failed, blocked, uncertain, retry",
            ["channel", "outcome"],
            registry=r,
        )
        self._throttled = Counter(
            "urbanbell_throttled",
            "Answers of 429 (too many requests) from a platform",
            ["channel"],
            registry=r,
        )
        self._lateness = Histogram(
            "urbanbell_bell_lateness_seconds",
            "A reminder's arrival after its due time (negative: before it)",
            buckets=LATENESS_BUCKETS,
            registry=r,
        )
        self._planner = Histogram(
            "urbanbell_planner_duration_seconds", "How long a planner run took", registry=r
        )
        self._unserviceable = Gauge(
            "urbanbell_planner_unserviceable_reminders",
            "Reminders the last planner run found cannot land on time at the platform's rate",
            registry=r,
        )
        self._outbox = Gauge(
            "urbanbell_outbox_messages",
            "Messages in the outbox, by channel, kind and status",
            ["channel", "kind", "status"],
            registry=r,
        )
        self._open = Gauge(
            "urbanbell_reports_open", "Reports not yet closed, by ward", ["ward"], registry=r
        )
        self._overdue = Gauge(
            "urbanbell_reports_overdue",
            "Open reports past their next target, by ward",
            ["ward"],
            registry=r,
        )

    def update_handled(self, channel: str, kind: str) -> None:
        self._updates.labels(channel, kind).inc()

    def delivered(self, channel: str, kind: str, outcome: str, since_queued: float | None) -> None:
        if outcome == "retry_after":
            self._throttled.labels(channel).inc()
        else:
            self._deliveries.labels(channel, outcome).inc()
        if since_queued is not None and kind == "reply":
            self._replies.labels(channel).observe(since_queued)

    def bell_lateness(self, seconds: float) -> None:
        self._lateness.observe(seconds)

    def planned(self, seconds: float, unserviceable: int) -> None:
        self._planner.observe(seconds)
        self._unserviceable.set(unserviceable)

    async def scrape(self) -> bytes:
        """The text a Prometheus server reads, with the database's figures as of now."""
        gauges = await read_gauges(self.engine, self.clock.now())
        _refill(self._outbox, gauges.outbox, lambda key: key)
        _refill(self._open, gauges.open_reports, lambda ward: (ward,))
        _refill(self._overdue, gauges.overdue_reports, lambda ward: (ward,))
        return generate_latest(self.registry)


def _refill(gauge: Gauge, values: dict[K, int], labels: Callable[[K], tuple[str, ...]]) -> None:
    """Set a labelled gauge to exactly these values: a series no longer present disappears."""
    gauge.clear()
    for key, value in values.items():
        gauge.labels(*labels(key)).set(value)
