"""Time and peak memory for the planner to plan a day of a city's bells on SQLite, beside the
pure planning of the same bells in memory.

A temporary SQLite file, migrated to head, gets 2,000 alleys in a few wards (each collected
daily at a 5-minute mark between 17:00 and 19:00) and 100,000 residents each subscribed to one
alley, by bulk inserts. With the clock at 06:00 in Asia/Ho_Chi_Minh, so that the whole day's
collections lie ahead, `Planner.run()` plans them: it reads followers and schedules through the
unit of work, plans, and puts 100,000 bells in the outbox. The baseline is the pure part alone
(`reminders_between`, `plan` per channel and `crowded`, as `Planner.run` calls them) on the
same followers and schedules already in memory: the difference is what the database adds. A
second run of the planner, which finds everything planned, is timed too (the scheduler runs it
every two minutes, holding SQLite's write lock throughout).

Time is wall time without tracemalloc. Memory is measured on separate runs over an identical
copy of the database: the peak of Python allocations under tracemalloc (SQLite's own C memory
is not traced), and, for the planner's first run, the growth of the process's peak resident
set size (`ru_maxrss`) over its resident size before the run; the database is seeded in a
child process so that this peak is the planner's.

With `--rules mixed` the alleys take the rules beyond weekly in turn, each falling on the day
measured: daily (general waste), daily in a one-hour window (recyclables), every two weeks from
that day, and that weekday's week of the month (bulky waste); the wards ring their evening bells
at 19:00, 19:15, 19:30, 19:45 and 20:00; of the subscriptions one in five hears both bells and
one in ten only the evening one, so that tomorrow's evening bells are planned too.

    .venv/bin/python -m benchmarks.planner_cost [--subscribers 100000] [--alleys 2000]
        [--wards 5] [--spread 20] [--seed 1] [--rules weekly|mixed] [--no-tracemalloc]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import multiprocessing
import resource
import shutil
import tempfile
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from benchmarks.city import ZONE, City, add_city_options, alley_code, chat_id, make_city, ward_code
from bot.chat.i18n import Catalogues
from bot.features.bell.wording import BellWording
from core.holidays import VietnamHolidays
from core.model import AlleySchedule
from core.reminders import Follower, Reminder, crowded, plan, reminders_between
from scheduler.planner import Planner
from storage import migrate
from storage.database import create_engine, session_factory, write_lock_for
from storage.models import (
    AlleyRow,
    CollectionRuleRow,
    ResidentRow,
    SubscriptionRow,
    WardRow,
)
from storage.uow import SqlUnitOfWork
from tests.support import FixedClock

CHANNEL = "telegram"
RATES = {CHANNEL: 30.0}
EVERY_DAY_MASK = 0b1111111  # bit 0 is Monday
CHUNK = 10_000
MB = 1024 * 1024

T = TypeVar("T")


def url_of(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def rule_row(n: int, at: dtime, day: date, mixed: bool) -> dict[str, Any]:
    """Alley `n`'s rule: daily, or with `mixed` one of four kinds of rule, each due on `day`."""
    # Every row names every column: a bulk insert takes the columns of its first row.
    row: dict[str, Any] = {
        "alley_id": n + 1,
        "weekdays": EVERY_DAY_MASK,
        "at": at,
        "until": None,
        "every_weeks": 1,
        "starting": None,
        "of_month": None,
        "kinds": "",
    }
    if not mixed:
        return row
    weekday = 1 << day.weekday()
    match n % 4:
        case 0:
            row["kinds"] = "general"
        case 1:
            row["until"] = dtime(at.hour + 1, at.minute)
            row["kinds"] = "recyclable"
        case 2:
            row.update(weekdays=weekday, every_weeks=2, starting=day)
        case _:
            row.update(weekdays=weekday, of_month=(day.day - 1) // 7 + 1, kinds="bulky")
    return row


def bells_of(subscriber: int, mixed: bool) -> str:
    if not mixed or subscriber % 10 > 2:
        return "before"
    return "evening" if subscriber % 10 == 2 else "both"


def rows_of(
    city: City, lead_minutes: int, day: date, mixed: bool
) -> dict[Any, list[dict[str, Any]]]:
    stamp = datetime(2026, 11, 1, tzinfo=UTC)
    return {
        WardRow: [
            {
                "id": n + 1,
                "code": ward_code(n),
                "name": f"Phường {n + 1}",
                "timezone": ZONE,
                "holiday_policy": "skip",
                # Each ward its own evening time, 19:00..20:00 a quarter apart.
                "evening_at": dtime(19 + n % 5 // 4, 15 * (n % 5) % 60) if mixed else None,
            }
            for n in range(city.wards)
        ],
        AlleyRow: [
            {
                "id": n + 1,
                "ward_id": city.alley_ward[n] + 1,
                "code": alley_code(n),
                "name": f"Hẻm {n + 1}",
                "search_name": f"hem {n + 1} {alley_code(n)}",
            }
            for n in range(city.alleys)
        ],
        CollectionRuleRow: [rule_row(n, at, day, mixed) for n, at in enumerate(city.alley_time)],
        ResidentRow: [
            {
                "id": s + 1,
                "channel": CHANNEL,
                "external_id": chat_id(s),
                "language": "vi" if s % 4 else "en",
                "active": True,
                "muted_announcements": False,
                "created_at": stamp,
                "last_seen_at": stamp,
            }
            for s in range(city.subscribers)
        ],
        SubscriptionRow: [
            {
                "id": s + 1,
                "resident_id": s + 1,
                "alley_id": alley + 1,
                "lead_minutes": lead_minutes,
                "created_at": stamp,
                "bells": bells_of(s, mixed),
            }
            for s, alley in enumerate(city.follows)
        ],
    }


async def seed(path: Path, city: City, lead_minutes: int, day: date, mixed: bool) -> None:
    engine = create_engine(url_of(path))
    try:
        await migrate.upgrade(engine)
        async with engine.begin() as connection:
            for table, rows in rows_of(city, lead_minutes, day, mixed).items():
                for start in range(0, len(rows), CHUNK):
                    await connection.execute(insert(table), rows[start : start + CHUNK])
    finally:
        await engine.dispose()  # the last connection to close folds the WAL into the file


def seed_in_child(path: Path, options: argparse.Namespace) -> None:
    city = make_city(
        options.subscribers, options.alleys, options.wards, options.spread, options.seed
    )
    asyncio.run(seed(path, city, options.lead, options.day, options.rules == "mixed"))


class Database:
    """A planner and a unit of work over one SQLite file, as the bot builds them."""

    def __init__(self, path: Path, now: datetime) -> None:
        self.engine = create_engine(url_of(path))
        self.sessions = session_factory(self.engine)
        self.lock = write_lock_for(self.engine)
        self.clock = FixedClock(now)
        wording = BellWording(Catalogues(), "vi")
        self.planner = Planner(self.uow_factory, self.clock, VietnamHolidays(), wording, RATES)

    def uow_factory(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions, self.clock, self.lock)

    async def city(self) -> tuple[dict[int, AlleySchedule], list[Follower]]:
        async with self.uow_factory() as uow:
            followers = await uow.subscriptions.followers()
            schedules = await uow.alleys.schedules({f.alley_id for f in followers})
        return schedules, followers

    async def bells(self) -> int:
        async with self.uow_factory() as uow:
            return len(await uow.outbox.keys_since("bell", self.clock.now()))


def pure(
    schedules: dict[int, AlleySchedule], followers: list[Follower], now: datetime
) -> tuple[int, int]:
    """What `Planner.run` computes without the database: the bells, timed, and the crowding."""
    reminders = reminders_between(
        schedules, followers, now, now + timedelta(hours=24), VietnamHolidays()
    )
    by_channel: defaultdict[str, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        by_channel[reminder.follower.channel].append(reminder)
    timed = []
    for channel, group in by_channel.items():
        timed += plan(group, RATES.get(channel, 1.0), now)
    return len(timed), len(crowded(timed))


async def timed(work: Callable[[], Awaitable[T]]) -> tuple[T, float]:
    gc.collect()
    started = time.perf_counter()
    result = await work()
    return result, time.perf_counter() - started


async def traced(work: Callable[[], Awaitable[T]]) -> tuple[T, float]:
    """The work's result and the peak of Python allocations during it, in bytes."""
    gc.collect()
    tracemalloc.start()
    try:
        result = await work()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def resident_now() -> int:
    """The process's resident set size now, in bytes (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def peak_resident() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


async def measure(folder: Path, options: argparse.Namespace) -> None:
    zone = ZoneInfo(ZONE)
    now = datetime.combine(options.day, dtime(6, 0), zone)
    first, copy = folder / "planner.db", folder / "traced.db"
    shutil.copyfile(first, copy)

    # The planner's first run: wall time and resident memory.
    database = Database(first, now)
    gc.collect()
    before, peak_before = resident_now(), peak_resident()
    report, seconds = await timed(database.planner.run)
    peak_after = peak_resident()
    again, seconds_again = await timed(database.planner.run)
    bells = await database.bells()
    schedules, followers = await database.city()
    await database.engine.dispose()

    # The pure part, on the same followers and schedules, already in memory.
    async def pure_part() -> tuple[int, int]:
        return pure(schedules, followers, now)

    (count, slots), pure_seconds = await timed(pure_part)
    (count_traced, _), pure_peak = await traced(pure_part)

    # The planner again, on an identical copy, under tracemalloc (slow: it traces every
    # allocation).
    planner_peak: float | None = None
    if options.tracemalloc:
        traced_database = Database(copy, now)
        traced_report, planner_peak = await traced(traced_database.planner.run)
        await traced_database.engine.dispose()
        assert traced_report.planned == report.planned

    assert count == count_traced == report.planned == bells
    print(
        f"city: {options.subscribers:,} subscriptions on {options.alleys:,} alleys in "
        f"{options.wards} wards, {options.rules} rules, SQLite, "
        f"clock {now:%Y-%m-%d %H:%M} {ZONE}"
    )
    print(f"bells planned: {report.planned:,} (late {report.late}, crowded slots {slots})")
    print(
        f"pure planning in memory (baseline): {pure_seconds:6.2f} s, "
        f"peak Python allocations {pure_peak / MB:6.1f} MB"
    )
    traced_figure = "not measured" if planner_peak is None else f"{planner_peak / MB:6.1f} MB"
    print(
        f"Planner.run(), first run:           {seconds:6.2f} s, "
        f"peak Python allocations {traced_figure}"
    )
    rss_growth = max(0, peak_after - before)
    print(
        f"  resident set: {before / MB:.0f} MB before the run, peak {peak_after / MB:.0f} MB "
        f"(+{rss_growth / MB:.0f} MB){'' if peak_after > peak_before else ' (peak set earlier)'}"
    )
    memory_ratio = (
        "" if planner_peak is None else f", {planner_peak / pure_peak:.1f}x Python memory"
    )
    print(f"ratio planner / pure: {seconds / pure_seconds:.1f}x time{memory_ratio}")
    memory = max(planner_peak or 0, rss_growth)
    verdict = "met" if seconds < 10 and memory < 200 * MB else "MISSED"
    print(
        f"goal: under 10 s and 200 MB -> {seconds:.2f} s, {memory / MB:.0f} MB "
        f"(the larger of Python peak and resident growth): {verdict}"
    )
    print(
        f"Planner.run(), second run:          {seconds_again:6.2f} s, "
        f"planned {again.planned} (everything was planned already)"
    )


def main(options: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        started = time.perf_counter()
        child = multiprocessing.get_context("spawn").Process(
            target=seed_in_child, args=(folder / "planner.db", options)
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit("seeding the database failed")
        print(f"seeded in {time.perf_counter() - started:.1f} s (not measured)")
        asyncio.run(measure(folder, options))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_city_options(parser)
    parser.add_argument(
        "--rules",
        choices=("weekly", "mixed"),
        default="weekly",
        help="every alley daily, or a mix of windows, every two weeks, monthly, evening bells",
    )
    parser.add_argument(
        "--no-tracemalloc",
        dest="tracemalloc",
        action="store_false",
        help="skip the planner run under tracemalloc (the slowest part)",
    )
    main(parser.parse_args())
