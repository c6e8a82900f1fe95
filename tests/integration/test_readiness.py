"""An instance is ready for traffic only when its database answers with the code's schema."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrate
from storage.database import create_engine
from storage.health import unready


async def test_a_database_at_the_codes_schema_is_ready(engine: AsyncEngine) -> None:
    assert await unready(engine) == []


async def test_a_database_behind_the_codes_schema_is_not_ready_and_says_where_it_is(
    engine: AsyncEngine,
) -> None:
    await migrate.downgrade(engine, "-1")
    [problem] = await unready(engine)
    assert problem.startswith("database schema at ")
    assert "the code needs" in problem
    await migrate.upgrade(engine)
    assert await unready(engine) == []


async def test_a_database_that_cannot_be_reached_is_not_ready() -> None:
    # Nothing listens on port 9 (discard) of this machine.
    engine = create_engine("postgresql+asyncpg://postgres@127.0.0.1:9/none")
    try:
        [problem] = await unready(engine)
    finally:
        await engine.dispose()
    assert problem.startswith("database unreachable")
