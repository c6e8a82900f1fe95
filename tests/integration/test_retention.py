"""A year of data is cleaned: the nightly job of `urbanbell run` deletes ended outbox messages
past their keeping and the dialogue states of residents unseen for a year, in batches, and the
figures come out the same."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from core import retention
from core.indicators import figures_for_wards, resident_indicators
from core.model import NewMessage, OutboxStatus
from core.retention import Retention
from storage.models import DialogueStateRow, OutboxRow, ResidentRow
from storage.uow import SqlUnitOfWork
from tests.e2e.telegram_harness import seed_demo
from tests.integration.conftest import Person
from tests.support import FixedClock
from urbanbell.app import App, open_app
from urbanbell.settings import Settings

DAY = timedelta(days=1)


async def queue(
    app: App, key: str, due: datetime, status: OutboxStatus, announcement: int | None = None
) -> None:
    async with app.uow() as uow:
        message = NewMessage(
            "notice" if announcement is None else "broadcast",
            "console",
            "9",
            {"text": key},
            key=key,
            not_before=due,
            announcement_id=announcement,
        )
        item = await uow.outbox.add(message)
        assert item is not None
        if status is not OutboxStatus.PENDING:
            await uow.outbox.finish([item], status, "", due)
        await uow.commit()


async def announcement(app: App, finished: datetime | None) -> int:
    async with app.uow() as uow:
        ward = (await uow.wards.all())[0]
        made = await uow.announcements.add(ward.id, None, "Phun thuốc", 1, ("console", "9"), "vi")
        if finished is not None:
            await uow.announcements.mark(made.id, finished_at=finished)
        await uow.commit()
        return made.id


async def kept(app: App) -> tuple[set[str], set[str]]:
    """The outbox's keys, and the residents (external ids) whose dialogue state is kept."""
    async with app.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        keys = set(await uow.session.scalars(select(OutboxRow.key)))
        talking = await uow.session.scalars(
            select(ResidentRow.external_id).join(
                DialogueStateRow, DialogueStateRow.resident_id == ResidentRow.id
            )
        )
        return {k for k in keys if k is not None}, set(talking)


async def figures(app: App, now: datetime) -> tuple[object, ...]:
    """What /stats shows for the year, ward by ward."""
    async with app.uow() as uow:
        return tuple(await figures_for_wards(uow, await uow.wards.all(), "2026", now))


async def indicators(app: App, now: datetime) -> tuple[object, ...]:
    """What /indicators shows each resident."""
    async with app.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        residents = list(await uow.session.scalars(select(ResidentRow.id)))
        return tuple([await resident_indicators(uow, r, now) for r in residents])


@pytest.mark.parametrize("batch", [None, 2], ids=["nightly job", "batches of 2"])
async def test_ended_messages_past_a_month_and_dialogues_unseen_for_a_year_are_deleted(
    db_url: str, clock: FixedClock, batch: int | None
) -> None:
    settings = Settings.model_validate({"database_url": db_url, "keep_outbox_days": 30})
    async with open_app(settings, clock) as app:
        await seed_demo(app)
        now = clock.now()
        # Residents who follow an alley and file a report, 400 and 100 days ago, and stop
        # half-way through another report.
        for external_id, days in (("gone", 400), ("quiet", 100)):
            clock.move(-days * DAY)
            person = Person(app.conversation, external_id)
            await person.says("/start nk-hem-51")
            await person.says("/report lighting the lamp at number 12 is out")
            await person.says("/report")
            clock.move(days * DAY)
        async with app.uow() as uow:
            assert isinstance(uow, SqlUnitOfWork)
            # Everything the conversations queued has long been sent.
            ids = list(await uow.session.scalars(select(OutboxRow.id)))
            await uow.outbox.finish(ids, OutboxStatus.SENT, "", now - 90 * DAY)
            await uow.commit()
        done = await announcement(app, finished=now - 39 * DAY)
        going = await announcement(app, finished=None)
        for key, days, status, of in (
            ("sent-40", 40, OutboxStatus.SENT, None),
            ("failed-40", 40, OutboxStatus.FAILED, None),
            ("expired-40", 40, OutboxStatus.SKIPPED, None),
            ("uncertain-40", 40, OutboxStatus.UNCERTAIN, None),
            ("sent-10", 10, OutboxStatus.SENT, None),
            ("pending-40", 40, OutboxStatus.PENDING, None),
            ("finished-announcement-40", 40, OutboxStatus.SENT, done),
            ("unfinished-announcement-40", 40, OutboxStatus.SENT, going),
        ):
            await queue(app, key, now - days * DAY, status, of)
        stats_before = await figures(app, now)
        indicators_before = await indicators(app, now)

        if batch is None:
            job = app.scheduler().get_job("purge-old-data")
            assert job is not None
            await job.func()
        else:
            purged = await retention.purge(app.uow, now, Retention(batch=batch))
            assert purged.dialogues == 1
        keys, talking = await kept(app)
        stats_after = await figures(app, now)
        indicators_after = await indicators(app, now)

    assert keys == {"sent-10", "pending-40", "unfinished-announcement-40"}
    assert talking == {"quiet"}
    assert stats_after == stats_before
    assert indicators_after == indicators_before
