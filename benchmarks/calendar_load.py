"""A resident's `/mine` round trip while one client fetches a calendar feed 50 times a second,
beside the same round trip with the web server idle.

The whole bot runs as `urbanbell run` does (python-telegram-bot polling a fake Bot API on
127.0.0.1, SQLite, the web server on 127.0.0.1); the fetching client is a process of its own,
sending plain GETs (no If-None-Match) on a fixed beat whether or not answers keep up. Measured
three ways: idle, loaded with the feed's per-client limit as set by default, and loaded with the
limit lifted (the cache and the read-only path alone).

    .venv/bin/python -m benchmarks.calendar_load [--rounds 60] [--rate 50]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import signal
import socket
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import httpx

from tests.e2e.telegram_harness import bot_settings, running_bot
from tests.fakes.telegram import FakeTelegram

LAN = 1001
FEED = "/calendar/nk-hem-51.ics"
UNLIMITED = 1_000_000
GIVE_UP = 30.0  # seconds: a resident has long given up
ROOT = Path(__file__).resolve().parents[1]  # where `-m benchmarks...` runs


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def round_trips(fake: FakeTelegram, rounds: int) -> list[float]:
    """Milliseconds from `/mine` reaching the Bot API to its answer, `rounds` times, or until
    one takes longer than GIVE_UP (counted as GIVE_UP)."""
    times = []
    for _ in range(rounds):
        before = len(fake.messages_to(LAN))
        started = time.perf_counter()
        fake.send_text(LAN, "/mine")
        try:
            await fake.wait_for_messages(LAN, before + 1, GIVE_UP)
        except AssertionError:
            times.append(GIVE_UP * 1000)
            break
        times.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.05)
    return times


async def fetch_feed(url: str, rate: float) -> None:
    """The loading client: a GET every 1/rate seconds until SIGTERM; prints the answers'
    statuses (those still unanswered then as "unanswered")."""
    statuses: collections.Counter[str] = collections.Counter()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    limits = httpx.Limits(max_connections=200)
    async with httpx.AsyncClient(limits=limits, timeout=GIVE_UP) as client:

        async def fetch() -> None:
            try:
                statuses[str((await client.get(url)).status_code)] += 1
            except httpx.HTTPError as error:
                statuses[type(error).__name__] += 1

        tasks = []
        started = time.perf_counter()
        beat = 0
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                wait = max(0.0, started + beat / rate - time.perf_counter())
                await asyncio.wait_for(stop.wait(), wait)
            tasks.append(asyncio.create_task(fetch()))
            beat += 1
        unanswered = [task for task in tasks if not task.done()]
        for task in unanswered:
            task.cancel()
        statuses["unanswered"] = len(unanswered)
    print(json.dumps(dict(statuses)))


async def measure(rounds: int, rate: float, per_minute: int | None) -> tuple[list[float], str]:
    """`/mine`'s round trips, under a feed client at `rate` when `per_minute` is given."""
    port = free_port()
    async with FakeTelegram() as fake:
        with tempfile.TemporaryDirectory() as folder:
            settings = bot_settings(
                fake,
                f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}",
                http_port=port,
                telegram_per_chat_per_second=1000,
                calendar_per_minute=per_minute or 30,
            )
            async with running_bot(settings):
                fake.send_text(LAN, "/start nk-hem-51")
                await fake.wait_for_messages(LAN, 1, 30)
                await round_trips(fake, 5)  # warm up
                if per_minute is None:
                    return await round_trips(fake, rounds), "idle"
                loader = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "benchmarks.calendar_load",
                    "--load",
                    f"http://127.0.0.1:{port}{FEED}",
                    "--rate",
                    str(rate),
                    stdout=asyncio.subprocess.PIPE,
                    cwd=ROOT,
                )
                await asyncio.sleep(2)  # let the load settle
                times = await round_trips(fake, rounds)
                loader.terminate()
                out, _ = await loader.communicate()
                return times, out.decode().strip()


def summary(name: str, times: list[float]) -> tuple[float, float]:
    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    print(f"{name:<38} median {median:7.1f} ms   p95 {p95:7.1f} ms   ({len(times)} measured)")
    return median, p95


async def main(rounds: int, rate: float) -> None:
    idle, _ = await measure(rounds, rate, None)
    limited, limited_answers = await measure(rounds, rate, 30)
    unlimited, unlimited_answers = await measure(rounds, rate, UNLIMITED)
    print(f"/mine round trips: {rounds} each; feed client: {rate:g} GETs/s")
    base, _ = summary("idle (baseline)", idle)
    for name, times, answers in (
        ("feed at 50/s, limit 30/min per client", limited, limited_answers),
        ("feed at 50/s, no limit", unlimited, unlimited_answers),
    ):
        median, _ = summary(name, times)
        print(f"{'':<38} ratio to idle {median / base:5.2f} (goal <= 2)   answers {answers}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--load", help=argparse.SUPPRESS)
    options = parser.parse_args()
    warnings.simplefilter("ignore")
    with contextlib.suppress(KeyboardInterrupt):
        if options.load:
            asyncio.run(fetch_feed(options.load, options.rate))
        else:
            asyncio.run(main(options.rounds, options.rate))
