"""Migrations: every step goes up and down cleanly, and head matches the models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import JSON, Connection, DateTime, column, inspect, select, table
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrate
from storage.database import create_engine
from storage.models import Base


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(migrate.alembic_config())


def _revisions_oldest_first() -> list[Script]:
    return list(reversed(list(_scripts().walk_revisions("base", "heads"))))


async def _current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


async def _tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def test_the_migrations_have_one_head() -> None:
    assert len(_scripts().get_heads()) == 1


async def test_every_migration_upgrades_downgrades_and_upgrades_again(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        for script in _revisions_oldest_first():
            await migrate.upgrade(engine, script.revision)
            assert await _current_revision(engine) == script.revision
            await migrate.downgrade(engine, "-1")
            assert await _current_revision(engine) != script.revision
            await migrate.upgrade(engine, script.revision)
            assert await _current_revision(engine) == script.revision
        await migrate.downgrade(engine, "base")
        assert await _tables(engine) == {"alembic_version"}
    finally:
        await engine.dispose()


async def test_the_migrated_schema_matches_the_models(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        differences = await connection.run_sync(_differences)
    assert differences == []


async def test_the_migrated_schema_has_every_table_of_the_models(engine: AsyncEngine) -> None:
    assert await _tables(engine) == set(Base.metadata.tables) | {"alembic_version"}


OUTBOX_BEFORE_OPTIONS = table(
    "outbox",
    column("id"),
    column("kind"),
    column("channel"),
    column("chat_id"),
    column("payload", JSON),
    column("status"),
    column("not_before", DateTime),
    column("attempts"),
    column("created_at", DateTime),
)
OUTBOX_OPTIONS = table("outbox", column("id"), column("options", JSON))


async def test_messages_queued_before_the_options_column_keep_their_options(db_url: str) -> None:
    engine = create_engine(db_url)
    at = datetime(2026, 12, 4, 14, 0)
    payloads = {
        1: {"text": "Ngôn ngữ?", "choices": [["Tiếng Việt", "lang:vi"], ["English", "lang:en"]]},
        2: {"text": "No options", "choices": []},
        3: {"text": "A payload from before choices were written down"},
    }
    try:
        await migrate.upgrade(engine, "0007")
        async with engine.begin() as connection:
            await connection.execute(
                OUTBOX_BEFORE_OPTIONS.insert(),
                [
                    {
                        "id": row_id,
                        "kind": "reply",
                        "channel": "console",
                        "chat_id": "42",
                        "payload": payload,
                        "status": "sent",
                        "not_before": at,
                        "attempts": 1,
                        "created_at": at,
                    }
                    for row_id, payload in payloads.items()
                ],
            )
        await migrate.upgrade(engine, "0008")
        async with engine.connect() as connection:
            result = await connection.execute(select(OUTBOX_OPTIONS))
            found = {row_id: options for row_id, options in result}
        assert found == {
            1: [["Tiếng Việt", "lang:vi"], ["English", "lang:en"]],
            2: [],
            3: [],
        }
        await migrate.downgrade(engine, "0007")
        async with engine.connect() as connection:
            result = await connection.execute(
                select(OUTBOX_BEFORE_OPTIONS.c.id, OUTBOX_BEFORE_OPTIONS.c.payload)
            )
            assert {row_id: payload for row_id, payload in result} == payloads
    finally:
        await engine.dispose()
