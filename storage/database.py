"""The engine and sessions, with SQLite tuned for many concurrent writers."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

BUSY_TIMEOUT_MS = 30_000


def create_engine(url: str, echo: bool = False) -> AsyncEngine:
    """An engine for the URL; on SQLite, WAL, a busy timeout, foreign keys and
    `BEGIN IMMEDIATE`, so a writer waits its turn instead of failing with "database is locked".
    """
    # A statement's values are residents' words, names and phone numbers: never in an error.
    if make_url(url).get_backend_name() != "sqlite":
        return create_async_engine(url, echo=echo, pool_pre_ping=True, hide_parameters=True)
    engine = create_async_engine(
        url,
        echo=echo,
        hide_parameters=True,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
    )
    _tune_sqlite(engine)
    return engine


def read_only_engine(engine: AsyncEngine) -> AsyncEngine:
    """An engine for reads that never wait for a writer nor hold one up.

    On SQLite, a second engine on the same file whose transactions begin deferred and may not
    write: in WAL mode such a reader sees the last commit while a writer works. PostgreSQL's
    readers never wait for writers: its engine serves as it is.
    """
    if engine.dialect.name != "sqlite":
        return engine
    reads = create_async_engine(
        engine.url, echo=engine.echo, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}
    )

    @event.listens_for(reads.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    @event.listens_for(reads.sync_engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN DEFERRED")

    return reads


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def write_lock_for(engine: AsyncEngine) -> asyncio.Lock | None:
    """On SQLite, a lock that writers of this process queue on.

    SQLite lets one writer in at a time and makes the others poll with growing sleeps; queued
    in the process instead, each goes in the moment the one before it is done. Other processes
    on the same file still wait through `busy_timeout`.
    """
    return asyncio.Lock() if engine.dialect.name == "sqlite" else None


def _tune_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins (below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # In WAL mode NORMAL survives a crash of the process; only a power cut may lose
        # the last commits.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Any) -> None:
        # A deferred transaction that reads and then writes fails at once with SQLITE_BUSY
        # when another writer got there first; taking the write lock up front waits instead.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
