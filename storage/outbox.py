"""The outbox: messages to send, and how each one's sending ended."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.model import NewMessage, Option, OutboxItem, OutboxStatus
from core.privacy import FAREWELL
from storage.models import AnnouncementRow, OutboxRow
from storage.shared import Now, insert_for

REPLY = "reply"
BROADCAST = "broadcast"
# Messages that reached the person (an uncertain one most likely did): only what they saw can
# be what a typed number answers.
DELIVERED = (OutboxStatus.SENT.value, OutboxStatus.UNCERTAIN.value)
# A message on its way now may be on the person's screen before its sending is recorded: a
# number typed the moment it shows answers it.
SEEN = (*DELIVERED, OutboxStatus.SENDING.value)
# How far back to look for the message whose options stand: notices without options between it
# and now are passed over; more of them than this and nothing stands any more.
RECENT = 20
ENDED = (
    OutboxStatus.SENT.value,
    OutboxStatus.FAILED.value,
    OutboxStatus.SKIPPED.value,
    OutboxStatus.UNCERTAIN.value,
)
PLANNER_LOCK = 0x0B_E1_1B_E1  # any constant, the same in every instance


class OutboxRepository:
    def __init__(self, session: AsyncSession, now: Now) -> None:
        self.session = session
        self.now = now

    async def add(self, message: NewMessage) -> int | None:
        if message.key is not None:
            exists = await self.session.scalar(
                select(OutboxRow.id).where(OutboxRow.key == message.key)
            )
            if exists is not None:
                return None
        now = self.now()
        row = OutboxRow(
            key=message.key,
            kind=message.kind,
            channel=message.channel,
            chat_id=message.chat_id,
            resident_id=message.resident_id,
            payload=message.payload,
            options=_stored(message.options),
            announcement_id=message.announcement_id,
            status=OutboxStatus.PENDING.value,
            not_before=message.not_before or now,
            deadline=message.deadline,
            expires_at=message.expires_at,
            attempts=0,
            created_at=now,
        )
        self.session.add(row)
        await self.session.flush()
        return row.id

    async def add_new(self, messages: Sequence[NewMessage]) -> int:
        if not messages:
            return 0
        now = self.now()
        rows = [
            {
                "key": m.key,
                "kind": m.kind,
                "channel": m.channel,
                "chat_id": m.chat_id,
                "resident_id": m.resident_id,
                "payload": m.payload,
                "options": _stored(m.options),
                "announcement_id": m.announcement_id,
                "status": OutboxStatus.PENDING.value,
                "not_before": m.not_before or now,
                "deadline": m.deadline,
                "expires_at": m.expires_at,
                "attempts": 0,
                "created_at": now,
            }
            for m in messages
        ]
        # One statement over many rows: compiled once, however many reminders a city has.
        statement = insert_for(self.session)(OutboxRow).on_conflict_do_nothing()
        result = await self.session.execute(statement, rows)
        added = int(getattr(result, "rowcount", -1))
        return added if added >= 0 else len(rows)

    async def last_choices(self, channel: str, chat_id: str) -> tuple[Option, ...]:
        rows = await self.session.execute(
            select(OutboxRow.kind, OutboxRow.options)
            .where(
                OutboxRow.channel == channel,
                OutboxRow.chat_id == chat_id,
                OutboxRow.status.in_(SEEN),
            )
            # In the order the person saw them: a bell queued early may arrive after replies,
            # and what is on its way arrives after everything sent.
            .order_by(
                (OutboxRow.status == OutboxStatus.SENDING.value).desc(),
                OutboxRow.sent_at.desc().nulls_last(),
                OutboxRow.id.desc(),
            )
            .limit(RECENT)
        )
        for kind, options in rows:
            # A message with options asks; a reply without any says the question was answered
            # (or left); a notice or a bell without any leaves the question standing.
            if options or kind == REPLY:
                return tuple((str(label), str(data)) for label, data in options or ())
        return ()

    async def keys_since(self, kind: str, expiring_after: datetime) -> set[str]:
        found = await self.session.scalars(
            select(OutboxRow.key).where(
                OutboxRow.kind == kind, OutboxRow.expires_at > expiring_after
            )
        )
        return {key for key in found if key is not None}

    async def withdraw(self, key_prefix: str) -> int:
        result = await self.session.execute(
            delete(OutboxRow).where(
                OutboxRow.key.startswith(key_prefix, autoescape=True),
                OutboxRow.status == OutboxStatus.PENDING.value,
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def claim(
        self,
        channels: Sequence[str],
        now: datetime,
        lease: timedelta,
        limit: int,
        chat_id: str | None = None,
    ) -> list[OutboxItem]:
        # SKIP LOCKED lets several dispatchers share the outbox on PostgreSQL; SQLite has one
        # writer at a time anyway (BEGIN IMMEDIATE) and ignores it.
        earlier = aliased(OutboxRow)
        # A reply waits while an earlier reply to the same chat is held back or in another
        # dispatcher's hands: a conversation is read in the order it was written.
        held_back = (
            select(earlier.id)
            .where(
                earlier.kind == REPLY,
                earlier.channel == OutboxRow.channel,
                earlier.chat_id == OutboxRow.chat_id,
                earlier.id < OutboxRow.id,
                or_(
                    earlier.status == OutboxStatus.SENDING.value,
                    and_(earlier.status == OutboxStatus.PENDING.value, earlier.not_before > now),
                ),
            )
            .exists()
        )
        query = select(OutboxRow).where(
            OutboxRow.status == OutboxStatus.PENDING.value,
            OutboxRow.channel.in_(channels),
            OutboxRow.not_before <= now,
            or_(OutboxRow.kind != REPLY, ~held_back),
        )
        if chat_id is not None:
            query = query.where(OutboxRow.chat_id == chat_id)
        rows = list(
            await self.session.scalars(
                # Earliest deadline first; those already past theirs after those still on time,
                # so that one late message does not make the next late too. Of those without
                # a deadline, a broadcast to thousands goes after answers and notices, so that
                # someone writing meanwhile is not kept waiting behind it.
                query.order_by(
                    OutboxRow.deadline.is_(None),
                    OutboxRow.deadline < now,
                    OutboxRow.deadline,
                    OutboxRow.kind == BROADCAST,
                    OutboxRow.id,
                )
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        for row in rows:
            row.status = OutboxStatus.SENDING.value
            row.claimed_until = now + lease
            row.attempts += 1
        await self.session.flush()
        return [
            OutboxItem(
                r.id,
                r.kind,
                r.channel,
                r.chat_id,
                r.payload,
                r.resident_id,
                r.attempts,
                r.deadline,
                r.created_at,
            )
            for r in rows
        ]

    async def purge_ended(self, before: datetime, limit: int) -> int:
        unfinished = select(AnnouncementRow.id).where(AnnouncementRow.finished_at.is_(None))
        doomed = (
            select(OutboxRow.id)
            .where(
                OutboxRow.status.in_(ENDED),
                OutboxRow.not_before < before,  # through ix_outbox_status_not_before
                or_(
                    OutboxRow.announcement_id.is_(None),
                    OutboxRow.announcement_id.not_in(unfinished),
                ),
            )
            .limit(limit)
        )
        result = await self.session.execute(
            delete(OutboxRow).where(OutboxRow.id.in_(doomed)),
            execution_options={"synchronize_session": False},
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def lock_planning(self) -> bool:
        # One planner at a time when instances share PostgreSQL; the lock ends with the
        # transaction. On SQLite, BEGIN IMMEDIATE already let only this one in.
        if self.session.get_bind().dialect.name != "postgresql":
            return True
        locked = await self.session.scalar(select(func.pg_try_advisory_xact_lock(PLANNER_LOCK)))
        return bool(locked)

    async def expire(self, now: datetime) -> int:
        result = await self.session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.status == OutboxStatus.PENDING.value,
                OutboxRow.expires_at <= now,
            )
            .values(status=OutboxStatus.SKIPPED.value, outcome="expired before it could be sent")
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def reap(self, now: datetime) -> int:
        result = await self.session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.status == OutboxStatus.SENDING.value,
                OutboxRow.claimed_until < now,
            )
            .values(
                status=OutboxStatus.PENDING.value,
                claimed_until=None,
                outcome="taken back: its sender stopped while holding it, it may have been sent",
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def finish(
        self, item_ids: Sequence[int], status: OutboxStatus, outcome: str, now: datetime
    ) -> None:
        if not item_ids:
            return
        values: dict[str, object] = {
            "status": status.value,
            "claimed_until": None,
            # When it reached the person, or may have: the order they saw their messages in.
            "sent_at": now if status.value in DELIVERED else None,
        }
        # Without news of its own, an ending keeps what happened on the way (taken back
        # after a crash, say): that is the record of a possible repeat.
        if outcome:
            values["outcome"] = outcome[:300]
        await self.session.execute(
            update(OutboxRow).where(OutboxRow.id.in_(item_ids)).values(**values)
        )
        await self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id.in_(item_ids), OutboxRow.kind == FAREWELL)
            .values(chat_id="", payload={}, options=[])
        )

    async def postpone(
        self,
        item_id: int,
        not_before: datetime,
        outcome: str,
        count: bool,
        payload: dict[str, Any] | None = None,
    ) -> None:
        values: dict[str, object] = {
            "status": OutboxStatus.PENDING.value,
            "not_before": not_before,
            "claimed_until": None,
            "outcome": outcome[:300] or None,
        }
        if payload is not None:
            values["payload"] = payload
        if not count:
            values["attempts"] = OutboxRow.attempts - 1
        await self.session.execute(
            update(OutboxRow).where(OutboxRow.id == item_id).values(**values)
        )


def _stored(options: Sequence[Option]) -> list[list[str]]:
    return [[label, data] for label, data in options]
