"""Latency of the officers' `/inbox` and `/stats` reads on a city's reports, beside the same
reads on the same data without the project's indexes.

1,000,000 reports over 50 wards (40 alleys each, 50,000 residents), filed over the 24 months
before 30 November 2026 08:00 in Asia/Ho_Chi_Minh, drawn from a seeded generator: older ones
mostly resolved (some rejected or duplicate, 1% stuck open), the last two weeks' mostly open;
ratings on 60% of the resolved. They are bulk-inserted (executemany on SQLite, COPY on
PostgreSQL) into a schema migrated to head, its report indexes built afterwards.

`/inbox` is `ReportRepository.inbox()` for one ward, no filters, the first page of 10 (the
page and the count of the ward's open reports); `/stats` is `figures_for_wards()` for one ward
and one month (October 2026): the narrow read of the reports filed or resolved in it, the
ward's alleys, and the figures computed in Python. Each run opens its own unit of work, as an
update does, and asks about the next ward in turn. Then every index of the reports table that
the migrations made is dropped, and the same runs are timed again. PostgreSQL is ANALYZEd after
loading and after the drop (as autovacuum would, eventually); SQLite is not, as in production.

    .venv/bin/python -m benchmarks.report_queries [--reports 1000000] [--wards 50]
        [--runs 50] [--postgres URL] [--no-postgres] [--seed 1]

PostgreSQL is measured when `--postgres` or URBANBELL_TEST_POSTGRES_URL names a server on
127.0.0.1; a database is made for the run and dropped after.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Index, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from core.indicators import figures_for_wards
from core.model import HolidayPolicy, Ward
from core.reports import Category, InboxFilter, ReportState
from storage import migrate
from storage.database import create_engine, session_factory
from storage.models import Base
from storage.uow import SqlUnitOfWork
from tests.support import FixedClock

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=ZONE)
STATS_MONTH = "2026-10"
ALLEYS_PER_WARD = 40
RESIDENTS = 50_000
MONTHS = 24
PAGE = 10
CHUNK = 50_000
GOALS_MS = {"/inbox": 20.0, "/stats": 200.0}  # p95 on SQLite
CATEGORIES = list(Category)
CATEGORY_WEIGHTS = [45, 25, 12, 12, 6]
STAMPS = ("created_at", "last_seen_at")
REPORT_COLUMNS = (
    "id",
    "ward_id",
    "alley_id",
    "resident_id",
    "category",
    "description",
    "state",
    "anonymous",
    "created_at",
    "acknowledged_at",
    "resolved_at",
    "acknowledge_by",
    "resolve_by",
    "due_at",
    "rating",
)


@dataclass(frozen=True)
class Timing:
    p50: float
    p95: float


def reports(count: int, wards: int, seed: int) -> Iterator[tuple[Any, ...]]:
    """The city's reports as rows of REPORT_COLUMNS, times naive UTC."""
    rng = random.Random(seed)
    now = NOW.astimezone(UTC).replace(tzinfo=None)
    span = timedelta(days=MONTHS * 30.4).total_seconds()
    for number in range(1, count + 1):
        ward = number % wards
        created = now - timedelta(seconds=rng.random() * span)
        state = _state(rng, now - created)
        acknowledge_by = created + timedelta(hours=16)
        resolve_by = created + timedelta(days=3, hours=rng.choice((0, 24, 48)))
        acknowledged = None
        if state is not ReportState.NEW:
            acknowledged = min(created + timedelta(hours=rng.expovariate(1 / 6)), now)
        resolved = None
        if state is ReportState.RESOLVED:
            resolved = min(created + timedelta(hours=rng.expovariate(1 / 60)), now)
        due = None
        if state is ReportState.NEW:
            due = acknowledge_by
        elif state in (ReportState.ACKNOWLEDGED, ReportState.IN_PROGRESS):
            due = resolve_by
        rated = resolved is not None and rng.random() < 0.6
        yield (
            number,
            ward + 1,
            ward * ALLEYS_PER_WARD + rng.randrange(ALLEYS_PER_WARD) + 1,
            rng.randrange(RESIDENTS) + 1,
            rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0].value,
            "Rác để ngoài đường cả tuần",
            state.value,
            rng.random() < 0.1,
            created,
            acknowledged,
            resolved,
            acknowledge_by,
            resolve_by,
            due,
            rng.choice((3, 4, 4, 5, 5)) if rated else None,
        )


