"""Long polling that confirms an update only after its answer is stored."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import Update
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application

from bot.channels.telegram.app import ChatQueue

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]


async def poll(
    application: Application,  # type: ignore[type-arg]
    chats: ChatQueue,
    poll_seconds: int = 30,
) -> None:
    """Fetch and handle updates until cancelled.

    Telegram forgets updates once `getUpdates` is asked for a later offset; the offset moves
    past a batch only after the whole batch is handled, so a crash loses none of it, and the
    inbox makes those handled before the crash count once.
    """
    bot = application.bot
    await bot.delete_webhook()
    offset: int | None = None
    failures = 0
    while True:
        try:
            updates = await bot.get_updates(
                offset=offset, timeout=poll_seconds, allowed_updates=ALLOWED_UPDATES
            )
            failures = 0
        except (InvalidToken, Conflict):
            raise
        except RetryAfter as error:
            wait = error.retry_after
            await asyncio.sleep(wait.total_seconds() if isinstance(wait, timedelta) else wait)
            continue
        except TelegramError as error:
            failures += 1
            delay = min(2.0**failures, 60.0)
            log.warning("getUpdates failed (%s); trying again in %.0f s", error, delay)
            await asyncio.sleep(delay)
            continue
        if updates:
            await handle_batch(application, chats, updates)
            offset = updates[-1].update_id + 1


async def handle_batch(
    application: Application,  # type: ignore[type-arg]
    chats: ChatQueue,
    updates: tuple[Update, ...] | list[Update],
) -> None:
    """Handle a batch: each chat's updates in order, different chats at the same time."""
    await asyncio.gather(
        *(chats.run(u, lambda u=u: application.process_update(u)) for u in updates)  # type: ignore[misc]
    )
