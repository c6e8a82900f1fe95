"""Telegram's updates into the one inbox, without PTB's dispatching (which would swallow the
`NotStored` that keeps an update unconfirmed)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Bot, Update
from telegram.error import TelegramError
from telegram.request import HTTPXRequest

from bot.channels.inbox import Inbox
from bot.channels.telegram.adapter import to_incoming

log = logging.getLogger(__name__)


def build_bot(token: str, base_url: str) -> Bot:
    return Bot(
        token,
        base_url=base_url,
        request=HTTPXRequest(connection_pool_size=64, read_timeout=10, connect_timeout=5),
        # PTB adds the long poll's own timeout to this read timeout.
        get_updates_request=HTTPXRequest(read_timeout=10, connect_timeout=5),
    )


async def handle_updates(inbox: Inbox, updates: Sequence[Update]) -> int | None:
    """Answer the updates and acknowledge each pressed button; the position of the first
    update that could not be stored (Telegram should deliver it and those after again)."""

    async def acknowledge(position: int) -> None:
        query = updates[position].callback_query
        if query is None:
            return
        try:
            await query.answer()
        except TelegramError as error:
            log.info("could not acknowledge a button press: %s", error)

    return await inbox.handle_batch([to_incoming(u) for u in updates], acknowledge)
