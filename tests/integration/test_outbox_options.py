"""The options a typed number answers: kept with each queued message, apart from its payload."""

from __future__ import annotations

from datetime import timedelta

from core.model import NewMessage, Option, OutboxStatus
from tests.conftest import UnitOfWorkFactory
from tests.support import FixedClock

LANGUAGES = (("Tiếng Việt", "lang:vi"), ("English", "lang:en"))


async def _queue(uow_factory: UnitOfWorkFactory, *messages: NewMessage) -> None:
    async with uow_factory() as uow:
        for message in messages:
            await uow.outbox.add(message)
        await uow.commit()


async def _offered(uow_factory: UnitOfWorkFactory, chat_id: str = "42") -> tuple[Option, ...]:
    async with uow_factory() as uow:
        return await uow.outbox.last_choices("console", chat_id)


async def test_the_options_given_to_a_message_are_those_a_number_answers(
    uow_factory: UnitOfWorkFactory,
) -> None:
    # The payload is the channels' business: the outbox never looks inside it.
    message = NewMessage("reply", "console", "42", {"text": "Which language?"}, options=LANGUAGES)
    await _queue(uow_factory, message)
    assert await _offered(uow_factory) == LANGUAGES


async def test_a_message_given_no_options_offers_those_its_payload_shows(
    uow_factory: UnitOfWorkFactory,
) -> None:
    payload = {"text": "Which language?", "choices": [list(option) for option in LANGUAGES]}
    message = NewMessage("notice", "console", "42", payload)
    assert message.options == LANGUAGES
    await _queue(uow_factory, message)
    assert await _offered(uow_factory) == LANGUAGES


async def test_options_queued_many_at_once_are_kept(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.outbox.add_new(
            [
                NewMessage("bell", "console", "42", {"text": "bell"}, key="bell:1"),
                NewMessage(
                    "bell", "console", "43", {"text": "bell"}, key="bell:2", options=LANGUAGES
                ),
            ]
        )
        await uow.commit()
    assert await _offered(uow_factory, "42") == ()
    assert await _offered(uow_factory, "43") == LANGUAGES


async def test_the_latest_message_that_offers_nothing_answers_nothing(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await _queue(
        uow_factory,
        NewMessage("reply", "console", "42", {"text": "Which?"}, options=LANGUAGES),
        NewMessage("reply", "console", "42", {"text": "Thanks"}),
    )
    assert await _offered(uow_factory) == ()


async def test_a_message_never_delivered_leaves_the_options_before_it(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await _queue(
        uow_factory,
        NewMessage("reply", "console", "42", {"text": "Which?"}, options=LANGUAGES),
        NewMessage("bell", "console", "42", {"text": "bell"}, options=(("Report", "r:1"),)),
    )
    now = clock.now()
    async with uow_factory() as uow:
        items = await uow.outbox.claim(["console"], now, timedelta(seconds=30), limit=10)
        bells = [item.id for item in items if item.kind == "bell"]
        await uow.outbox.finish(bells, OutboxStatus.SKIPPED, "expired", now)
        await uow.commit()
    assert bells
    assert await _offered(uow_factory) == LANGUAGES
