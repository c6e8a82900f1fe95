"""/deleteme end to end on both dialects: nothing personal is left in any table, the ward's
indicators stay the same, and the officers hear nothing."""

from __future__ import annotations

from sqlalchemy import inspect, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.conversation import Conversation
from bot.chat.events import Incoming, Kind, Photo, Sender
from core.model import OutboxStatus
from core.ports import UnitOfWorkFactory
from storage.models import OutboxRow, ResidentRow
from storage.uow import SqlUnitOfWork
from tests.integration.conftest import Person

OFFICER = "9001"  # Chị Lan, officer of Ninh Kiều in the demo seed
PLATFORM_ID = "987654321"
NAME = "Nguyễn Thị Hoa Lý"
PHONE = "0909876543"
DESCRIPTION = "Đèn đường trước nhà số 77 hẻm 51 bị hỏng ba hôm nay"
PHOTO = "AgACAgUAAxkBAAIBpersonalphoto"
LATITUDE = 10.031234
TRACES = (PLATFORM_ID, NAME, PHONE, DESCRIPTION[:20], PHOTO, str(LATITUDE), "Still dark")


async def everything_stored(engine: AsyncEngine) -> str:
    """Every value of every table, as one text: as stored, and with JSON's escapes (`\\u1ec5`)
    read back as the letters they stand for."""
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        values: list[str] = []
        for table in tables:
            rows = await connection.execute(text(f'SELECT * FROM "{table}"'))
            values += [str(value) for row in rows for value in row]
    return "\n".join(values).encode().decode("unicode_escape", errors="ignore") + "\n".join(values)


async def test_deleteme_erases_everything_personal_and_keeps_the_indicators(
    conversation: Conversation, seeded: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    hoa = Person(conversation, PLATFORM_ID)
    hoa.sender = Sender("console", PLATFORM_ID, NAME, "en")
    await hoa.says("/start nk-hem-51")
    await hoa.says(f"/report lighting {DESCRIPTION}")
    await hoa.presses("radd:1:where")
    await conversation.handle(Incoming(hoa.sender, Kind.LOCATION, location=(LATITUDE, 105.770987)))
    await hoa.presses("radd:1:photo")
    await conversation.handle(Incoming(hoa.sender, Kind.PHOTO, photo=Photo(PHOTO, 50_000)))
    async with seeded() as uow:  # a phone, as a report dialogue that asks for one keeps it
        assert isinstance(uow, SqlUnitOfWork)
        await uow.session.execute(
            update(ResidentRow).where(ResidentRow.external_id == PLATFORM_ID).values(phone=PHONE)
        )
        await uow.commit()
    officer = Person(conversation, OFFICER)
    await officer.says("/status 1 resolved")
    await hoa.presses("rfix:1:n")
    await hoa.says("Still dark at night")
    await hoa.presses("rrate:1:2")
    await officer.says("/status 1 resolved")
    await hoa.says("/volunteer")
    await hoa.says("/subscribe hem")  # a dialogue left open
    stored = await everything_stored(engine)
    assert all(trace in stored for trace in TRACES), [t for t in TRACES if t not in stored]
    stats_before = await officer.says("/stats")
    neighbour = Person(conversation, "4242")
    await neighbour.says("/start nk-hem-51")
    indicators_before = await neighbour.says("/indicators")
    to_officers_before = await sent_to(seeded, OFFICER)

    await hoa.says("/deleteme")
    assert "cannot be undone" in hoa.text
    assert hoa.options == ["Erase my data", "Keep my data"]
    await hoa.says("1")  # typed, as on Zalo or in the console
    assert hoa.text.startswith("Done: what I kept about you is erased.")
    await deliver_everything(seeded)

    assert await sent_to(seeded, OFFICER) == to_officers_before  # told nothing
    stored = await everything_stored(engine)
    assert [trace for trace in TRACES if trace in stored] == []
    assert await officer.says("/stats") == stats_before
    assert await neighbour.says("/indicators") == indicators_before

    again = Person(conversation, PLATFORM_ID)  # writing again starts afresh
    await again.says("/mine")
    assert "You follow no alley yet" in again.text


async def test_keeping_my_data_erases_nothing(conversation: Conversation) -> None:
    person = Person(conversation)
    await person.says("/start nk-hem-51")
    await person.says("/deleteme")
    assert await person.presses("forget:no") == "Nothing was erased."
    assert "Hẻm 51" in await person.says("/mine")


async def test_settings_gather_language_reminder_times_and_announcements(
    conversation: Conversation,
) -> None:
    person = Person(conversation)
    await person.says("/start nk-hem-51")
    shown = await person.says("/settings")
    assert "Language: English" in shown
    assert "the bell rings 15 minutes before the truck" in shown
    assert "Announcements from the ward: on" in shown
    assert person.option_data()[0] == "langmenu"
    assert person.option_data()[1].startswith("leadmenu:")
    await person.presses(person.option_data()[-1])  # mute
    assert "Announcements from the ward: off" in await person.says("/caidat")
    await person.presses("langmenu")
    assert person.options == ["Tiếng Việt", "English"]


async def sent_to(uow_factory: UnitOfWorkFactory, chat_id: str) -> list[int]:
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        query = select(OutboxRow.id).where(OutboxRow.chat_id == chat_id)
        return list(await uow.session.scalars(query.order_by(OutboxRow.id)))


async def deliver_everything(uow_factory: UnitOfWorkFactory) -> None:
    """Mark every queued message sent, as the dispatcher records it."""
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        pending = list(
            await uow.session.scalars(
                select(OutboxRow.id).where(OutboxRow.status == OutboxStatus.PENDING.value)
            )
        )
        await uow.outbox.finish(pending, OutboxStatus.SENT, "", uow.outbox.now())
        await uow.commit()
