"""Start-up against services that may not be up yet: the database, the Bot APIs.

Each is tried a few times with growing waits, one log line per failed try, and then given up on
with one line that says what could not be reached and what to check.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

LONGEST_WAIT = 60.0  # seconds; waits stop growing here


class ServiceError(Exception):
    """The bot cannot start; the message says what to change. `status` is the exit status:
    2 for a setting to change, 1 for a service that could not be reached."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


class Unreachable(Exception):
    """A service did not answer; the message says which and why, in one line."""


@dataclass(frozen=True)
class Retry:
    tries: int
    first_wait: float  # seconds after the first failure; doubled after each next one

    def wait_after(self, tries: int) -> float:
        return min(LONGEST_WAIT, self.first_wait * 2.0 ** (tries - 1))


async def keep_trying(attempt: Callable[[], Awaitable[T]], retry: Retry, advice: str) -> T:
    """`attempt` until it stops raising `Unreachable`, at most `retry.tries` times; then a
    `ServiceError` with the last reason and the advice."""
    for tries in range(1, retry.tries):
        try:
            return await attempt()
        except Unreachable as error:
            wait = retry.wait_after(tries)
            log.warning("try %d of %d: %s; trying again in %g s", tries, retry.tries, error, wait)
            await asyncio.sleep(wait)
    try:
        return await attempt()
    except Unreachable as error:
        log.error("try %d of %d: %s", retry.tries, retry.tries, error)
        raise ServiceError(
            f"{error}; gave up after {retry.tries} tries: {advice}", status=1
        ) from None
