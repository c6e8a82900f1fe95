"""Updates handled per second by the whole bot, beside a bare python-telegram-bot echo bot.

Both bots poll the same fake Bot API server on 127.0.0.1 for the same updates, in the same
run, and a run is over when every update has its answer. The whole bot goes through PTB, the
dialogues, SQLite and the outbox; its sending limits are lifted so that the figure is what the
bot can handle, not what Telegram allows.

    .venv/bin/python -m benchmarks.telegram_throughput [--residents 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import tempfile
import time
import warnings
from pathlib import Path

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from tests.e2e.telegram_harness import bot_settings, running_bot
from tests.fakes.telegram import FakeTelegram

# What residents say, in turn: following an alley, looking at it, asking, typing.
MESSAGES = ("/start nk-hem-51", "/mine", "/schedule", "/help", "/subscribe hem 132", "hello")


def queue_updates(fake: FakeTelegram, residents: int) -> int:
    for message in MESSAGES:
        for resident in range(residents):
            fake.send_text(10_000 + resident, message)
    return residents * len(MESSAGES)


async def answered(fake: FakeTelegram, count: int) -> None:
    while len(fake.sent) < count:
        await fake.wait_for_calls("sendMessage", len(fake.calls_of("sendMessage")) + 1, 120)


async def whole_bot(residents: int) -> float:
    async with FakeTelegram() as fake:
        count = queue_updates(fake, residents)
        with tempfile.TemporaryDirectory() as folder:
            settings = bot_settings(
                fake,
                f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}",
                telegram_per_second=1_000_000,
                telegram_per_chat_per_second=1_000_000,
            )
            async with running_bot(settings):
                started = time.perf_counter()
                await answered(fake, count)
                return count / (time.perf_counter() - started)


async def echo_bot(residents: int) -> float:
    async with FakeTelegram() as fake:
        count = queue_updates(fake, residents)

        async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            assert update.message is not None and update.message.text is not None
            await update.message.reply_text(update.message.text)

        application = Application.builder().token(fake.token).base_url(fake.base_url).build()
        application.add_handler(MessageHandler(filters.TEXT, echo))
        async with application:
            await application.start()
            assert application.updater is not None
            started = time.perf_counter()
            await application.updater.start_polling(timeout=1)
            await answered(fake, count)
            elapsed = time.perf_counter() - started
            await application.updater.stop()
            await application.stop()
        return count / elapsed


async def main(residents: int, rounds: int) -> None:
    bot_rates, echo_rates = [], []
    for number in range(1, rounds + 1):
        # Alternate which goes first, so that neither always meets a warmer machine.
        pair = (echo_bot, whole_bot) if number % 2 else (whole_bot, echo_bot)
        for measure in pair:
            rate = await measure(residents)
            (echo_rates if measure is echo_bot else bot_rates).append(rate)
        print(f"round {number}: echo {echo_rates[-1]:7.1f}/s   urbanbell {bot_rates[-1]:7.1f}/s")
    echo, bot = statistics.median(echo_rates), statistics.median(bot_rates)
    print(f"updates per round: {residents * len(MESSAGES)} from {residents} residents")
    print(f"bare PTB echo bot (baseline): {echo:7.1f} updates/s (median of {rounds})")
    print(f"urbanbell, whole bot:         {bot:7.1f} updates/s (median of {rounds})")
    print(f"ratio: {bot / echo:.2f} (goal >= 0.5)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    warnings.simplefilter("ignore")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main(options.residents, options.rounds))
