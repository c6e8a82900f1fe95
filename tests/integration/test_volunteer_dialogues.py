"""Organisers call volunteers and officers announce, in chat; residents answer, with buttons."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.chat.conversation import Conversation
from bot.chat.i18n import Catalogues
from bot.features.announcements.wording import AnnouncementWording
from core import announcements
from core.ports import UnitOfWorkFactory
from storage.models import OutboxRow, SignupRow, VolunteerCallRow
from storage.uow import SqlUnitOfWork
from tests.integration.conftest import Person
from tests.support import FixedClock

CHI_HOA = "9101"  # organiser of Thuận Hưng in the demo seed
CHI_LAN = "9001"  # officer of Ninh Kiều
ANH_TUAN = "9002"  # admin of Ninh Kiều: organises and announces there
OUT_OF_DATE = (
    "That button is out of date, so nothing was changed. Send /help to see what I can do."
)


async def sent_to(uow_factory: UnitOfWorkFactory, kind: str) -> list[tuple[str, str, list[str]]]:
    """(chat, text, button data) of each message of a kind queued for someone."""
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        rows = await uow.session.scalars(
            select(OutboxRow).where(OutboxRow.kind == kind).order_by(OutboxRow.id)
        )
        return [
            (r.chat_id, str(r.payload["text"]), [c[1] for c in r.payload["choices"]]) for r in rows
        ]


async def statuses(uow_factory: UnitOfWorkFactory) -> dict[str, str]:
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        rows = await uow.session.execute(select(SignupRow.resident_id, SignupRow.status))
        return {str(resident): status for resident, status in rows}


async def alley_choice(organiser: Person, name: str) -> str:
    return next(
        data
        for label, data in zip(organiser.options, organiser.option_data(), strict=True)
        if name in label
    )


async def test_an_organiser_calls_volunteers_and_residents_join_leave_and_are_promoted(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    first, second = Person(conversation, "1", "en"), Person(conversation, "2", None)
    await first.says("/start th-hem-3-ql91")
    await second.says("/start th-hem-3-ql91")
    organiser = Person(conversation, CHI_HOA, "en")
    await organiser.says("/newcall")
    await organiser.presses("nck:clean_up")
    await organiser.says("Dọn hẻm 3 Quốc lộ 91")
    await organiser.says("2026-12-05 07:00-10:00")
    await organiser.says("Đầu hẻm 3, cạnh tạp hóa")
    await organiser.says("2")
    await organiser.presses("ncdl")
    await organiser.says("Găng tay, chổi")
    hem_3 = await alley_choice(organiser, "Hẻm 3 Quốc lộ 91")
    await organiser.presses(hem_3)
    preview = await organiser.presses("nca:done")

    assert "🤝 Dọn hẻm 3 Quốc lộ 91" in preview
    assert "When: Saturday 05/12, 07:00-10:00" in preview
    assert "Bring: Găng tay, chổi" in preview
    assert "It goes to 2 residents" in preview
    assert await organiser.presses("ncsend") == (
        "Call #1 is open; 2 residents are being invited. Send /calls to see who signs up."
    )
    invitations = await sent_to(seeded, "broadcast")
    assert [(chat, buttons) for chat, _, buttons in invitations] == [
        ("1", ["join:1", "decline:1"]),
        ("2", ["join:1", "decline:1"]),
    ]
    assert invitations[1][1].startswith("🤝 Cần tình nguyện viên!")  # in her language

    joined = await first.presses("join:1")
    assert joined.startswith("Thank you! You have a place in Dọn hẻm 3 Quốc lộ 91.")
    assert first.last[0].document is not None
    assert b"SUMMARY:D\xe1\xbb\x8dn h\xe1\xba\xbbm 3" in first.last[0].document.content
    await second.presses("join:1")
    latecomer = Person(conversation, "3", "en")
    waiting = await latecomer.presses("join:1")
    assert "you are number 1 on the waitlist" in waiting

    assert "given up" in await first.presses("leave:1")
    to_latecomer = [t for chat, t, _ in await sent_to(seeded, "notice") if chat == "3"]
    assert [t.split("\n")[0] for t in to_latecomer] == [
        "⏰ Tomorrow you volunteer: Dọn hẻm 3 Quốc lộ 91.",
        "⏰ In an hour you volunteer: Dọn hẻm 3 Quốc lộ 91.",
        "🎉 A place opened and it is yours: you volunteer for Dọn hẻm 3 Quốc lộ 91.",
    ]
    told = [t for chat, t, _ in await sent_to(seeded, "notice") if chat == CHI_HOA]
    # The organiser called from the console, where she is seeded too: told there, in her language.
    assert told == [
        "Cô Ba gave up their place in Dọn hẻm 3 Quốc lộ 91. Cô Ba, first on the waitlist, "
        "takes it."
    ]

    listed = await organiser.says("/calls")
    assert "#1 Dọn hẻm 3 Quốc lộ 91 (open)" in listed and "2 of 2 joined" in listed
    shown = await organiser.presses("cl:1")
    assert "Joined (2 of 2):" in shown and "Cannot come: 0; gave up their place: 1." in shown

    assert "Write your message to the 2 volunteers" in await organiser.presses("clmsg:1")
    assert await organiser.says("Gặp nhau lúc 6:45 nhé!") == "Sent to 2 volunteers."
    notes = [t for _, t, _ in await sent_to(seeded, "notice") if "6:45" in t]
    assert len(notes) == 2


async def test_an_organiser_closes_a_call_with_who_came_and_what_was_done(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    organiser = Person(conversation, CHI_HOA, "en")
    await Person(conversation, "1", "en").says("/start th-hem-3-ql91")
    await organiser.says("/newcall")
    await organiser.presses("nck:clean_up")
    await organiser.says("Dọn kênh")
    await organiser.says("2026-12-05 07:00-10:00")
    await organiser.says("Kênh Tân Lộc")
    await organiser.says("5")
    await organiser.presses("ncdl")
    await organiser.presses("ncbring")
    await organiser.presses("nca:all")
    await organiser.presses("ncsend")
    people = [Person(conversation, str(n), "en") for n in (1, 2, 3)]
    for person in people:
        await person.presses("join:1")

    early = await organiser.presses("clend:1")
    assert early.startswith("Its results can be recorded once it has started")
    clock.move(datetime(2026, 12, 5, 10, 30, tzinfo=clock.now().tzinfo) - clock.now())

    asked = await organiser.presses("clend:1")
    assert "Who came to Dọn kênh?" in asked
    assert organiser.options[:3] == ["✅ Cô Ba"] * 3
    absent = organiser.option_data()[2]
    await organiser.presses(absent)
    assert organiser.options[2] == "▫️ Cô Ba"
    assert "How many hours" in await organiser.presses("clcd")
    assert organiser.option_data() == ["clh:3"]
    assert "kilograms of garbage" in await organiser.says("3")
    assert "Please write a number" in await organiser.says("a lot")
    assert "metres of canal" in await organiser.says("120,5")
    confirm = await organiser.presses("clm")
    assert confirm == "Close Dọn kênh: 2 came, 3 h each.\n• 120.5 kg of garbage collected"
    closed = await organiser.presses("clok")
    assert closed.startswith("Closed: Dọn kênh. Thank-yous are on their way to the 2 volunteers")

    thanks = [t for _, t, _ in await sent_to(seeded, "notice") if t.startswith("🙏")]
    assert len(thanks) == 2 and all("120.5 kg of garbage collected" in t for t in thanks)
    async with seeded() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        call = await uow.session.scalar(select(VolunteerCallRow))
        assert call is not None and call.state == "closed"
        assert call.results == {"garbage_kg": 120.5}
    assert "Closed: 2 of 3 came." in await organiser.presses("cl:1")
    # Pressing an old button again changes nothing.
    assert "out of date" in await organiser.presses("clok")


async def test_bad_answers_and_forged_buttons_change_nothing(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    resident = Person(conversation, "5", "en")
    assert await resident.says("/newcall") == "Only the ward's officers can use /newcall."
    assert "out of date" in await resident.presses("join:42")
    assert "out of date" in await resident.presses("ncsend")
    assert "out of date" in await resident.presses("clok")
    organiser = Person(conversation, CHI_HOA, "en")
    await organiser.says("/newcall")
    assert "out of date" in await organiser.presses("nck:party")
    await organiser.presses("nck:meals")
    await organiser.says("Bữa cơm 0 đồng")
    assert "Please write the day" in await organiser.says("tomorrow at 7")
    assert "has passed" in await organiser.says("2026-11-01 07:00-09:00")
    await organiser.says("2026-12-06 10:00-13:00")
    await organiser.says("Nhà văn hóa")
    assert "from 1 to 1000" in await organiser.says("0")
    await organiser.says("30")
    assert "must be still to come" in await organiser.says("2026-12-07 08:00")
    await organiser.presses("ncdl")
    await organiser.presses("ncbring")
    # An alley of another ward is not one to choose.
    assert "out of date" in await organiser.presses("nca:1")
    async with seeded() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        assert list(await uow.session.scalars(select(VolunteerCallRow))) == []
    assert await statuses(seeded) == {}


async def test_a_resident_offers_help_and_an_organiser_finds_and_invites_them(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    resident = Person(conversation, "7", "en")
    await resident.says("/start th-hem-18-thot-not")
    listed = await resident.says("/volunteer")
    assert listed.startswith("No volunteer call near you")
    assert "What can you give" in await resident.presses("vo")
    assert "What exactly" in await resident.presses("vok:transport")
    assert "When are you free" in await resident.says("Xe ba gác chở rác")
    thanked = await resident.presses("voa:any")
    assert thanked.startswith("Thank you! The organisers of Phường Thuận Hưng can now see")

    organiser = Person(conversation, CHI_HOA, "en")
    await organiser.says("/newcall")
    await organiser.presses("nck:clean_up")
    await organiser.says("Dọn hẻm 18")
    await organiser.says("2026-12-05 07:00-10:00")
    await organiser.says("Hẻm 18")
    await organiser.says("4")
    await organiser.presses("ncdl")
    await organiser.presses("ncbring")
    await organiser.presses("nca:all")
    await organiser.presses("ncsend")

    await organiser.says("/offers")
    offers = await organiser.presses(organiser.option_data()[3])  # transport
    assert "free:" not in offers  # "any time" is no limit to show
    assert "Cô Ba (transport): Xe ba gác chở rác" in offers
    assert "Invite Cô Ba to which call?" in await organiser.presses(organiser.option_data()[0])
    assert await organiser.presses("clinv:1:1") == "Cô Ba is invited to Dọn hẻm 18."
    assert await organiser.presses("clinv:1:1") == "Cô Ba was already invited to Dọn hẻm 18."

    near = await resident.says("/volunteer")
    assert near.startswith("Volunteer calls near you")
    assert "Volunteers needed: 4 (still free: 4)" in await resident.presses("vc:1")
    await resident.presses("vom")
    assert "taken back" in await resident.presses(resident.option_data()[0])
    stranger = Person(conversation, "8", "en")
    assert "out of date" in await stranger.presses("vox:1")


async def test_an_officer_announces_with_a_preview_and_is_told_how_it_went(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    listening, quiet = Person(conversation, "1", "en"), Person(conversation, "2", "en")
    await listening.says("/start nk-hem-51")
    await quiet.says("/start nk-hem-132")
    assert "are on" in await quiet.says("/mute")
    assert "muted" in await quiet.presses("mute:on")
    officer = Person(conversation, CHI_LAN, "en")

    assert "Who should hear it in Phường Ninh Kiều?" in await officer.says("/announce")
    asked = await officer.presses("ana:all")
    assert asked.startswith("It will reach 1 resident; 1 more have muted announcements.")
    preview = await officer.says("Thứ Bảy này cắt nước từ 8:00 đến 11:00.")
    assert preview == (
        "This is how residents will read it:\n\n📢 Phường Ninh Kiều announces:\n\n"
        "Thứ Bảy này cắt nước từ 8:00 đến 11:00."
    )
    assert await officer.presses("ansend") == (
        "Announcement #1 is on its way to 1 resident. I will tell you when it has gone out."
    )
    assert [(chat, buttons) for chat, _, buttons in await sent_to(seeded, "broadcast")] == [
        ("1", ["mute:on"])
    ]

    wording = AnnouncementWording(Catalogues(), "vi")  # delivered as the officer pressed
    async with seeded() as uow:
        assert await announcements.follow_up(uow, clock.now(), wording) == 1
        assert await announcements.follow_up(uow, clock.now(), wording) == 0
        await uow.commit()
    told = [t for chat, t, _ in await sent_to(seeded, "notice") if chat == CHI_LAN]
    assert told == [
        "📢 Announcement #1 has gone out to 1 resident: 1 delivered, 0 have blocked the bot, "
        "0 failed."
    ]


async def test_residents_cannot_announce_and_officers_of_other_wards_cannot_pick_its_alleys(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    assert await Person(conversation, "5", "en").says("/announce") == (
        "Only the ward's officers can use /announce."
    )
    stranger = Person(conversation, "9201", "en")  # officer of Sóc Trăng
    await stranger.says("/announce")
    assert "out of date" in await stranger.presses("ana:1")  # an alley of Ninh Kiều
    assert await sent_to(seeded, "broadcast") == []


async def test_a_report_becomes_a_clean_up_call_whose_results_resolve_it(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    reporter = Person(conversation, "1", "en")
    await reporter.says("/start nk-hem-51")
    filed = await reporter.says("/report litter Rác đổ trộm đầu hẻm")
    number = re.search(r"#(\d+)", filed)
    assert number is not None
    admin = Person(conversation, ANH_TUAN, "en")

    started = await admin.presses(f"newcall:report:{number[1]}")
    assert started.startswith(f"A clean-up call for report #{number[1]}")
    assert "title" in started  # kind and place come from the report
    await admin.says("Dọn rác đầu hẻm 51")
    await admin.says("2026-12-05 07:00-09:00")
    assert "How many" in admin.text  # the place was known
    await admin.says("3")
    await admin.presses("ncdl")
    await admin.presses("ncbring")
    await admin.presses("nca:all")
    assert "Where: Hẻm 51 Đường 3 Tháng 2" in admin.text
    await admin.presses("ncsend")
    await reporter.presses("join:1")
    clock.move(timedelta(days=6))
    await admin.presses("clend:1")
    await admin.presses("clcd")
    await admin.presses("clh:2")
    await admin.says("40")
    await admin.presses("clm")
    await admin.presses("clok")
    assert admin.option_data() == ["callresolve:1"]

    resolved = await admin.presses("callresolve:1")
    assert resolved == f"Report #{number[1]} is resolved; its reporter is told."
    assert "not open any more" in await admin.presses("callresolve:1")


async def test_an_organisers_buttons_forged_by_others_are_out_of_date_and_reveal_nothing(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    reporter = Person(conversation, "1", "en")
    await reporter.says("/start nk-hem-51")
    number = re.search(r"#(\d+)", await reporter.says("/report litter Rác đổ trộm đầu hẻm"))
    assert number is not None
    await reporter.presses("vo")
    await reporter.presses("vok:transport")
    await reporter.says("Xe ba gác chở rác")
    await reporter.presses("voa:any")
    admin = Person(conversation, ANH_TUAN, "en")
    await admin.presses(f"newcall:report:{number[1]}")
    await admin.says("Dọn rác đầu hẻm 51")
    await admin.says("2026-12-05 07:00-09:00")
    await admin.says("3")
    await admin.presses("ncdl")
    await admin.presses("ncbring")
    await admin.presses("nca:all")
    await admin.presses("ncsend")
    await reporter.presses("join:1")

    resident = Person(conversation, "5", "en")
    stranger = Person(conversation, "9201", "en")  # officer of Sóc Trăng
    organisers = ("cl:1", "clmsg:1", "cloff:1", "clend:1", "ofinv:1", "clinv:1:1")
    for person in (resident, stranger):
        for button in organisers:
            assert await person.presses(button) == OUT_OF_DATE, button

    clock.move(timedelta(days=6))
    await admin.presses("clend:1")
    await admin.presses("clcd")
    await admin.presses("clh:2")
    await admin.says("40")
    await admin.presses("clm")
    await admin.presses("clok")
    for person in (resident, stranger):
        # Neither whether the call exists, nor that it was made for a report, shows.
        assert await person.presses("callresolve:1") == OUT_OF_DATE
        assert await person.presses("ofinv:1") == OUT_OF_DATE
    resolved = await admin.presses("callresolve:1")
    assert resolved == f"Report #{number[1]} is resolved; its reporter is told."


async def test_an_organiser_cancels_a_call_and_its_volunteers_are_told_once(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    volunteer = Person(conversation, "1", "en")
    await volunteer.says("/start th-hem-3-ql91")
    organiser = Person(conversation, CHI_HOA, "en")
    await organiser.says("/newcall")
    await organiser.presses("nck:clean_up")
    for text in ["Dọn hẻm 3", "2026-12-05 07:00-10:00", "Đầu hẻm 3", "2"]:
        await organiser.says(text)
    await organiser.presses("ncdl")
    await organiser.says("Găng tay")
    await organiser.presses("nca:all")
    await organiser.presses("ncsend")
    await volunteer.presses("join:1")

    await organiser.presses("cl:1")
    assert "Cancel the call" in organiser.options
    asked = await organiser.presses("clcxq:1")
    assert asked == ("Cancel Dọn hẻm 3? The 1 person with a place or on the waitlist is told.")
    assert await organiser.presses("clcx:1") == "Call #1 is cancelled; 1 person is told."
    assert await organiser.presses("clcx:1") == (
        "That call has started, is closed or is already cancelled: nothing changed."
    )
    told = [t for chat, t, _ in await sent_to(seeded, "notice") if chat == "1"]
    assert [t for t in told if "cancelled" in t] == [
        "❌ Dọn hẻm 3 (Saturday 05/12, 07:00-10:00) is cancelled: it will not take place."
    ]
    await organiser.says("/calls")
    assert "#1 Dọn hẻm 3 (cancelled)" in organiser.text


async def test_an_organiser_changes_a_calls_place_and_its_volunteers_are_told(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    volunteer = Person(conversation, "1", "en")
    await volunteer.says("/start th-hem-3-ql91")
    organiser = Person(conversation, CHI_HOA, "en")
    await organiser.says("/newcall")
    await organiser.presses("nck:clean_up")
    for text in ["Dọn hẻm 3", "2026-12-05 07:00-10:00", "Đầu hẻm 3", "2"]:
        await organiser.says(text)
    await organiser.presses("ncdl")
    await organiser.says("Găng tay")
    await organiser.presses("nca:all")
    await organiser.presses("ncsend")
    await volunteer.presses("join:1")

    await organiser.presses("cl:1")
    await organiser.presses("cled:1")
    assert organiser.options == ["Time", "Place", "Places", "Text"]
    assert await organiser.presses("cledf:1:place") == "Where volunteers meet now?"
    assert await organiser.says("Cuối hẻm 3, cạnh cầu") == "Call #1 is changed; 1 person is told."
    await organiser.presses("cled:1")
    await organiser.presses("cledf:1:slots")
    assert await organiser.says("0") == "That cannot be: please check it and write it again."
    assert await organiser.says("5") == "Call #1 is changed; 1 person is told."

    told = [t for chat, t, _ in await sent_to(seeded, "notice") if chat == "1"]
    changed = [t for t in told if t.startswith("✏️")]
    assert len(changed) == 2
    assert "Cuối hẻm 3, cạnh cầu" in changed[0] and "Đầu hẻm 3" not in changed[0]