# (upper bound of a uniform draw, the state it gives), for reports older and newer than 14 days
OLD_STATES = (
    (0.87, ReportState.RESOLVED),
    (0.94, ReportState.REJECTED),
    (0.99, ReportState.DUPLICATE),
    (1.0, ReportState.IN_PROGRESS),
)
RECENT_STATES = (
    (0.3, ReportState.NEW),
    (0.5, ReportState.ACKNOWLEDGED),
    (0.7, ReportState.IN_PROGRESS),
    (0.95, ReportState.RESOLVED),
    (1.0, ReportState.REJECTED),
)


def _state(rng: random.Random, age: timedelta) -> ReportState:
    """Older reports mostly closed, 1% stuck open; the last two weeks' mostly open."""
    draw = rng.random()
    steps: tuple[tuple[float, ReportState], ...] = (
        OLD_STATES if age > timedelta(days=14) else RECENT_STATES
    )
    return next(state for bound, state in steps if draw < bound)


def _report_indexes() -> list[Index]:
    return sorted(Base.metadata.tables["reports"].indexes, key=lambda index: str(index.name))


def _create_indexes(connection: Connection) -> None:
    for index in _report_indexes():
        index.create(connection)


async def seed(engine: AsyncEngine, options: argparse.Namespace) -> None:
    """The wards, alleys, residents and reports, loaded in bulk with the indexes built after."""
    postgres = engine.dialect.name == "postgresql"
    stamp = NOW.astimezone(UTC).replace(tzinfo=None)
    alleys = options.wards * ALLEYS_PER_WARD
    async with engine.begin() as connection:
        for index in _report_indexes():
            await connection.execute(text(f"DROP INDEX {index.name}"))
        await _load(
            connection,
            "wards",
            ("id", "code", "name", "timezone", "holiday_policy"),
            [
                (w + 1, f"ward-{w + 1}", f"Phường {w + 1}", str(ZONE), "skip")
                for w in range(options.wards)
            ],
        )
        await _load(
            connection,
            "alleys",
            ("id", "ward_id", "code", "name", "search_name"),
            [
                (a + 1, a // ALLEYS_PER_WARD + 1, f"hem-{a + 1}", f"Hẻm {a + 1}", f"hem {a + 1}")
                for a in range(alleys)
            ],
        )
        await _load(
            connection,
            "residents",
            ("id", "channel", "external_id", "active", "muted_announcements", *STAMPS),
            [(r + 1, "telegram", str(r + 1), True, False, stamp, stamp) for r in range(RESIDENTS)],
        )
        batch: list[tuple[Any, ...]] = []
        for row in reports(options.reports, options.wards, options.seed):
            batch.append(row)
            if len(batch) == CHUNK:
                await _load(connection, "reports", REPORT_COLUMNS, batch)
                batch = []
        await _load(connection, "reports", REPORT_COLUMNS, batch)
        await connection.run_sync(_create_indexes)
        if postgres:
            await connection.execute(text("ANALYZE"))


async def _load(
    connection: AsyncConnection, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        driver = (await connection.get_raw_connection()).driver_connection
        assert driver is not None
        await driver.copy_records_to_table(table, records=rows, columns=columns)
        return
    # SQLite keeps SQLAlchemy's DateTime as text in this form; the queries compare it as text.
    stored = [tuple(_sqlite(value) for value in row) for row in rows]
    places = ", ".join("?" for _ in columns)
    await connection.exec_driver_sql(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({places})", stored
    )


def _sqlite(value: Any) -> Any:
    return f"{value:%Y-%m-%d %H:%M:%S.%f}" if isinstance(value, datetime) else value


async def drop_indexes(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        for index in _report_indexes():
            await connection.execute(text(f"DROP INDEX {index.name}"))
        if engine.dialect.name == "postgresql":
            await connection.execute(text("ANALYZE reports"))


async def timed_runs(runs: int, work: Callable[[int], Awaitable[object]]) -> Timing:
    await work(0)  # the first run warms the connection pool and the statement cache
    seconds = []
    for run in range(runs):
        started = time.perf_counter()
        await work(run)
        seconds.append(time.perf_counter() - started)
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return Timing(statistics.median(seconds) * 1000, cuts[94] * 1000)


async def measure(
    engine: AsyncEngine, options: argparse.Namespace, label: str
) -> dict[str, Timing]:
    sessions = session_factory(engine)
    clock = FixedClock(NOW)
    wards = [
        Ward(w + 1, f"ward-{w + 1}", f"Phường {w + 1}", str(ZONE), HolidayPolicy.SKIP)
        for w in range(options.wards)
    ]
    counts: dict[str, int] = {}

    async def inbox(run: int) -> None:
        async with SqlUnitOfWork(sessions, clock) as uow:
            _page, total = await uow.reports.inbox(
                [wards[run % len(wards)].id], InboxFilter(), NOW, 0, PAGE
            )
        counts["/inbox"] = total

    async def stats(run: int) -> None:
        async with SqlUnitOfWork(sessions, clock) as uow:
            [figures] = await figures_for_wards(uow, [wards[run % len(wards)]], STATS_MONTH, NOW)
        counts["/stats"] = figures.total.received + figures.total.resolved

    timings = {
        "/inbox": await timed_runs(options.runs, inbox),
        "/stats": await timed_runs(options.runs, stats),
    }
    print(
        f"  {label}: the last ward asked had {counts['/inbox']:,} open reports, "
        f"{counts['/stats']:,} received + resolved in {STATS_MONTH}"
    )
    return timings


async def bench(label: str, url: str, options: argparse.Namespace) -> list[str]:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        started = time.perf_counter()
        await seed(engine, options)
        print(f"{label}: seeded in {time.perf_counter() - started:.1f} s (not measured)")
        indexed = await measure(engine, options, "indexed")
        await drop_indexes(engine)
        bare = await measure(engine, options, "without indexes")
    finally:
        await engine.dispose()
    lines = []
    for query, with_ in indexed.items():
        without = bare[query]
        lines.append(
            f"{label:<11} {query:<7} {with_.p50:9.2f} {with_.p95:9.2f}   "
            f"{without.p50:9.2f} {without.p95:9.2f}   {without.p95 / with_.p95:8.1f}x"
        )
        if label == "sqlite":
            goal = GOALS_MS[query]
            met = "met" if with_.p95 <= goal else "NOT met"
            lines.append(f"{'':<11} goal p95 <= {goal:.0f} ms: {met}")
    return lines


async def postgres_database(server_url: str, statement: str) -> None:
    admin = create_async_engine(make_url(server_url), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await admin.dispose()


async def main(options: argparse.Namespace) -> None:
    print(
        f"{options.reports:,} reports over {options.wards} wards; {options.runs} runs a query, "
        f"one ward a run; milliseconds"
    )
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        lines += await bench("sqlite", f"sqlite+aiosqlite:///{Path(folder) / 'r.db'}", options)
    server = None if options.no_postgres else options.postgres
    if server:
        host = make_url(server).host or ""
        if not host.startswith("127."):
            raise SystemExit(f"--postgres must be on 127.0.0.0/8, not {host}")
        name = f"urbanbell_bench_{uuid.uuid4().hex[:12]}"
        await postgres_database(server, f'CREATE DATABASE "{name}"')
        try:
            url = make_url(server).set(database=name).render_as_string(hide_password=False)
            lines += await bench("postgresql", url, options)
        finally:
            await postgres_database(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print()
    print(f"{'':<11} {'':<7} {'indexed':>19}   {'without indexes':>19}   {'p95':>9}")
    print(f"{'database':<11} {'query':<7} {'p50':>9} {'p95':>9}   {'p50':>9} {'p95':>9}   ratio")
    for line in lines:
        print(line)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--wards", type=int, default=50)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("URBANBELL_TEST_POSTGRES_URL"),
        help="a PostgreSQL server on 127.0.0.1 where a database may be made",
    )
    parser.add_argument("--no-postgres", action="store_true")
    options = parser.parse_args()
    if options.runs < 50:
        parser.error("--runs must be at least 50 for a p95")
    return options


if __name__ == "__main__":
    asyncio.run(main(parse()))
