"""What the bot tells its operators' metrics as it works: a port, so the core and the scheduler
name the events and the composition root decides where they are counted."""

from __future__ import annotations

from typing import Protocol


class Telemetry(Protocol):
    def update_handled(self, channel: str, kind: str) -> None:
        """A person's update was answered (its answer stored)."""

    def delivered(self, channel: str, kind: str, outcome: str, since_queued: float | None) -> None:
        """A message's sending ended; `since_queued` in seconds, for the ones that arrived."""

    def bell_lateness(self, seconds: float) -> None:
        """A reminder arrived this long after its due time (negative: before it)."""

    def planned(self, seconds: float, unserviceable: int) -> None:
        """A planner run took this long and found this many reminders that cannot be on time."""


class NoTelemetry:
    """Counts nothing: for the terminal and the tests that do not look."""

    def update_handled(self, channel: str, kind: str) -> None:
        pass

    def delivered(self, channel: str, kind: str, outcome: str, since_queued: float | None) -> None:
        pass

    def bell_lateness(self, seconds: float) -> None:
        pass

    def planned(self, seconds: float, unserviceable: int) -> None:
        pass
