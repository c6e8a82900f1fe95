"""Long polling: Zalo hands out one update per `getUpdates` call."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import httpx

from bot.channels.channel import ChannelError
from bot.channels.inbox import Inbox
from bot.channels.zalo.adapter import to_incoming
from bot.channels.zalo.client import ZaloClient, ZaloError
from core.outages import Outage

log = logging.getLogger(__name__)

REFUSED = frozenset({401, 403})  # the token is wrong or revoked: polling again cannot help
MIN_EMPTY_POLL = 1.0  # seconds: an empty poll that ends sooner is waited out
T = TypeVar("T")


async def poll(client: ZaloClient, inbox: Inbox, wait: int = 30) -> None:
    """Fetch and handle updates until cancelled.

    Zalo forgets an update once it has handed it out (there is no offset to confirm with), so
    each is handled at once, before the next is asked for; a crash in between loses that one.
    """
    await _with_retries(client.delete_webhook)  # getUpdates does not work while one is set
    while True:
        asked = time.monotonic()
        update = await _with_retries(lambda: client.get_update(wait))
        if update is not None:
            await handle_until_stored(inbox, update)
        elif time.monotonic() - asked < MIN_EMPTY_POLL:
            # An empty answer long before the poll's time (a proxy's, or a bad one): do not
            # ask again at once, over and over.
            await asyncio.sleep(MIN_EMPTY_POLL)


async def _with_retries(call: Callable[[], Awaitable[T]]) -> T:
    """Call Zalo until it answers, backing off while it or the network fails; a refused
    token stops the channel with one line."""
    failures = 0
    zalo = Outage("Zalo", log)
    while True:
        try:
            answer = await call()
            zalo.answered()
            return answer
        except ZaloError as error:
            if error.code in REFUSED:
                raise ChannelError(
                    f"setting URBANBELL_ZALO_TOKEN: Zalo refused it ({error})"
                ) from None
            failures += 1
            zalo.failed(error)
        except httpx.HTTPError as error:
            failures += 1
            zalo.failed(error)
        await asyncio.sleep(min(2.0**failures, 60.0))


async def handle_until_stored(inbox: Inbox, update: Mapping[str, Any]) -> None:
    """Handle the update, trying again while nothing can be stored: Zalo will not hand it
    out twice, and the next ones wait meanwhile."""
    event = to_incoming(update)
    if event is not None:
        await inbox.handle_until_stored(event)
