"""Officers change an alley's collections in chat; residents and strangers cannot."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import select

from bot.chat.conversation import Conversation
from bot.chat.events import Incoming, Sender
from bot.chat.i18n import Catalogues
from bot.features.bell.calendar_changes import CONFIRM
from bot.features.bell.wording import BellWording, NoticeWording
from core.holidays import VietnamHolidays
from core.ports import UnitOfWorkFactory
from core.seeding import apply_seed, parse_seed
from scheduler.planner import Planner
from storage.models import CollectionExceptionRow, OutboxRow
from storage.uow import SqlUnitOfWork
from tests.integration.conftest import Person, converse
from tests.support import FixedClock
from urbanbell.cli import DEMO_SEED

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CHI_LAN = "9001"  # officer of Ninh Kiều in the demo seed
ANH_KHOA = "9201"  # officer of Sóc Trăng


async def exceptions(uow_factory: UnitOfWorkFactory) -> list[tuple[str, str | None]]:
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        rows = await uow.session.scalars(select(CollectionExceptionRow))
        # The demo seed has exceptions of its own, from 25 December on.
        return sorted((str(r.day), r.action) for r in rows if r.day < date(2026, 12, 20))


async def notices(uow_factory: UnitOfWorkFactory) -> list[tuple[str, str]]:
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        rows = await uow.session.scalars(select(OutboxRow).where(OutboxRow.kind == "notice"))
        return sorted((r.chat_id, str(r.payload["text"])) for r in rows)


async def test_an_officer_skips_a_collection_and_its_followers_are_told(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    vietnamese, english = Person(conversation, "1", None), Person(conversation, "2", "en")
    await vietnamese.says("/start nk-hem-51")
    await english.says("/start nk-hem-51")
    officer = Person(conversation, CHI_LAN, "en")

    await officer.says("/skip nk-hem-51 2026-12-02")
    answer = await officer.presses(CONFIRM)

    assert answer == (
        "Done: no collection in Hẻm 51 Đường 3 Tháng 2 on Wednesday 02/12. "
        "2 followers are being told."
    )
    assert await exceptions(seeded) == [("2026-12-02", "skip")]
    told = dict(await notices(seeded))
    assert told["2"] == "🔔 Hẻm 51 Đường 3 Tháng 2: no garbage collection on Wednesday 02/12."
    assert "Thứ Tư 02/12" in told["1"]
    schedule = await english.says("/schedule")
    assert "Wednesday 02/12: no collection (cancelled by the ward)" in schedule


async def test_an_officer_moves_a_collection(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    follower = Person(conversation, "2", "en")
    await follower.says("/start nk-hem-51")
    officer = Person(conversation, CHI_LAN, "en")

    await officer.says("/move nk-hem-51 2026-12-02 2026-12-03 07:00")
    answer = await officer.presses(CONFIRM)

    assert answer.startswith(
        "Done: the collection of Wednesday 02/12 in Hẻm 51 Đường 3 Tháng 2 moves to "
        "Thursday 03/12 at 07:00."
    )
    assert await exceptions(seeded) == [("2026-12-02", "move")]
    assert "Thursday 03/12 at 07:00 (moved from Wednesday 02/12)" in await follower.says(
        "/schedule"
    )


async def test_a_resident_cannot_use_an_officers_command(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    resident = Person(conversation, "5", "en")
    assert await resident.says("/skip nk-hem-51 2026-12-02") == (
        "Only the ward's officers can use /skip."
    )
    assert await exceptions(seeded) == []


async def test_an_officer_of_another_ward_cannot_change_this_wards_alleys(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    stranger = Person(conversation, ANH_KHOA, "en")
    answer = await stranger.says("/skip nk-hem-51 2026-12-02")
    assert answer == "Only officers of the alley's own ward can change its collections."
    assert await exceptions(seeded) == []


async def test_a_past_day_or_a_malformed_command_changes_nothing(
    seeded: UnitOfWorkFactory,
) -> None:
    officer = Person(
        converse(seeded, FixedClock(datetime(2026, 12, 5, 8, 0, tzinfo=VN))), CHI_LAN, "en"
    )
    assert "has passed" in await officer.says("/skip nk-hem-51 2026-12-02")
    assert "has passed" in await officer.says("/move nk-hem-51 2026-12-07 2026-12-04 07:00")
    assert (await officer.says("/skip nk-hem-51 tomorrow")).startswith("Write it so: /skip")
    assert (await officer.says("/skip nk-hem-51 31/2")).startswith("Write it so: /skip")
    assert (await officer.says("/move nk-hem-51 2026-12-07")).startswith("Write it so: /move")
    assert "No alley has the code “nosuch”" in await officer.says("/skip nosuch 2026-12-09")
    assert await exceptions(seeded) == []


async def test_help_shows_officers_their_commands(conversation: Conversation) -> None:
    assert "/skip" in await Person(conversation, CHI_LAN, "en").says("/help")
    assert "/skip" not in await Person(conversation, "5", "en").says("/help")


async def test_an_officer_links_an_alleys_group_and_the_bell_rings_there_once(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    in_group = Incoming.from_text(
        Sender("telegram", CHI_LAN, None, "en"), "/linkgroup nk-hem-51", "-100555"
    )
    [answer] = await conversation.handle(in_group)
    assert answer.text == "From now on the bell of Hẻm 51 Đường 3 Tháng 2 rings in this group too."

    wording = BellWording(Catalogues(), "vi")
    planner = Planner(seeded, clock, VietnamHolidays(), wording, {"telegram": 30})
    assert (await planner.run()).planned == 1  # Monday 18:00, heard in the group
    async with seeded() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        [bell] = await uow.session.scalars(select(OutboxRow).where(OutboxRow.kind == "bell"))
        assert bell.chat_id == "-100555"
        text = bell.payload["text"]
    assert "Hẻm 51 Đường 3 Tháng 2" in text and "18:00" in text


async def test_linkgroup_is_refused_in_private_and_to_residents(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    private = await Person(conversation, CHI_LAN, "en").says("/linkgroup nk-hem-51")
    assert private == "Send /linkgroup in the alley's group chat, not to me in private."
    resident = Sender("telegram", "5", None, "en")
    [refused] = await conversation.handle(
        Incoming.from_text(resident, "/linkgroup nk-hem-51", "-100555")
    )
    assert refused.text == "Only the ward's officers can use /linkgroup."
    async with seeded() as uow:
        assert await uow.alleys.groups() == []


async def test_a_changed_seed_file_tells_the_followers_of_each_changed_alley(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    await Person(conversation, "2", "en").says("/start nk-hem-51")
    await Person(conversation, "3", "en").says("/start nk-hem-132")
    document = yaml.safe_load(DEMO_SEED.read_text(encoding="utf-8"))
    document["wards"][0]["alleys"][0]["collections"][0]["time"] = "19:00"  # nk-hem-51
    document["wards"][0]["name"] = "Phường Ninh Kiều, Cần Thơ"  # not a calendar change

    async with seeded() as uow:
        summary = await apply_seed(
            uow, parse_seed(document), "Asia/Ho_Chi_Minh", NoticeWording(Catalogues(), "vi")
        )
        await uow.commit()

    assert summary.told == 1
    assert await notices(seeded) == [
        (
            "2",
            "🔔 The collection times of Hẻm 51 Đường 3 Tháng 2 have changed. "
            "Send /schedule to see the coming week.",
        )
    ]
