"""The one inbox of every channel: each chat's events in order, different chats side by side.

An event is confirmed to its platform (poll offset moved, webhook answered 200) only once its
answer is stored; when nothing could be stored the conversation raises `NotStored` and the
channel leaves the update for the platform to deliver again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from bot.chat.conversation import Conversation, NotStored
from bot.chat.events import Incoming
from core.keyed_locks import KeyedLocks
from core.outages import Outage
from core.telemetry import NoTelemetry, Telemetry

log = logging.getLogger(__name__)

LONGEST_WAIT = 30.0  # seconds between tries while the database is away


def retry_wait(failures: int) -> float:
    """How long to wait after this many failures in a row: 1, 2, 4 ... 30 seconds."""
    return min(2.0 ** (failures - 1), LONGEST_WAIT)


class Inbox:
    def __init__(
        self,
        conversation: Conversation,
        queued: Callable[[], None],
        telemetry: Telemetry | None = None,
    ) -> None:
        self.conversation = conversation
        self.queued = queued  # the answer is in the outbox: the dispatcher may send it now
        self.telemetry = telemetry or NoTelemetry()
        self._chats: KeyedLocks[tuple[str, str]] = KeyedLocks()

    async def handle(self, event: Incoming) -> None:
        """Answer one event; returns once the answer is stored, raises `NotStored` when
        nothing could be."""
        async with self._chats((event.sender.channel, event.reply_to)):
            await self.conversation.handle(event)
        self.telemetry.update_handled(event.sender.channel, str(event.kind))
        self.queued()

    async def handle_batch(
        self,
        events: Sequence[Incoming | None],
        handled: Callable[[int], Awaitable[None]] | None = None,
    ) -> int | None:
        """Handle a batch (None stands for an update that is not a person talking to us).

        Returns the position of the first event that could not be stored, or None when all
        were: the platform should deliver it and those after it again. A chat stops at its
        first such event, so that none of its later events is answered before it. `handled`
        hears the position of each event done with.
        """
        chats: dict[tuple[str, str] | int, list[int]] = {}
        for position, event in enumerate(events):
            key = (event.sender.channel, event.reply_to) if event is not None else position
            chats.setdefault(key, []).append(position)

        async def run(positions: list[int]) -> int | None:
            for position in positions:
                event = events[position]
                if event is not None:
                    try:
                        await self.handle(event)
                    except NotStored:
                        return position
                    except Exception:
                        # A bug, not the database: asking for the update again cannot help.
                        log.exception("could not handle an update from %s", event.sender.channel)
                if handled is not None:
                    await handled(position)
            return None

        failed = [p for p in await asyncio.gather(*map(run, chats.values())) if p is not None]
        return min(failed, default=None)

    async def handle_until_stored(self, event: Incoming) -> None:
        """Handle the event, trying again with growing waits while nothing can be stored: for
        a platform that will not deliver it again."""
        failures = 0
        database = Outage(f"the database (for updates from {event.sender.channel})", log)
        while True:
            try:
                await self.handle(event)
                database.answered()
                return
            except NotStored as error:
                failures += 1
                database.failed(error.__cause__ or error)
                await asyncio.sleep(retry_wait(failures))
