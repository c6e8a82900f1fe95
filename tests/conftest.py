"""Fixtures shared by the tests: real databases on both dialects, a clock, units of work."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage import migrate
from storage.database import create_engine, session_factory
from storage.uow import SqlUnitOfWork
from tests.support import FixedClock

POSTGRES_URL_VARIABLE = "URBANBELL_TEST_POSTGRES_URL"
WARD_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

UnitOfWorkFactory = Callable[[], SqlUnitOfWork]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite file, for tests about SQLite itself."""
    return f"sqlite+aiosqlite:///{tmp_path / 'sqlite-only.db'}"


@pytest.fixture(params=["sqlite", "postgresql"], ids=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of each dialect, made for this test alone."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'urbanbell.db'}"
        return
    server_url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not server_url:
        message = f"set {POSTGRES_URL_VARIABLE} to run the PostgreSQL tests"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    async with _fresh_postgres_database(server_url) as url:
        yield url


@asynccontextmanager
async def _fresh_postgres_database(server_url: str) -> AsyncIterator[str]:
    """Create a uniquely named database next to the given one; drop it on the way out."""
    server = make_url(server_url)
    name = f"urbanbell_test_{uuid.uuid4().hex[:16]}"
    await _run_autocommit(server, f'CREATE DATABASE "{name}"')
    try:
        # Only the database changes: host, port and user stay the given URL's.
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        await _run_autocommit(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _run_autocommit(server: URL, statement: str) -> None:
    """Run a statement that PostgreSQL refuses inside a transaction (CREATE/DROP DATABASE)."""
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await admin.dispose()


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the test's database, its schema migrated to the newest revision."""
    engine = create_engine(db_url)
    try:
        await migrate.upgrade(engine)
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 30, 8, 0, tzinfo=WARD_ZONE))


@pytest.fixture
def uow_factory(engine: AsyncEngine, clock: FixedClock) -> UnitOfWorkFactory:
    sessions = session_factory(engine)
    return lambda: SqlUnitOfWork(sessions, clock)
