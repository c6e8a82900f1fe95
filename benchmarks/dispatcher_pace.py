"""The dispatcher's delivered rate against Telegram's limit, beside a sender that ignores it.

The fake Bot API server on 127.0.0.1 enforces 30 messages a second overall and one a second
per chat, answering 429 beyond them, as Telegram does. 3,000 bells wait in the outbox of a
temporary SQLite file, to chats of which about 10 % get two or three (so the per-chat limit
matters), in a seeded random order, all due now. The real `Dispatcher`, with a
`TelegramMessenger` over a python-telegram-bot `Bot` and `Pace(30, 1, 20)` as `urbanbell run`
builds them, on the system clock, drains the outbox (`send_due()` again and again). The
delivered rate is the messages delivered divided by the time from the first delivery to the
last, as the fake server saw them; the goal is 0.95 of the limit and no 429 provoked. The
baseline, in the same run against a fresh fake with the same limits, sends the same messages
as fast as PTB can (`asyncio.gather` under a semaphore) and is answered what it is answered.

    .venv/bin/python -m benchmarks.dispatcher_pace [--messages 3000] [--repeat-share 0.1]
        [--concurrency 64] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

from sqlalchemy import func, select
from telegram import Bot
from telegram.error import RetryAfter, TelegramError

from bot.channels.telegram.adapter import CHANNEL
from bot.channels.telegram.messenger import TelegramMessenger
from bot.channels.telegram.updates import build_bot
from bot.chat.replies import Reply
from core.clock import SystemClock
from core.model import NewMessage
from scheduler.dispatcher import Dispatcher, DispatchPolicy, Route
from scheduler.pacing import Pace, Pacer
from storage import migrate
from storage.database import create_engine, session_factory, write_lock_for
from storage.models import OutboxRow
from storage.uow import SqlUnitOfWork
from tests.fakes.telegram import SENDING_METHODS, FakeTelegram

PER_SECOND = 30.0
PER_CHAT_PER_SECOND = 1.0
PER_GROUP_PER_MINUTE = 20.0
FIRST_CHAT = 500_000_000


@dataclass(frozen=True)
class Bell:
    chat_id: int
    text: str


def bells(count: int, repeat_share: float, seed: int) -> tuple[list[Bell], int]:
    """`count` bells in a random order; a `repeat_share` of the chats get two or three."""
    rng = random.Random(seed)
    chats: list[int] = []
    chat = FIRST_CHAT
    while len(chats) < count:
        chats += [chat] * (rng.choice((2, 3)) if rng.random() < repeat_share else 1)
        chat += 1
    chats = chats[:count]
    rng.shuffle(chats)
    found = [
        Bell(
            c,
            f"🔔 Xe rác đến Hẻm {c % 2000 + 1} lúc 18:00, sau 15 phút nữa. "
            f"Mời bà con mang rác ra ngay. (#{number})",
        )
        for number, c in enumerate(chats)
    ]
    return found, len(set(chats))


def new_bot(fake: FakeTelegram) -> Bot:
    """The bot as `urbanbell run` builds it, against the fake."""
    return build_bot(fake.token, fake.base_url)


@dataclass(frozen=True)
class Delivered:
    count: int
    rate: float  # messages / (last delivery - first delivery)
    too_many_requests: int
    chat_limited: int  # of those, the ones to a chat served less than a second before
    elapsed: float  # from the start of sending to the end
    lost: float  # the span beyond what the limit needs, (count - 1) / limit
    pauses: int  # gaps between deliveries longer than two sending slots
    paused: float  # time they lost beyond one slot each
    chat_pauses: int  # of those, the ones that end in a chat's second message within 1.1 s
    chat_paused: float
    longest_pause: float


def delivered(fake: FakeTelegram, elapsed: float) -> Delivered:
    sent = sorted(fake.sent, key=lambda s: s.at)
    slot = 1 / PER_SECOND
    span = sent[-1].at - sent[0].at if len(sent) > 1 else float("nan")
    pauses: list[float] = []
    chat_pauses: list[float] = []
    last_in_chat: dict[int, float] = {}
    for before, after in pairwise(sent):
        last_in_chat[before.chat_id] = before.at
        gap = after.at - before.at
        if gap > 2 * slot:
            pauses.append(gap - slot)
            previous = last_in_chat.get(after.chat_id)
            if previous is not None and after.at - previous < 1.1 / PER_CHAT_PER_SECOND:
                chat_pauses.append(gap - slot)
    refused = [c for c in fake.calls if c.method in SENDING_METHODS and c.status == 429]
    chat_limited = sum(
        1
        for call in refused
        if any(
            0 <= call.at - s.at < 1 / PER_CHAT_PER_SECOND
            for s in sent
            if s.chat_id == call.params.get("chat_id")
        )
    )
    return Delivered(
        count=len(sent),
        rate=len(sent) / span,
        too_many_requests=fake.too_many_requests,
        chat_limited=chat_limited,
        elapsed=elapsed,
        lost=span - (len(sent) - 1) * slot,
        pauses=len(pauses),
        paused=sum(pauses),
        chat_pauses=len(chat_pauses),
        chat_paused=sum(chat_pauses),
        longest_pause=max(pauses, default=0.0) + slot,
    )


async def outbox_statuses(uow: SqlUnitOfWork) -> Counter[str]:
    rows = await uow.session.execute(
        select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
    )
    return Counter({status: count for status, count in rows.tuples()})


async def dispatcher_run(messages: Sequence[Bell], batch: int) -> tuple[Delivered, Counter[str]]:
    """The real dispatcher drains an outbox of `messages`, on the system clock."""
    clock = SystemClock()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(folder) / 'pace.db'}")
        try:
            await migrate.upgrade(engine)
            sessions = session_factory(engine)
            lock = write_lock_for(engine)

            def uow_factory() -> SqlUnitOfWork:
                return SqlUnitOfWork(sessions, clock, lock)

            now = clock.now()
            async with uow_factory() as uow:
                await uow.outbox.add_new(
                    [
                        NewMessage(
                            "bell",
                            CHANNEL,
                            str(bell.chat_id),
                            Reply(bell.text).to_payload(),
                            key=f"bench:{number}",
                            not_before=now,
                            deadline=now + timedelta(minutes=10),
                            expires_at=now + timedelta(hours=1),
                        )
                        for number, bell in enumerate(messages)
                    ]
                )
                await uow.commit()

            async with FakeTelegram() as fake:
                fake.limit(per_second=PER_SECOND, per_chat_per_second=PER_CHAT_PER_SECOND)
                bot = new_bot(fake)
                await bot.initialize()
                try:
                    pace = Pace(PER_SECOND, PER_CHAT_PER_SECOND, PER_GROUP_PER_MINUTE)
                    route = Route(TelegramMessenger(bot), Pacer(pace))
                    dispatcher = Dispatcher(
                        uow_factory, {CHANNEL: route}, clock, DispatchPolicy(batch=batch)
                    )
                    started = time.perf_counter()
                    while True:
                        if await dispatcher.send_due():
                            continue
                        async with uow_factory() as uow:
                            statuses = await outbox_statuses(uow)
                        if not statuses["pending"] + statuses["sending"]:
                            break
                        await asyncio.sleep(0.05)  # postponed ones wait for their time
                    elapsed = time.perf_counter() - started
                finally:
                    await bot.shutdown()
                return delivered(fake, elapsed), statuses
        finally:
            await engine.dispose()


async def naive_run(messages: Sequence[Bell], concurrency: int) -> tuple[Delivered, int]:
    """Every message sent once, as fast as PTB goes; how many went through at the first try."""
    async with FakeTelegram() as fake:
        fake.limit(per_second=PER_SECOND, per_chat_per_second=PER_CHAT_PER_SECOND)
        bot = new_bot(fake)
        await bot.initialize()
        gate = asyncio.Semaphore(concurrency)

        async def send(bell: Bell) -> bool:
            async with gate:
                try:
                    await bot.send_message(bell.chat_id, bell.text)
                except (RetryAfter, TelegramError):
                    return False
                return True

        try:
            started = time.perf_counter()
            answers = await asyncio.gather(*(send(bell) for bell in messages))
            elapsed = time.perf_counter() - started
        finally:
            await bot.shutdown()
        return delivered(fake, elapsed), sum(answers)


async def main(options: argparse.Namespace) -> None:
    messages, chats = bells(options.messages, options.repeat_share, options.seed)
    per_chat = Counter(Counter(b.chat_id for b in messages).values())
    # As `urbanbell run` sets it: about a second of sending per batch.
    batch = max(1, min(200, int(PER_SECOND)))

    naive, first_try = await naive_run(messages, options.concurrency)
    paced, statuses = await dispatcher_run(messages, batch)

    print(
        f"{len(messages):,} bells to {chats:,} chats "
        f"({', '.join(f'{n:,} chats get {k}' for k, n in sorted(per_chat.items()))}); "
        f"limits {PER_SECOND:g}/s overall, {PER_CHAT_PER_SECOND:g}/s per chat"
    )
    print(
        f"naive PTB sender (baseline, {options.concurrency} at once): "
        f"{naive.too_many_requests:,} answered 429, delivered on the first try "
        f"{first_try:,} = {100 * first_try / len(messages):.1f} %, in {naive.elapsed:.1f} s"
    )
    print(
        f"urbanbell dispatcher (Pace(30, 1, 20), batches of {batch}): delivered "
        f"{paced.count:,} in {paced.elapsed:.1f} s; outbox {dict(sorted(statuses.items()))}"
    )
    print(f"  delivered rate {paced.rate:.2f}/s (first to last delivery)")
    print(
        f"  {paced.lost:.1f} s beyond what the limit needs: {paced.pauses} pauses longer than two "
        f"slots lost {paced.paused:.1f} s (the longest {paced.longest_pause * 1000:.0f} ms),"
    )
    print(
        f"  {paced.chat_pauses} of them ({paced.chat_paused:.1f} s) ending in a message to a chat "
        f"served less than 1.1 s before; {paced.lost - paced.paused:.1f} s in shorter delays"
    )
    print(f"ratio to the limit: {paced.rate / PER_SECOND:.3f} (goal >= 0.95)")
    print(
        f"429 answers provoked: {paced.too_many_requests} (goal 0); {paced.chat_limited} of them "
        f"to a chat served less than 1 s before, the others over the overall limit"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3_000)
    parser.add_argument("--repeat-share", type=float, default=0.10)
    parser.add_argument("--concurrency", type=int, default=64, help="the naive sender's")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    warnings.simplefilter("ignore")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main(options))
