"""A city of `urbanbell run` processes on one PostgreSQL database, for the tests and the
benchmark: each instance's webhook, its log, and the messages a city's evening queues."""

from __future__ import annotations

import asyncio
import signal
import socket
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.i18n import Catalogues
from bot.features.announcements.wording import AnnouncementWording
from core import announcements
from core.model import HolidayPolicy, NewMessage, Role
from storage.database import session_factory
from storage.models import OutboxRow, ResidentRow, SubscriptionRow
from storage.uow import SqlUnitOfWork
from tests.e2e.conftest import urbanbell
from tests.fakes.telegram import FakeTelegram
from tests.support import FixedClock

SECRET = "city-webhook-secret"
OFFICER = 9001  # who announces, on Telegram
FIRST_RESIDENT = 700_000_000
DISPATCHER = "plays the dispatcher"
POLLER = "plays the poller of telegram"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def city_env(base: dict[str, str], database_url: str, lease_seconds: int) -> dict[str, str]:
    """An instance's environment: the shared database, a webhook, a port of its own."""
    port = free_port()
    return {
        **base,
        "URBANBELL_DATABASE_URL": database_url,
        "URBANBELL_TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
        "URBANBELL_WEBHOOK_SECRET": SECRET,
        "URBANBELL_HTTP_PORT": str(port),
        "URBANBELL_OUTBOX_LEASE_SECONDS": str(lease_seconds),
    }


@dataclass
class Instance:
    """One `urbanbell run`, its webhook's address, and what it logged so far."""

    process: asyncio.subprocess.Process
    webhook: str
    lines: list[str] = field(default_factory=list)
    reader: asyncio.Task[None] | None = None

    def said(self, words: str) -> bool:
        return any(words in line for line in self.lines)

    async def post(self, update: dict[str, object]) -> int:
        """POST an update to this instance's webhook as Telegram would; say the status."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with httpx.AsyncClient(timeout=30) as client:
            answer = await client.post(self.webhook, json=update, headers=headers)
        return answer.status_code

    async def stop(self, how: signal.Signals = signal.SIGTERM) -> str:
        if self.process.returncode is None:
            self.process.send_signal(how)
        await asyncio.wait_for(self.process.wait(), 60)
        if self.reader is not None:
            await self.reader
        return "\n".join(self.lines)


async def start(env: dict[str, str]) -> Instance:
    process = await urbanbell(env, "run")
    instance = Instance(process, env.get("URBANBELL_TELEGRAM_WEBHOOK_URL", ""))

    async def read() -> None:
        assert process.stderr is not None
        async for line in process.stderr:
            instance.lines.append(line.decode(errors="replace").rstrip())

    instance.reader = asyncio.create_task(read())
    return instance


async def wait_running(instance: Instance, timeout: float = 120) -> None:  # noqa: ASYNC109
    """Until the instance runs (with a webhook, its web server then takes requests)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not instance.said("Urban Bell is running"):
        if instance.process.returncode is not None or loop.time() > deadline:
            raise AssertionError("\n".join(instance.lines[-20:]))
        await asyncio.sleep(0.1)


async def queue_evening(engine: AsyncEngine, bells: int, announced: int) -> Counter[int]:
    """An announcement to `announced` residents of one ward, and a bell to the first `bells` of
    them; say how many messages each resident's chat should get."""
    now = datetime.now(UTC)
    sessions = session_factory(engine)
    async with SqlUnitOfWork(sessions, FixedClock(now)) as uow:
        ward, _ = await uow.wards.upsert(
            "ninh-kieu", "Phường Ninh Kiều", "Asia/Ho_Chi_Minh", HolidayPolicy.SKIP
        )
        alley, _ = await uow.alleys.upsert(ward, "nk-hem-51", "Hẻm 51", None, (), ())
        officer, _ = await uow.officers.upsert(ward, "telegram", str(OFFICER), Role.OFFICER, "Lan")
        chats = [FIRST_RESIDENT + n for n in range(announced)]
        ids = await uow.session.scalars(
            insert(ResidentRow).returning(ResidentRow.id),
            [
                {
                    "channel": "telegram",
                    "external_id": str(chat),
                    "language": "vi",
                    "active": True,
                    "muted_announcements": False,
                    "created_at": now,
                    "last_seen_at": now,
                }
                for chat in chats
            ],
        )
        await uow.session.execute(
            insert(SubscriptionRow),
            [
                {"resident_id": i, "alley_id": alley.id, "lead_minutes": 15, "created_at": now}
                for i in ids
            ],
        )
        await uow.outbox.add_new(
            [
                NewMessage(
                    "bell",
                    "telegram",
                    str(chat),
                    {"text": f"🔔 Xe rác đến Hẻm 51 lúc 18:00 ({chat})", "choices": []},
                    key=f"bell:city:{chat}",
                    deadline=now + timedelta(minutes=30),
                    expires_at=now + timedelta(hours=2),
                )
                for chat in chats[:bells]
            ]
        )
        await announcements.announce(
            uow,
            [officer],
            ward.id,
            [],
            "Chủ nhật này tổng vệ sinh toàn phường.",
            ("telegram", str(OFFICER)),
            "vi",
            AnnouncementWording(Catalogues(), "vi"),
        )
        await uow.commit()
    return Counter({chat: 1 + (n < bells) for n, chat in enumerate(chats)})


async def outbox_rows(engine: AsyncEngine) -> list[OutboxRow]:
    async with SqlUnitOfWork(session_factory(engine), FixedClock(datetime.now(UTC))) as uow:
        rows = list(await uow.session.scalars(select(OutboxRow)))
        uow.session.expunge_all()  # readable after the unit of work closes
        return rows


def to_residents(fake: FakeTelegram) -> Counter[int]:
    return Counter(m.chat_id for m in fake.sent if m.chat_id >= FIRST_RESIDENT)
