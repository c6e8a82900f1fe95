"""What the bot keeps and for how long: ended outbox messages for a month (a setting), the
dialogue state of a resident unseen for a year.

Nothing the figures count is in either: /stats and /indicators read reports, their events and
volunteering, which are kept.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.ports import UnitOfWork, UnitOfWorkFactory

KEEP_OUTBOX = timedelta(days=30)
KEEP_DIALOGUES = timedelta(days=365)
BATCH = 1_000  # rows a transaction: no writer waits long behind a purge


@dataclass(frozen=True)
class Retention:
    outbox: timedelta = KEEP_OUTBOX  # sent, failed, skipped (expired) and uncertain messages
    dialogues: timedelta = KEEP_DIALOGUES  # counted from the resident's last message
    batch: int = BATCH


@dataclass(frozen=True)
class Purged:
    messages: int
    dialogues: int


async def purge(uow_factory: UnitOfWorkFactory, now: datetime, retention: Retention) -> Purged:
    """Delete what is kept no longer, a batch a transaction; say how much went."""
    messages = await _in_batches(
        uow_factory,
        lambda uow: uow.outbox.purge_ended(now - retention.outbox, retention.batch),
        retention.batch,
    )
    dialogues = await _in_batches(
        uow_factory,
        lambda uow: uow.dialogues.forget_unseen(now - retention.dialogues, retention.batch),
        retention.batch,
    )
    return Purged(messages, dialogues)


async def _in_batches(
    uow_factory: UnitOfWorkFactory, step: Callable[[UnitOfWork], Awaitable[int]], batch: int
) -> int:
    total = 0
    while True:
        async with uow_factory() as uow:
            done = await step(uow)
            await uow.commit()
        total += done
        if done < batch:
            return total
