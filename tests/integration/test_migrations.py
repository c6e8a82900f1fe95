"""Migrations: every step goes up and down cleanly, and head matches the models."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import Connection, inspect
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
