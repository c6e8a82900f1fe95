"""The nightly purge on PostgreSQL: rows deleted a second and the outbox's size before and
after, and an announcement's outcome count through its indexed column beside the LIKE over the
outbox keys it replaced.

A city's outbox of `--rows` messages (default 5,000,000) is generated inside PostgreSQL
(`generate_series`) into a schema migrated to head: 60% bell reminders, 30% replies, 10% copies
of 50 announcements, spread evenly over the 60 days before now, with payloads of 150 to 250
characters of Vietnamese; all ended (sent, a few failed or expired) but the last hour's, which
are pending. About half are past the 30 days kept. The purge is `core.retention.purge` as the
nightly job runs it (1,000 rows a transaction). The table is ANALYZEd after loading (as
autovacuum would); sizes are `pg_total_relation_size` (indexes included), after the purge both
as it stands (deleted rows' space reused by new ones) and after `VACUUM FULL`. The count is
`AnnouncementRepository.outcomes()` for one announcement (a 500th of the rows), median of `--runs`.

    .venv/bin/python -m benchmarks.retention_purge [--rows 5000000] [--runs 9] [--postgres URL]

The server is `--postgres` or URBANBELL_TEST_POSTGRES_URL (on 127.0.0.1); a database is made
for the run and dropped after.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from core.mobilisation import Delivered
from core.retention import Retention, purge
from storage import migrate
from storage.announcements import outcomes_of
from storage.database import create_engine, session_factory
from storage.models import OutboxRow
from storage.uow import SqlUnitOfWork
from tests.support import FixedClock

NOW = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
STORED_NOW = NOW.replace(tzinfo=None)  # as the columns keep instants: naive UTC
ANNOUNCEMENTS = 50
DAYS = 60

FILL = """
INSERT INTO outbox (key, kind, channel, chat_id, resident_id, payload, options, status,
                    not_before, attempts, created_at, sent_at, outcome, announcement_id)
SELECT
    CASE WHEN g % 10 < 6 THEN 'bell:' || (g % 100000) || ':' || g
         WHEN g % 10 = 9 THEN 'announce:' || announcement || ':' || g
         END,
    CASE WHEN g % 10 < 6 THEN 'bell' WHEN g % 10 = 9 THEN 'broadcast' ELSE 'reply' END,
    CASE WHEN g % 3 = 0 THEN 'zalo' ELSE 'telegram' END,
    (100000000 + g % 100000)::text,
    NULL,
    json_build_object('text', 'Xe rác sẽ đến Hẻm ' || (g % 300) || ' Đường 3 Tháng 2 lúc 18:00 '
        || repeat('hôm nay, bạn nhớ mang rác ra nhé. ', 3 + g % 4)),
    '[]',
    CASE WHEN due > CAST(:now AS timestamp) - interval '1 hour' THEN 'pending'
         WHEN g % 100 = 0 THEN 'failed'
         WHEN g % 100 = 1 THEN 'skipped'
         ELSE 'sent' END,
    due, 1, due,
    CASE WHEN due > CAST(:now AS timestamp) - interval '1 hour' OR g % 100 < 2 THEN NULL
         ELSE due END,
    CASE WHEN g % 100 = 0 THEN 'blocked: Forbidden: bot was blocked by the user'
         WHEN g % 100 = 1 THEN 'expired before it could be sent' END,
    CASE WHEN g % 10 = 9 THEN announcement END
