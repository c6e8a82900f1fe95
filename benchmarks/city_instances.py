"""One pace for the bot with 1, 2 and 3 `urbanbell run` instances on one PostgreSQL database.

For each number of instances, a fresh database holds an evening of a ward: an announcement to
`--residents` residents and a bell to `--bells` of them (so those chats get two messages and the
per-chat limit matters), all due now. The instances start together, with webhooks, against the
fake Bot API on 127.0.0.1 enforcing 30 messages a second overall and one a second per chat
(429 beyond). The delivered rate is the messages delivered divided by the time from the first
delivery to the last, as the fake saw them; the figure is its ratio to the limit (goal ≥ 0.95,
and no 429), and the baseline is the same run with one instance. Then the same with
`URBANBELL_TELEGRAM_PAID_BROADCAST=true` against a fake enforcing 1,000 a second overall.

    .venv/bin/python -m benchmarks.city_instances [--instances 1 2 3] [--residents 1400]
        [--bells 600] [--paid-residents 10000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
import warnings
from dataclasses import dataclass

from telegram.error import TelegramError

from bot.channels.telegram.updates import build_bot
from storage import migrate
from storage.database import create_engine
from tests.conftest import _fresh_postgres_database
from tests.e2e.city_harness import (
    FIRST_RESIDENT,
    city_env,
    queue_evening,
    start,
    to_residents,
    wait_running,
)
from tests.fakes.telegram import FakeTelegram

PER_SECOND = 30.0
PAID_PER_SECOND = 1000.0
LEASE = 30


@dataclass(frozen=True)
class Run:
    instances: int
    limit: float
    delivered: int
    expected: int
    rate: float
    too_many_requests: int
    repeated: int

    def line(self, baseline: Run | None) -> str:
        against = f", {self.rate / baseline.rate:.3f} x one instance's" if baseline else ""
        return (
            f"  {self.instances} instance(s): {self.delivered:,} of {self.expected:,} delivered "
            f"at {self.rate:.1f}/s = {self.rate / self.limit:.3f} of the limit{against}; "
            f"429 answers {self.too_many_requests}; repeated {self.repeated}"
        )


async def one_run(server: str, instances: int, residents: int, bells: int, paid: bool) -> Run:
    limit = PAID_PER_SECOND if paid else PER_SECOND
    async with _fresh_postgres_database(server) as url, FakeTelegram() as fake:
        engine = create_engine(url)
        try:
            await migrate.upgrade(engine)
            wanted = await queue_evening(engine, bells, residents)
            expected = wanted.total()
        finally:
            await engine.dispose()
        fake.limit(per_second=limit, per_chat_per_second=1)
        base = {k: v for k, v in os.environ.items() if not k.startswith("URBANBELL_")}
        base.update(
            URBANBELL_TELEGRAM_TOKEN=fake.token,
            URBANBELL_TELEGRAM_API_URL=fake.base_url,
            URBANBELL_TELEGRAM_PAID_BROADCAST=str(paid).lower(),
        )
        started = await asyncio.gather(
            *(start(city_env(base, url, LEASE)) for _ in range(instances))
        )
        try:
            await asyncio.gather(*(wait_running(i) for i in started))
            deadline = time.monotonic() + expected / limit * 4 + 120
            # Looked at four times a second rather than at every send: at 1,000 a second the
            # count itself would take the fake's time.
            while len(residents_reached(fake)) < expected and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.25)
        finally:
            for instance in started:
                await instance.stop()
        sent = residents_reached(fake)
        span = sent[-1] - sent[0] if len(sent) > 1 else float("nan")
        got = to_residents(fake)
        return Run(
            instances=instances,
            limit=limit,
            delivered=len(sent),
            expected=expected,
            rate=len(sent) / span,
            too_many_requests=fake.too_many_requests,
            repeated=sum(max(0, got[chat] - wanted[chat]) for chat in got),
        )


async def machine_ceiling(messages: int, concurrency: int = 64) -> float:
    """The baseline for paid broadcast: how fast python-telegram-bot alone, with no database
    and no pace, gets messages through the fake on this machine (1,000 a second allowed)."""
    async with FakeTelegram() as fake:
        fake.limit(per_second=PAID_PER_SECOND, per_chat_per_second=1)
        bot = build_bot(fake.token, fake.base_url)
        await bot.initialize()
        gate = asyncio.Semaphore(concurrency)

        async def send(chat: int) -> None:
            async with gate:
                with contextlib.suppress(TelegramError):
                    await bot.send_message(chat, "Chủ nhật này tổng vệ sinh toàn phường.")

        try:
            await asyncio.gather(*(send(FIRST_RESIDENT + n) for n in range(messages)))
        finally:
            await bot.shutdown()
        sent = sorted(m.at for m in fake.sent)
        return len(sent) / (sent[-1] - sent[0])


def residents_reached(fake: FakeTelegram) -> list[float]:
    """When each message to a resident arrived (the officer's notices are not counted)."""
    return sorted(m.at for m in fake.sent if m.chat_id >= FIRST_RESIDENT)


async def main(options: argparse.Namespace) -> None:
    server = options.postgres
    for paid, residents, bells in (
        (False, options.residents, options.bells),
        (True, options.paid_residents, 0),
    ):
        limit = PAID_PER_SECOND if paid else PER_SECOND
        print(
            f"{'paid broadcast' if paid else 'free'}: limit {limit:g}/s overall, 1/s per chat; "
            f"{residents + bells:,} messages ({residents:,} announced, {bells:,} bells)"
        )
        ceiling = PAID_PER_SECOND
        if paid:
            ceiling = await machine_ceiling(residents)
            print(
                f"  baseline: python-telegram-bot alone, unpaced, reaches {ceiling:.0f}/s "
                f"= {ceiling / limit:.3f} of the limit on this machine"
            )
        baseline: Run | None = None
        for instances in options.instances:
            run = await one_run(server, instances, residents, bells, paid)
            print(run.line(baseline), flush=True)
            if paid:
                print(f"    {run.rate / ceiling:.3f} of the baseline python-telegram-bot alone")
            baseline = baseline or run


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--residents", type=int, default=1_400)
    parser.add_argument("--bells", type=int, default=600)
    parser.add_argument("--paid-residents", type=int, default=10_000)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "URBANBELL_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
        ),
    )
    options = parser.parse_args()
    warnings.simplefilter("ignore")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main(options))
    sys.exit(0)
