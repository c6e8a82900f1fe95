"""The PTB application: every update goes to the conversation, one chat at a time."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler
from telegram.request import HTTPXRequest

from bot.channels.telegram.adapter import to_incoming
from bot.chat.conversation import Conversation
from core.keyed_locks import KeyedLocks

log = logging.getLogger(__name__)


class ChatQueue:
    """Runs the work of one chat in order while different chats run side by side."""

    def __init__(self) -> None:
        self._locks: KeyedLocks[int] = KeyedLocks()

    async def run(self, update: Update, work: Callable[[], Awaitable[None]]) -> None:
        chat = update.effective_chat
        if chat is None:
            await work()
            return
        async with self._locks(chat.id):
            await work()


def build_application(
    token: str, base_url: str, conversation: Conversation, queued: Callable[[], None]
) -> Application:  # type: ignore[type-arg]
    """A PTB application that hands every update to the conversation.

    `queued` is called once the answer is in the outbox, so that the dispatcher sends it now.
    Updates are fetched and confirmed by `polling` or `webhook`, never by PTB's updater: an
    update is confirmed only after its answer is safely stored.
    """
    request = HTTPXRequest(connection_pool_size=64, read_timeout=10, connect_timeout=5)
    application = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .request(request)
        # PTB adds the long poll's own timeout to this read timeout.
        .get_updates_request(HTTPXRequest(read_timeout=10, connect_timeout=5))
        .updater(None)
        .build()
    )

    async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer one update through the conversation, then acknowledge a pressed button."""
        event = to_incoming(update)
        if event is not None:
            await conversation.handle(event)
            queued()
        if update.callback_query is not None:
            try:
                await update.callback_query.answer()
            except TelegramError as error:
                log.info("could not acknowledge a button press: %s", error)

    application.add_handler(TypeHandler(Update, on_update))
    return application
