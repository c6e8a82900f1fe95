"""Long polling that confirms an update only after its answer is stored."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import Bot
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError

from bot.channels.inbox import Inbox, retry_wait
from bot.channels.telegram.updates import handle_updates
from core.outages import Outage

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]


async def poll(bot: Bot, inbox: Inbox, poll_seconds: int = 30) -> None:
    """Fetch and handle updates until cancelled.

    Telegram forgets updates once `getUpdates` is asked for a later offset; the offset moves
    past an update only after its answer is stored, so a crash or a database away loses none:
    those handled before come again and the inbox's processed-updates key makes them count once.
    """
    await bot.delete_webhook()
    offset: int | None = None
    failures = 0
    unstored = 0
    telegram = Outage("Telegram (getUpdates)", log)
    database = Outage("the database (for incoming updates)", log)
    while True:
        try:
            updates = await bot.get_updates(
                offset=offset, timeout=poll_seconds, allowed_updates=ALLOWED_UPDATES
            )
            failures = 0
            telegram.answered()
        except (InvalidToken, Conflict):
            raise
        except RetryAfter as error:
            wait = error.retry_after
            await asyncio.sleep(wait.total_seconds() if isinstance(wait, timedelta) else wait)
            continue
        except TelegramError as error:
            failures += 1
            telegram.failed(error)
            await asyncio.sleep(min(2.0**failures, 60.0))
            continue
        if not updates:
            continue
        failed = await handle_updates(inbox, updates)
        if failed is None:
            offset = updates[-1].update_id + 1
            unstored = 0
            database.answered()
            continue
        offset = updates[failed].update_id
        unstored += 1
        database.failed(f"update {offset} could not be stored")
        await asyncio.sleep(retry_wait(unstored))
