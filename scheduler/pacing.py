"""Keeping to a platform's sending limits: overall, per private chat, per group."""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Pace:
    """A platform's limits; `None` means no limit of that kind."""

    per_second: float | None = None
    per_chat_per_second: float | None = None
    per_group_per_minute: float | None = None


@dataclass
class Slot:
    """One send's place in the window: when it was taken, then when the send ended."""

    chat_id: str
    at: float
    gap: float  # how long its chat must wait after it
    ended: bool = False


class Pacer:
    """Hands out sending slots so that no limit is exceeded, and pauses everything on request.

    The overall limit is kept as the platform counts it, over a sliding window: at most
    `per_second` sends in any second (less for a rate under one a second), and never two
    closer than half a slot. A sender that was held up can catch up within the window
    instead of losing its turn for good.

    The platform counts a message when it arrives, somewhere between the moment its slot was
    taken and the moment the send ended. A send reported done with `sent` counts from its end
    from then on, so a first request slowed by connecting (or a pause of the process) cannot
    bunch the next ones into one of the platform's seconds. Nothing can arrive after its send
    ended, so that is exact; a send still on its way counts from its start plus a small margin
    for the network's jitter.

    Every wait is computed, never polled: a sender asks for a slot, learns when it is, and
    sleeps until then. `monotonic` and `sleep` are injectable for tests.
    """

    MARGIN = 0.025  # seconds added to the window and the chat's gap of a send on its way

    def __init__(
        self,
        pace: Pace,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.pace = pace
        self._monotonic = monotonic
        self._sleep = sleep
        capacity = max(1, math.floor(pace.per_second or 1))
        self._window = capacity / pace.per_second if pace.per_second else 0.0
        self._spacing = 0.5 / pace.per_second if pace.per_second else 0.0
        self._recent: deque[Slot] = deque(maxlen=capacity)
        self._last_start = -math.inf
        self._next_in_chat: dict[str, float] = {}
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    @property
    def memory(self) -> float:
        """How long a send counts against any of the limits: a sender taking over from another
        waits this long before its first, so the two cannot add up."""
        gaps = [self._window + self.MARGIN]
        if self.pace.per_chat_per_second:
            gaps.append(1 / self.pace.per_chat_per_second + self.MARGIN)
        if self.pace.per_group_per_minute:
            gaps.append(60 / self.pace.per_group_per_minute + self.MARGIN)
        return max(gaps)

    def pause(self, seconds: float) -> None:
        """Stop all sending for `seconds` (the platform said "retry after")."""
        self._paused_until = max(self._paused_until, self._monotonic() + seconds)

    @property
    def paused_for(self) -> float:
        return max(0.0, self._paused_until - self._monotonic())

    async def acquire(self, chat_id: str, group: bool = False) -> Slot:
        """Wait for the moment this chat may get its next message, and take it."""
        while True:
            async with self._lock:
                now = self._monotonic()
                ready = max(now, self._paused_until, self._next_in_chat.get(chat_id, 0.0))
                if self.pace.per_second:
                    ready = max(ready, self._last_start + self._spacing)
                    if len(self._recent) == self._recent.maxlen:
                        oldest = self._recent[0]
                        margin = 0.0 if oldest.ended else self.MARGIN
                        ready = max(ready, oldest.at + self._window + margin)
                if ready <= now:
                    return self._take(chat_id, group, now)
            await self._sleep_until(ready)

    def sent(self, slot: Slot) -> None:
        """The send of this slot ended (however it went): count it from now."""
        now = self._monotonic()
        slot.at, slot.ended = max(slot.at, now), True
        if slot.gap:
            # The chat's next message waits a gap after this one ended (a dispatcher sends one
            # message of a chat at a time, so no later slot of the chat was taken meanwhile).
            self._next_in_chat[slot.chat_id] = now + slot.gap

    def _take(self, chat_id: str, group: bool, now: float) -> Slot:
        gap = 0.0
        if group and self.pace.per_group_per_minute:
            gap = 60 / self.pace.per_group_per_minute
        elif self.pace.per_chat_per_second:
            gap = 1 / self.pace.per_chat_per_second
        slot = Slot(chat_id, now, gap)
        if self.pace.per_second:
            self._recent.append(slot)
            self._last_start = now
        if gap:
            self._next_in_chat[chat_id] = now + gap + self.MARGIN
        self._forget_old(now)
        return slot

    def _forget_old(self, now: float) -> None:
        # Chats whose slot has passed need no memory; keeps the map as small as the busy chats.
        if len(self._next_in_chat) > 10_000:
            self._next_in_chat = {c: t for c, t in self._next_in_chat.items() if t > now}

    async def _sleep_until(self, moment: float) -> None:
        await self._sleep(max(0.0, moment - self._monotonic()))
