"""Long polling: Zalo hands out one update per `getUpdates` call."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import httpx

from urbanbell.bot.channels import ChannelError
from urbanbell.bot.conversation import NotStored
from urbanbell.bot.zalo.client import ZaloClient, ZaloError
from urbanbell.bot.zalo.inbox import Inbox

log = logging.getLogger(__name__)

REFUSED = frozenset({401, 403})  # the token is wrong or revoked: polling again cannot help


async def poll(client: ZaloClient, inbox: Inbox, wait: int = 30) -> None:
    """Fetch and handle updates until cancelled.

    Zalo forgets an update once it has handed it out (there is no offset to confirm with), so
    each is handled at once, before the next is asked for; a crash in between loses that one.
    """
    await client.delete_webhook()  # getUpdates does not work while a webhook is set
    failures = 0
    while True:
        try:
            update = await client.get_update(wait)
            failures = 0
        except ZaloError as error:
            if error.code in REFUSED:
                raise ChannelError(
                    f"setting URBANBELL_ZALO_TOKEN: Zalo refused it ({error})"
                ) from None
            failures += 1
            await _back_off(failures, error)
            continue
        except httpx.HTTPError as error:
            failures += 1
            await _back_off(failures, error)
            continue
        if update is not None:
            await handle_until_stored(inbox, update)


async def handle_until_stored(inbox: Inbox, update: Mapping[str, Any]) -> None:
    """Handle the update, trying again while nothing can be stored: Zalo will not hand it
    out twice, and the next ones wait meanwhile."""
    failures = 0
    while True:
        try:
            await inbox.handle(update)
            return
        except NotStored as error:
            failures += 1
            await _back_off(failures, error)


async def _back_off(failures: int, error: Exception) -> None:
    delay = min(2.0**failures, 60.0)
    log.warning("Zalo getUpdates failed (%s); trying again in %.0f s", error, delay)
    await asyncio.sleep(delay)
