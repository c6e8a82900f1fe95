"""An announcement's outcomes are counted through an indexed column, not a LIKE over every
outbox key; copies queued before the column existed are counted too."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, column, event, select, table, text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.ports import UnitOfWorkFactory
from storage import migrate
from storage.database import create_engine

OUTBOX_0008 = table(
    "outbox",
    column("id"),
    column("key"),
    column("kind"),
    column("channel"),
    column("chat_id"),
    column("payload", JSON),
    column("status"),
    column("not_before", DateTime),
    column("attempts"),
    column("created_at", DateTime),
)
OUTBOX_0009 = table("outbox", column("key"), column("announcement_id"))


async def test_the_outcomes_query_uses_the_announcement_index(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory
) -> None:
    seen: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "FROM outbox" in statement and "count(" in statement:
            seen.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", note)
    try:
        async with uow_factory() as uow:
            await uow.announcements.outcomes(7)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", note)
    [(statement, parameters)] = seen
    async with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            explained = "EXPLAIN QUERY PLAN " + statement
        else:
            # A table this small is read whole anyway: ask what it would do with no choice.
            await connection.execute(text("SET LOCAL enable_seqscan = off"))
            explained = "EXPLAIN " + statement
        plan = " ".join(
            str(row) for row in await connection.exec_driver_sql(explained, parameters)
        )

    assert "ix_outbox_announcement_status" in plan


async def test_copies_queued_before_the_column_are_counted_by_their_key(db_url: str) -> None:
    engine = create_engine(db_url)
    at = datetime(2026, 12, 4, 14, 0)
    keys = ["announce:7:1", "announce:7:2", "announce:12:1", "announced:7:done", "bell:3:x", None]
    try:
        await migrate.upgrade(engine, "0008")
        async with engine.begin() as connection:
            await connection.execute(
                OUTBOX_0008.insert(),
                [
                    {
                        "id": number,
                        "key": key,
                        "kind": "broadcast",
                        "channel": "console",
                        "chat_id": "42",
                        "payload": {"text": "Phun thuốc muỗi"},
                        "status": "sent",
                        "not_before": at,
                        "attempts": 1,
                        "created_at": at,
                    }
                    for number, key in enumerate(keys, start=1)
                ],
            )
        await migrate.upgrade(engine, "0009")
        async with engine.connect() as connection:
            found: dict[str | None, int | None] = {
                key: number for key, number in await connection.execute(select(OUTBOX_0009))
            }
        await migrate.downgrade(engine, "0008")
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()

    assert found == {
        "announce:7:1": 7,
        "announce:7:2": 7,
        "announce:12:1": 12,
        "announced:7:done": None,
        "bell:3:x": None,
        None: None,
    }
