"""Latency of `GET /open311/v2/requests.json` over HTTP on a city's reports, beside the same
requests without the indexes that read reports newest first (`ix_reports_created`, and
`ix_reports_category_created` for one category).

The reports are those of `benchmarks.report_queries` (1,000,000 over 50 wards and 24 months by
default, bulk-loaded, indexes built after, PostgreSQL ANALYZEd). The Open311 routes that
`urbanbell run` serves are served by uvicorn on 127.0.0.1, reading through the read-only path,
and an HTTP client asks, in turn: the default query (the last 90 days, the first page of 100),
open reports of one category, closed ones in a week, and page 20 of the default query. The
clock stands at the data's "now". Then both indexes are dropped and the same requests are
timed again.

    .venv/bin/python -m benchmarks.open311_requests [--reports 1000000] [--wards 50]
        [--runs 50] [--postgres URL] [--no-postgres] [--no-sqlite] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import os
import socket
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from benchmarks.report_queries import NOW, Timing, postgres_database, seed, timed_runs
from bot.chat.i18n import Catalogues
from bot.web.open311.routes import Open311
from storage import migrate
from storage.database import create_engine, read_only_engine, session_factory
from storage.uow import SqlUnitOfWork
from tests.support import FixedClock
from urbanbell.app import build_conversation
from urbanbell.settings import Settings

OPEN311_INDEXES = ("ix_reports_created", "ix_reports_category_created")
GOAL_MS = 100.0  # p95, warm, on PostgreSQL at 1,000,000 reports
WEEK_AGO = (NOW - timedelta(days=7)).isoformat()
QUERIES = {
    "default": {},
    "open+code": {"status": "open", "service_code": "lighting"},
    "closed/week": {"status": "closed", "start_date": WEEK_AGO},
    "page 20": {"page": "20"},
}


@contextlib.asynccontextmanager
async def serving(engine: AsyncEngine, url: str) -> AsyncIterator[str]:
    """The Open311 routes on a free port of 127.0.0.1; their base URL."""
    clock = FixedClock(NOW)
    writes = session_factory(engine)
    reads_engine = read_only_engine(engine)
    reads = functools.partial(SqlUnitOfWork, session_factory(reads_engine), clock)
    catalogues = Catalogues()
    triage = build_conversation(
        Settings.model_validate({"database_url": url}),
        lambda: SqlUnitOfWork(writes, clock),
        catalogues,
        clock,
    ).triage
    routes = Open311(reads, lambda: SqlUnitOfWork(writes, clock), clock, triage, catalogues)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            Starlette(routes=routes.routes()),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
        )
    )
    task = asyncio.create_task(server.serve())
    try:
        for _ in range(1000):  # uvicorn only offers a flag; it is up within milliseconds
            if server.started:
                break
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}/open311/v2"
    finally:
        server.should_exit = True
        await task
        if reads_engine is not engine:
            await reads_engine.dispose()


async def measure(base: str, runs: int, label: str) -> dict[str, Timing]:
    timings: dict[str, Timing] = {}
    counts: dict[str, int] = {}
    async with httpx.AsyncClient(timeout=60) as client:
        for name, params in QUERIES.items():

            async def ask(run: int, params: dict[str, str] = params, name: str = name) -> None:
                answer = await client.get(f"{base}/requests.json", params=params)
                answer.raise_for_status()
                counts[name] = len(answer.json())

            timings[name] = await timed_runs(runs, ask)
    shown = ", ".join(f"{name} {count}" for name, count in counts.items())
    print(f"  {label}: reports a request answered: {shown}")
    return timings


async def bench(label: str, url: str, options: argparse.Namespace) -> list[str]:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        started = time.perf_counter()
        await seed(engine, options)
        print(f"{label}: seeded in {time.perf_counter() - started:.1f} s (not measured)")
        async with serving(engine, url) as base:
            indexed = await measure(base, options.runs, "indexed")
            async with engine.begin() as connection:
                for index in OPEN311_INDEXES:
                    await connection.execute(text(f"DROP INDEX {index}"))
                if engine.dialect.name == "postgresql":
                    await connection.execute(text("ANALYZE reports"))
            bare = await measure(base, options.runs, "without the two indexes")
    finally:
        await engine.dispose()
    lines = []
    for query, with_ in indexed.items():
        without = bare[query]
        lines.append(
            f"{label:<11} {query:<12} {with_.p50:9.2f} {with_.p95:9.2f}   "
            f"{without.p50:9.2f} {without.p95:9.2f}   {without.p95 / with_.p95:8.1f}x"
        )
    worst = max(t.p95 for t in indexed.values())
    met = "met" if worst <= GOAL_MS else "NOT met"
    lines.append(f"{'':<11} goal p95 <= {GOAL_MS:.0f} ms (worst {worst:.1f} ms): {met}")
    return lines


async def main(options: argparse.Namespace) -> None:
    print(
        f"{options.reports:,} reports over {options.wards} wards; {options.runs} runs a "
        "request; milliseconds over HTTP"
    )
    lines = []
    if not options.no_sqlite:
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
    print(f"{'':<11} {'':<12} {'indexed':>19}   {'without the indexes':>19}   {'p95':>9}")
    print(
        f"{'database':<11} {'request':<12} {'p50':>9} {'p95':>9}   {'p50':>9} {'p95':>9}   ratio"
    )
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
    parser.add_argument("--no-sqlite", action="store_true")
    options = parser.parse_args()
    if options.runs < 50:
        parser.error("--runs must be at least 50 for a p95")
    return options


if __name__ == "__main__":
    asyncio.run(main(parse()))
