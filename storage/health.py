"""What an operator asks of the database: is it there, is its schema current, how full is it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from core.reports import ReportState
from storage.migrate import alembic_config
from storage.models import OutboxRow, ReportRow, WardRow

OPEN_STATES = (ReportState.NEW, ReportState.ACKNOWLEDGED, ReportState.IN_PROGRESS)


async def unready(engine: AsyncEngine) -> list[str]:
    """Why this instance should not take traffic now; empty when it may."""
    try:
        async with engine.connect() as connection:
            current = await connection.run_sync(_current_heads)
    except (SQLAlchemyError, OSError) as error:
        return [f"database unreachable: {type(error).__name__}"]
    head = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    if current != head:
        have = ", ".join(sorted(current)) or "none"
        return [f"database schema at {have}, the code needs {', '.join(sorted(head))}"]
    return []


def _current_heads(connection: Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


@dataclass(frozen=True)
class Gauges:
    outbox: dict[tuple[str, str, str], int]  # (channel, kind, status) → messages
    open_reports: dict[str, int]  # ward code → reports not yet closed
    overdue_reports: dict[str, int]  # ward code → of those, past their next target


async def read_gauges(engine: AsyncEngine, now: datetime) -> Gauges:
    """The outbox's depth and the wards' open and overdue reports, as they are now."""
    async with engine.connect() as connection:
        outbox = await connection.execute(
            select(OutboxRow.channel, OutboxRow.kind, OutboxRow.status, func.count()).group_by(
                OutboxRow.channel, OutboxRow.kind, OutboxRow.status
            )
        )
        is_open = ReportRow.state.in_([state.value for state in OPEN_STATES])
        reports = await connection.execute(
            select(
                WardRow.code,
                func.count(ReportRow.id).filter(is_open),
                func.count(ReportRow.id).filter(is_open, ReportRow.due_at < now),
            )
            .outerjoin(ReportRow, ReportRow.ward_id == WardRow.id)
            .group_by(WardRow.code)
        )
        wards = reports.all()
        return Gauges(
            {(channel, kind, status): n for channel, kind, status, n in outbox.all()},
            {code: opened for code, opened, _ in wards},
            {code: overdue for code, _, overdue in wards},
        )
