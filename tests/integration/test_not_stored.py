"""When nothing can be stored (the database is gone), an update is not confirmed as handled:
the webhooks answer 503 so that the platform delivers it again, polling tries it again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from telegram import Bot

from bot.channels.inbox import Inbox
from bot.channels.telegram import webhook as telegram_webhook
from bot.channels.zalo import polling
from bot.channels.zalo.webhook import SECRET_HEADER, webhook_route
from bot.chat.conversation import Conversation, NotStored
from bot.chat.events import Incoming, Sender
from core.ports import UnitOfWorkFactory
from storage.database import create_engine, session_factory
from storage.uow import SqlUnitOfWork
from tests.integration.conftest import converse
from tests.support import FixedClock

SECRET = "s3cret-s3cret"
UPDATE = {
    "event_name": "message.text.received",
    "message": {
        "message_id": "m1",
        "from": {"id": "z42", "display_name": "Ba"},
        "chat": {"id": "z42", "chat_type": "PRIVATE"},
        "date": 1_790_000_000_000,
        "text": "/help",
    },
}


@pytest.fixture
async def unreachable(tmp_path: Path, clock: FixedClock) -> AsyncIterator[Conversation]:
    """A conversation over a database file that cannot be opened."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'urbanbell.db'}")
    sessions = session_factory(engine)
    yield converse(lambda: SqlUnitOfWork(sessions, clock), clock)
    await engine.dispose()


async def test_nothing_stored_is_raised_not_swallowed(unreachable: Conversation) -> None:
    with pytest.raises(NotStored):
        await unreachable.handle(Incoming.from_text(Sender("zalo", "z42"), "/help"))


async def test_the_zalo_webhook_asks_for_the_update_again(unreachable: Conversation) -> None:
    app = Starlette(routes=[webhook_route("/zalo", Inbox(unreachable, lambda: None), SECRET)])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1"
    ) as client:
        answer = await client.post("/zalo", json=UPDATE, headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 503


async def test_polling_keeps_the_update_until_it_is_stored(
    seeded: UnitOfWorkFactory, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    working = converse(seeded, clock)
    outage = {"left": 2}
    sent: list[Any] = []

    class Flaky(Conversation):
        """The database is back after two tries."""

        async def handle(self, event: Incoming) -> list[Any]:
            if outage["left"]:
                outage["left"] -= 1
                raise NotStored()
            replies = await working.handle(event)
            sent.extend(replies)
            return replies

    async def no_wait(_seconds: float) -> None:
        return None

    monkeypatch.setattr(asyncio, "sleep", no_wait)  # the back-off, not the test, waits
    flaky = Flaky(
        working.router,
        working.uow_factory,
        working.catalogues,
        working.clock,
        working.holidays,
        working.default_locale,
        working.default_lead,
        working.triage,
    )
    await polling.handle_until_stored(Inbox(flaky, lambda: None), UPDATE)
    assert outage["left"] == 0 and sent  # answered once the database was back


async def test_the_telegram_webhook_asks_for_the_update_again(unreachable: Conversation) -> None:
    bot = Bot("123456:TEST")  # never called: the update is not stored, so nothing is sent
    route = telegram_webhook.webhook_route(
        "/telegram", bot, Inbox(unreachable, lambda: None), SECRET
    )
    update = {
        "update_id": 7,
        "message": {
            "message_id": 1,
            "date": 1_790_000_000,
            "chat": {"id": 42, "type": "private"},
            "from": {"id": 42, "is_bot": False, "first_name": "Ba"},
            "text": "/help",
        },
    }
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=Starlette(routes=[route])), base_url="http://127.0.0.1"
    ) as client:
        answer = await client.post(
            "/telegram", json=update, headers={telegram_webhook.SECRET_HEADER: SECRET}
        )
    assert answer.status_code == 503


class Unstorable(Conversation):
    """Stores every event but those whose text it is told; records what it answered."""

    def __init__(self, unstorable: set[str]) -> None:
        self.unstorable = unstorable
        self.answered: list[str] = []

    async def handle(self, event: Incoming) -> list[Any]:
        if event.text in self.unstorable:
            raise NotStored()
        self.answered.append(event.text)
        return []


async def test_a_batch_stops_each_chat_at_its_first_unstored_event_and_says_where() -> None:
    conversation = Unstorable({"a1"})
    woken: list[None] = []
    inbox = Inbox(conversation, lambda: woken.append(None))
    a, b = Sender("telegram", "1"), Sender("telegram", "2")
    batch = [
        None,  # not a person talking to us: done with at once
        Incoming.from_text(a, "a1"),
        Incoming.from_text(b, "b1"),
        Incoming.from_text(a, "a2"),  # after a1 in its chat: waits for a1 to be stored
        Incoming.from_text(b, "b2"),
    ]
    done: list[int] = []

    async def handled(position: int) -> None:
        done.append(position)

    assert await inbox.handle_batch(batch, handled) == 1
    assert conversation.answered == ["b1", "b2"]
    assert sorted(done) == [0, 2, 4] and len(woken) == 2
