"""Dialogue state: where each resident is in a conversation, kept between their messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.model import DialogueState
from core.ports import Memory
from storage.models import DialogueStateRow, ResidentRow
from storage.shared import Now, apply_changes


class DialogueRepository:
    def __init__(self, session: AsyncSession, now: Now) -> None:
        self.session = session
        self.now = now
        # Rows read by `recall`, held so that `remember` finds them without asking again
        # (the session only holds its rows weakly).
        self._rows: dict[int, DialogueStateRow | None] = {}

    async def recall(self, resident_id: int) -> Memory:
        row = self._rows[resident_id] = await self.session.get(DialogueStateRow, resident_id)
        if row is None:
            return Memory()
        dialogue = None
        if row.name is not None and row.step is not None:
            dialogue = DialogueState(row.name, row.step, dict(row.data))
        return Memory(dialogue)

    async def remember(self, resident_id: int, memory: Memory) -> None:
        if resident_id in self._rows:
            row = self._rows[resident_id]
        else:
            row = await self.session.get(DialogueStateRow, resident_id)
        dialogue = memory.dialogue
        values = {
            "name": dialogue.name if dialogue else None,
            "step": dialogue.step if dialogue else None,
            "data": dict(dialogue.data) if dialogue else {},
        }
        if row is None:
            row = DialogueStateRow(resident_id=resident_id)
            self.session.add(row)
        if apply_changes(row, **values):  # nothing new to remember: no write
            row.updated_at = self.now()

    async def forget_unseen(self, before: datetime, limit: int) -> int:
        doomed = (
            select(DialogueStateRow.resident_id)
            .join(ResidentRow, ResidentRow.id == DialogueStateRow.resident_id)
            .where(ResidentRow.last_seen_at < before)
            .limit(limit)
        )
        result = await self.session.execute(
            delete(DialogueStateRow).where(DialogueStateRow.resident_id.in_(doomed)),
            execution_options={"synchronize_session": False},
        )
        self._rows.clear()
        return int(getattr(result, "rowcount", 0) or 0)
