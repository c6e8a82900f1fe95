"""Telling of an outage once: when something becomes unreachable, and when it is back.

A loop that retries every second would otherwise log a traceback a try (380 KB a minute while
the database was down); the tries in between are told at DEBUG only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

BRIEF = 200  # characters of the error the warning keeps


class Outage:
    """Whether `what` (the database, Telegram, Zalo) answers, as one loop sees it."""

    def __init__(
        self, what: str, log: logging.Logger, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.what = what
        self.log = log
        self.clock = clock
        self.since: float | None = None

    @property
    def down(self) -> bool:
        return self.since is not None

    def failed(self, error: BaseException | str) -> None:
        """A try failed: warn if it is the first since `what` last answered."""
        if self.since is None:
            self.since = self.clock()
            self.log.warning(
                "%s is unreachable (%s); trying again, quietly, until it is back",
                self.what,
                brief(error),
            )
        else:
            trace = error if isinstance(error, BaseException) else None
            self.log.debug("%s is still unreachable", self.what, exc_info=trace)

    def answered(self) -> None:
        """A try went through: say so if `what` had been unreachable, and for how long."""
        if self.since is not None:
            gone = self.clock() - self.since
            self.since = None
            self.log.warning("%s is back after %.0f s", self.what, gone)


def brief(error: BaseException | str) -> str:
    """The error's kind and the first line of what it says."""
    if isinstance(error, str):
        return error[:BRIEF]
    said = str(error).strip().splitlines()
    first = said[0][:BRIEF] if said else ""
    return f"{type(error).__name__}: {first}" if first else type(error).__name__
