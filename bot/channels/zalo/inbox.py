"""Every Zalo update to the conversation, each chat's in order, different chats side by side."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.channels.zalo.adapter import to_incoming
from bot.chat.conversation import Conversation
from core.keyed_locks import KeyedLocks


class Inbox:
    def __init__(self, conversation: Conversation, queued: Callable[[], None]) -> None:
        self.conversation = conversation
        self.queued = queued  # the answer is in the outbox: the dispatcher may send it now
        self._chats: KeyedLocks[str] = KeyedLocks()

    async def handle(self, update: Mapping[str, Any]) -> None:
        """Answer one update; returns once the answer is safely stored."""
        event = to_incoming(update)
        if event is None:
            return
        async with self._chats(event.reply_to):
            await self.conversation.handle(event)
        self.queued()