FROM (
    SELECT g, CAST(:now AS timestamp)
              - CAST(:days AS integer) * interval '1 day' * (g::float8 / CAST(:rows AS integer))
              AS due,
           g / 10 % CAST(:announcements AS integer) + 1 AS announcement
    FROM generate_series(1, CAST(:rows AS integer)) AS g
) AS rows
"""


async def fill(engine: AsyncEngine, rows: int) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO wards (code, name, timezone, holiday_policy)"
                " VALUES ('nk', 'Ninh Kiều', 'Asia/Ho_Chi_Minh', 'skip')"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO announcements (ward_id, text, recipients, channel, chat_id,"
                " language, created_at, finished_at)"
                " SELECT 1, 'Phun thuốc muỗi', 1000, 'telegram', '1', 'vi', :now, :now"
                " FROM generate_series(1, :announcements)"
            ),
            {"now": STORED_NOW, "announcements": ANNOUNCEMENTS},
        )
        await connection.execute(
            text(FILL),
            {"now": STORED_NOW, "rows": rows, "days": DAYS, "announcements": ANNOUNCEMENTS},
        )
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("ANALYZE outbox"))


async def size(engine: AsyncEngine) -> tuple[int, int]:
    """(bytes, rows) of the outbox, indexes included."""
    async with engine.connect() as connection:
        found = (
            await connection.execute(
                text("SELECT pg_total_relation_size('outbox'), (SELECT count(*) FROM outbox)")
            )
        ).one()
        return int(found[0]), int(found[1])


async def maintain(engine: AsyncEngine, statement: str) -> None:
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text(statement))


async def by_key(session: AsyncSession, announcement_id: int) -> Delivered:
    """The count as it was made before the column: a LIKE over the outbox keys."""
    prefix = f"announce:{announcement_id}:"
    return await outcomes_of(session, OutboxRow.key.startswith(prefix, autoescape=True))


async def median_ms(
    runs: int, count: Callable[[], Awaitable[Delivered]]
) -> tuple[float, Delivered]:
    times, found = [], None
    for _ in range(runs):
        started = time.perf_counter()
        found = await count()
        times.append((time.perf_counter() - started) * 1000)
    assert found is not None
    return statistics.median(times), found


async def counts(engine: AsyncEngine, runs: int) -> tuple[float, float, Delivered]:
    sessions = session_factory(engine)
    clock = FixedClock(NOW)

    async def through_column() -> Delivered:
        async with SqlUnitOfWork(sessions, clock) as uow:
            return await uow.announcements.outcomes(1)

    async def through_keys() -> Delivered:
        async with sessions() as session:
            return await by_key(session, 1)

    column_ms, by_column = await median_ms(runs, through_column)
    key_ms, by_keys = await median_ms(runs, through_keys)
    assert by_column == by_keys, (by_column, by_keys)
    return key_ms, column_ms, by_column


async def bench(url: str, rows: int, runs: int) -> None:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        started = time.perf_counter()
        await fill(engine, rows)
        print(f"loaded {rows:,} outbox rows in {time.perf_counter() - started:.0f} s")
        before, count_before = await size(engine)
        like_ms, column_ms, found = await counts(engine, runs)
        print(
            f"outbox before:  {before / 2**20:8.1f} MB, {count_before:,} rows "
            f"({before / count_before:.0f} bytes a row)"
        )
        print(
            f"announcement count before the purge: LIKE over keys {like_ms:7.1f} ms, "
            f"indexed column {column_ms:6.2f} ms ({like_ms / column_ms:.0f}x), {found}"
        )
        sessions = session_factory(engine)
        clock = FixedClock(NOW)
        started = time.perf_counter()
        purged = await purge(lambda: SqlUnitOfWork(sessions, clock), NOW, Retention())
        elapsed = time.perf_counter() - started
        print(
            f"purge: {purged.messages:,} rows in {elapsed:.1f} s = "
            f"{purged.messages / elapsed:,.0f} rows/s (batches of {Retention().batch:,})"
        )
        await maintain(engine, "VACUUM ANALYZE outbox")
        after, count_after = await size(engine)
        print(
            f"outbox after the purge (VACUUM):      {after / 2**20:8.1f} MB, {count_after:,} rows"
        )
        like_ms, column_ms, found = await counts(engine, runs)
        print(
            f"announcement count after the purge: LIKE over keys {like_ms:7.1f} ms, "
            f"indexed column {column_ms:6.2f} ms ({like_ms / column_ms:.0f}x)"
        )
        await maintain(engine, "VACUUM FULL outbox")
        full, _ = await size(engine)
        print(
            f"outbox after VACUUM FULL:             {full / 2**20:8.1f} MB "
            f"({full / before:.2f} of before)"
        )
    finally:
        await engine.dispose()


async def admin(server_url: str, statement: str) -> None:
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def main(options: argparse.Namespace) -> None:
    server = make_url(options.postgres)
    if server.host not in ("127.0.0.1", "localhost"):
        raise SystemExit(f"--postgres must be on 127.0.0.1, not {server.host}")
    name = f"urbanbell_bench_{uuid.uuid4().hex[:12]}"
    await admin(options.postgres, f'CREATE DATABASE "{name}"')
    try:
        url = server.set(database=name).render_as_string(hide_password=False)
        await bench(url, options.rows, options.runs)
    finally:
        await admin(options.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "URBANBELL_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
        ),
    )
    asyncio.run(main(parser.parse_args()))
