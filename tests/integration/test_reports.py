"""Reports end to end through the conversation: residents file, officers triage, on both
dialects of the real database."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
import yaml
from sqlalchemy import func, select

from bot.chat.conversation import Conversation
from bot.chat.events import Incoming, Kind, Photo
from bot.chat.replies import Choice, Reply
from core import triage
from core.model import DialogueState, NewMessage, Role
from core.ports import Memory, UnitOfWorkFactory
from core.seeding import apply_seed, parse_seed
from storage import migrate
from storage.database import create_engine, session_factory, write_lock_for
from storage.models import OutboxRow, ReportEventRow, ReportRow, ResidentRow
from storage.uow import SqlUnitOfWork
from tests.conftest import WARD_ZONE
from tests.integration.conftest import Person, converse, deliver
from tests.support import FixedClock
from urbanbell.cli import DEMO_SEED

OFFICER = "9001"  # Chị Lan, officer of Ninh Kiều in the demo seed
ADMIN = "9002"  # Anh Tuấn, admin of Ninh Kiều
OTHER_WARD = "9201"  # Anh Khoa, officer of Sóc Trăng


async def _resident(conversation: Conversation, id: str = "42") -> Person:
    person = Person(conversation, id)
    await person.says("/start nk-hem-51")
    return person


async def _sent_to(uow_factory: UnitOfWorkFactory, chat_id: str) -> list[str]:
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        rows = await uow.session.scalars(
            # The people here write from the console, where the demo officers are seeded too.
            select(OutboxRow)
            .where(OutboxRow.channel == "console", OutboxRow.chat_id == chat_id)
            .order_by(OutboxRow.id)
        )
        return [str(row.payload["text"]) for row in rows]


async def _report_row(uow_factory: UnitOfWorkFactory, number: int) -> ReportRow:
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        row = await uow.session.get(ReportRow, number)
        assert row is not None
        uow.session.expunge(row)  # readable after the unit of work closes
        return row


async def _count(
    uow_factory: UnitOfWorkFactory, table: type[ReportRow] | type[ReportEventRow]
) -> int:
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        return int(await uow.session.scalar(select(func.count()).select_from(table)) or 0)


def _photo(person: Person, ref: str, size: int) -> Incoming:
    return Incoming(person.sender, Kind.PHOTO, photo=Photo(ref, size))


async def test_guided_report_reaches_the_ward_and_gets_a_number(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    person = await _resident(conversation)
    await person.says("/report")
    assert "Street lighting" in person.options
    await person.presses("rcat:lighting")
    await person.says("The lamp at number 12 has been dark for a week")
    await person.handle(_photo(person, "photo-1", 200_000))
    assert "1 photo added" in person.text
    await person.handle(_photo(person, "huge", 25 * 1024 * 1024))
    assert "too large" in person.text and "kept" in person.text
    await person.handle(Incoming(person.sender, Kind.OTHER))  # a PDF
    assert "only take photos" in person.text
    await person.presses("rnext")
    await person.presses("rwhere:nk-hem-51")
    await person.presses("ranon:n")
    assert "The lamp at number 12" in person.text
    text = await person.presses("rsend")
    assert "#1" in text

    row = await _report_row(seeded, 1)
    assert (row.category, row.state, row.anonymous) == ("lighting", "new", False)
    # Targets in working hours: filed Monday 08:00; 8 working hours end Tuesday 08:00, three
    # working days Thursday 08:00.
    assert row.acknowledge_by == datetime(2026, 12, 1, 8, 0, tzinfo=WARD_ZONE)
    assert row.resolve_by == datetime(2026, 12, 3, 8, 0, tzinfo=WARD_ZONE)
    for officer in (OFFICER, ADMIN):
        notices = await _sent_to(seeded, officer)
        assert any("#1" in n and "Cô Ba" in n and "The lamp at number 12" in n for n in notices)
    assert not any("#1" in n for n in await _sent_to(seeded, OTHER_WARD))

    await person.says("/myreports")
    assert "#1" in person.text and "New" in person.text


async def test_a_restart_in_the_middle_resumes_the_report(
    seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    person = await _resident(converse(seeded, clock))
    await person.says("/report")
    await person.presses("rcat:drainage")
    person = Person(converse(seeded, clock))  # a new process, the same database
    await person.says("The drain is blocked")
    assert "photos" in person.text
    await person.presses("rnext")
    await person.presses("rwhere:nk-hem-51")
    await person.presses("ranon:y")
    assert "#1" in await person.presses("rsend")


async def _remember(
    uow_factory: UnitOfWorkFactory, person: Person, dialogue: DialogueState
) -> int:
    """Keep a dialogue for the person as an older version of the bot would have; their id."""
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        resident_id = await uow.session.scalar(
            select(ResidentRow.id).where(ResidentRow.external_id == person.sender.id)
        )
        assert resident_id is not None
        await uow.dialogues.remember(resident_id, Memory(dialogue))
        await uow.commit()
        return resident_id


async def test_a_report_begun_before_its_draft_was_typed_is_finished(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    person = await _resident(conversation)
    async with seeded() as uow:
        alley = await uow.alleys.by_code("nk-hem-51")
        assert alley is not None
    kept = {
        "category": "litter",
        "description": "The truck did not come",
        "alley": "nk-hem-51",
        "ward": alley.ward.id,
        "place": "Hẻm 51 Đường 3 Tháng 2 (Phường Ninh Kiều)",
        "collection": "2026-11-30T18:00:00+07:00",
        "photos": ["photo-1"],
    }
    await _remember(seeded, person, DialogueState("report", "photos", kept))
    await person.presses("rnext")
    await person.presses("ranon:n")
    assert "1 photo" in person.text and "The truck did not come" in person.text
    assert "#1" in await person.presses("rsend")
    row = await _report_row(seeded, 1)
    assert row.collection_at == datetime(2026, 11, 30, 18, 0, tzinfo=WARD_ZONE)
    assert (row.category, row.alley_id) == ("litter", alley.id)


async def test_a_draft_that_no_longer_fits_is_out_of_date_and_ends(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    person = await _resident(conversation)
    kept: dict[str, object] = {"category": "litter", "photos": "three"}  # never a list of photos
    resident_id = await _remember(seeded, person, DialogueState("report", "description", kept))
    assert "out of date" in await person.says("The truck did not come")
    async with seeded() as uow:
        assert (await uow.dialogues.recall(resident_id)).dialogue is None
    assert await _count(seeded, ReportRow) == 0


async def test_quick_report_files_at_once_and_offers_a_photo(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    person = await _resident(conversation)
    text = await person.says("/report den the lamp is out")
    assert "#1" in text
    assert person.option_data() == ["radd:1:photo", "radd:1:where", "radd:1:hide"]
    await person.presses("radd:1:where")
    await person.handle(Incoming(person.sender, Kind.LOCATION, location=(10.03, 105.77)))
    row = await _report_row(seeded, 1)
    assert (row.category, row.latitude, row.longitude) == ("lighting", 10.03, 105.77)


async def test_a_pin_finds_the_ward_of_the_nearest_alley(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    person = Person(conversation)  # follows nothing
    await person.says("/report road there is a deep hole")
    await person.handle(Incoming(person.sender, Kind.LOCATION, location=(10.0300, 105.7707)))
    assert "#1" in person.text
    row = await _report_row(seeded, 1)
    assert row.alley_id is not None and row.latitude == 10.03


async def test_bad_quick_report_explains_and_files_nothing(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    person = await _resident(conversation)
    assert "Categories" in await person.says("/report potholes everywhere")
    assert "Categories" in await person.says("/report litter")
    assert await _count(seeded, ReportRow) == 0


async def test_text_is_stored_and_shown_exactly(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    person = await _resident(conversation)
    description = "<b>&_*[ " + "rác " * 120
    await person.says(f"/report litter {description}")
    row = await _report_row(seeded, 1)
    assert row.description == description.strip()
    assert any(description.strip() in n for n in await _sent_to(seeded, OFFICER))


async def test_the_hourly_limit_refuses_politely_and_stores_nothing(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    person = await _resident(conversation)
    for n in range(5):
        assert f"#{n + 1}" in await person.says(f"/report litter pile {n}")
    assert "last hour" in await person.says("/report litter one more")
    assert "last hour" in await person.says("/report")
    assert await _count(seeded, ReportRow) == 5
    clock.move(timedelta(minutes=61))
    assert "#6" in await person.says("/report litter one more")


async def test_officer_moves_a_report_and_the_reporter_hears_each_step(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    person = await _resident(conversation)
    await person.says("/report lighting dark street")
    officer = Person(conversation, OFFICER)
    await officer.presses("rs:1:acknowledged")
    assert "Acknowledged" in officer.text
    await officer.says("/status 1 in_progress the electrician is booked")
    await officer.says("/reply 1 We come on Tuesday")
    await officer.says("/note 1 needs the ladder truck")
    await officer.says("/status 1 resolved")
    heard = await _sent_to(seeded, "42")
    assert any("#1" in h and "Acknowledged" in h for h in heard)
    assert any("In progress" in h and "the electrician is booked" in h for h in heard)
    assert any("We come on Tuesday" in h for h in heard)
    assert not any("ladder truck" in h for h in heard)  # notes are internal
    assert any("Is it fixed?" in h for h in heard)

    await person.presses("rfix:1:y")
    await person.presses("rrate:1:4")
    assert (await _report_row(seeded, 1)).rating == 4
    await officer.says("/show 1")
    assert "Rated 4 of 5" in officer.text and "ladder truck" in officer.text


async def test_not_fixed_reopens_with_the_note(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    person = await _resident(conversation)
    await person.says("/report drainage blocked drain")
    officer = Person(conversation, OFFICER)
    await officer.says("/status 1 resolved")
    await person.presses("rfix:1:n")
    await person.says("Still flooded after rain")
    row = await _report_row(seeded, 1)
    assert (row.state, row.resolved_at) == ("acknowledged", None)
    assert any("Still flooded after rain" in n for n in await _sent_to(seeded, OFFICER))


async def test_reject_needs_a_reason_and_duplicate_an_original(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    person = await _resident(conversation)
    for n in range(3):
        await person.says(f"/report road hole {n + 1}")
    officer = Person(conversation, OFFICER)
    await officer.says("/status 1 rejected")
    assert "Why is #1 rejected" in officer.text
    await officer.says("private land, not the ward's")
    for original in ("2", "1"):  # itself, or a rejected report: refused
        await officer.presses("rdup:2")
        await officer.says(original)
        assert (await _report_row(seeded, 2)).state == "new"
    await officer.says("/status 2 duplicate")
    assert "duplicate of which report" in officer.text
    await officer.says("3")
    await officer.presses("rdup:3")
    await officer.says("2")  # a duplicate is no original: no chains, no cycles
    assert (await _report_row(seeded, 1)).state == "rejected"
    row = await _report_row(seeded, 2)
    assert (row.state, row.duplicate_of_id) == ("duplicate", 3)
    assert (await _report_row(seeded, 3)).state == "new"
    heard = await _sent_to(seeded, "42")
    assert any("private land" in h for h in heard)


async def test_a_report_is_rated_once(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    person = await _resident(conversation)
    await person.says("/report litter pile")
    await Person(conversation, OFFICER).says("/status 1 resolved")
    await person.presses("rrate:1:5")
    await person.presses("rrate:1:1")
    assert "out of date" in person.text
    assert (await _report_row(seeded, 1)).rating == 5
    assert await _count(seeded, ReportEventRow) == 3  # filed, resolved, rated


@pytest.mark.parametrize(
    ("who", "how"),
    [
        (OFFICER, "/show ²"),
        (OFFICER, "/status ² resolved"),
        (OFFICER, "rshow:99999999999999999999999"),
        (OFFICER, "ibp:99999999999999999999999::"),
        (OFFICER, "ibp:1:zz:"),
        ("42", "rfix:²:y"),
        ("42", "rrate:123456789012345678901:5"),
        ("42", "radd:²:photo"),
        ("42", "rbell:nk-hem-51:9999999999"),
        ("42", "/report"),  # then a digit no option has
    ],
)
async def test_odd_numbers_get_an_answer_not_an_apology(
    conversation: Conversation, seeded: UnitOfWorkFactory, who: str, how: str
) -> None:
    person = Person(conversation, who)
    answer = await person.says(how) if how.startswith("/") else await person.presses(how)
    if how == "/report":
        answer = await person.says("²")
    assert answer and "something went wrong" not in answer


async def test_more_reports_keep_the_inbox_filters(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    for resident in range(3):
        person = await _resident(conversation, str(100 + resident))
        for n in range(4):
            await person.says(f"/report lighting lamp {resident}-{n}")
    await (await _resident(conversation, "200")).says("/report drainage blocked")
    officer = Person(conversation, OFFICER)
    await officer.says("/inbox lighting")
    assert "1 to 10 of 12" in officer.text
    more = officer.option_data()[-1]
    await officer.says("/show 1")  # another command in between forgets nothing
    await officer.presses(more)
    assert "11 to 12 of 12" in officer.text and "Drainage" not in officer.text


@pytest.mark.parametrize(
    ("who", "how"),
    [
        ("42", "/status 1 resolved"),  # the reporter
        ("43", "/status 1 resolved"),  # another resident
        (OTHER_WARD, "/status 1 resolved"),  # an officer of another ward
        ("42", "rs:1:resolved"),  # forged buttons
        (OTHER_WARD, "rs:1:resolved"),
        (OTHER_WARD, "rme:1"),
        ("43", "rfix:1:n"),  # someone else's report
        ("43", "rrate:1:1"),
        ("1087968824", "/status 1 resolved"),  # Telegram's anonymous group admin
        ("777000", "rs:1:resolved"),  # Telegram's channel posts
    ],
)
async def test_no_one_but_the_wards_officers_moves_a_report(
    conversation: Conversation, seeded: UnitOfWorkFactory, who: str, how: str
) -> None:
    async with seeded() as uow:  # even seeded as officers, the stand-ins are not people
        ward = await uow.wards.by_code("ninh-kieu")
        assert ward is not None
        for stand_in in ("1087968824", "777000"):
            await uow.officers.upsert(ward, "telegram", stand_in, Role.ADMIN, "Group")
        await uow.commit()
    person = await _resident(conversation)
    await person.says("/report litter pile")
    officer = Person(conversation, OFFICER)
    await officer.says("/status 1 resolved")  # so that the reporter's buttons mean something
    await officer.says("/note 1 checked")
    before = await _count(seeded, ReportEventRow)
    row_before = await _report_row(seeded, 1)

    intruder = Person(conversation, who)
    if how.startswith("/"):
        answer = await intruder.says(how)
    else:
        answer = await intruder.presses(how)
    assert answer  # always an answer, never silence or an exception
    assert await _count(seeded, ReportEventRow) == before
    after = await _report_row(seeded, 1)
    assert (after.state, after.rating, after.assigned_officer_id) == (
        row_before.state,
        row_before.rating,
        row_before.assigned_officer_id,
    )


async def test_anonymous_reports_hide_the_reporter_from_officers(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    person = await _resident(conversation)
    await person.says("/report")
    await person.presses("rcat:litter")
    await person.says("Someone dumps at night")
    await person.presses("rnext")
    await person.presses("rwhere:nk-hem-51")
    await person.presses("ranon:y")
    await person.presses("rsend")
    notices = await _sent_to(seeded, OFFICER)
    assert any("ẩn danh" in n for n in notices)  # officers read the ward's language
    assert not any("Cô Ba" in n for n in notices)
    officer = Person(conversation, OFFICER)
    await officer.says("/show 1")
    assert "Cô Ba" not in officer.text


async def test_the_inbox_puts_overdue_reports_first_and_filters(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    person = await _resident(conversation)
    await person.says("/report litter first")
    clock.move(timedelta(days=2))
    await person.says("/report lighting second")
    officer = Person(conversation, OFFICER)
    await officer.says("/inbox")
    text = officer.text
    assert text.index("#1") < text.index("#2") and "⏰" in text
    await officer.says("/inbox lighting")
    assert "#2" in officer.text and "#1" not in officer.text
    await officer.says("/inbox overdue")
    assert "#1" in officer.text and "#2" not in officer.text
    await officer.says("/inbox mine")
    assert "No open report" in officer.text
    await officer.presses("rme:2")
    await officer.says("/inbox mine")
    assert "#2" in officer.text
    await officer.says("/inbox bogus")
    assert "bogus" in officer.text
    assert "There is no report" in await Person(conversation, OTHER_WARD).says("/show 1")


async def test_overdue_reports_escalate_to_admins_once(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    person = await _resident(conversation)
    await person.says("/report litter pile")
    clock.move(timedelta(days=1, hours=1))  # past Tuesday 08:00
    for _ in range(2):
        async with seeded() as uow:
            await triage.escalate_overdue(uow, clock.now(), conversation.triage.notices)
            await uow.commit()
    escalations = [n for n in await _sent_to(seeded, ADMIN) if "chưa được tiếp nhận" in n]
    assert len(escalations) == 1
    assert not any("chưa được tiếp nhận" in n for n in await _sent_to(seeded, OFFICER))


async def test_unanswered_fix_question_is_asked_once_more(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    person = await _resident(conversation)
    await person.says("/report litter pile")
    await Person(conversation, OFFICER).says("/status 1 resolved")
    clock.move(timedelta(days=3, minutes=1))
    for _ in range(2):
        async with seeded() as uow:
            await triage.ask_again(uow, clock.now(), conversation.triage)
            await uow.commit()
    asked = [h for h in await _sent_to(seeded, "42") if "Is it fixed?" in h]
    assert len(asked) == 2  # when resolved, and once more


async def test_the_bell_button_files_a_missed_collection(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    person = await _resident(conversation)
    collection = datetime(2026, 11, 30, 18, 0, tzinfo=WARD_ZONE)
    await person.presses(f"rbell:nk-hem-51:{int(collection.timestamp()) // 60}")
    assert "18:00" in person.text
    await person.says("The truck did not come")
    await person.presses("rnext")
    await person.presses("ranon:n")
    assert "#1" in await person.presses("rsend")
    row = await _report_row(seeded, 1)
    assert row.collection_at == collection and row.category == "litter"
    await person.presses("rbell:no-such-alley:123")
    assert "out of date" in person.text


async def test_fifty_reports_at_once_are_all_stored(sqlite_url: str, clock: FixedClock) -> None:
    engine = create_engine(sqlite_url)
    try:
        await migrate.upgrade(engine)
        sessions = session_factory(engine)
        lock = write_lock_for(engine)

        def factory() -> SqlUnitOfWork:
            return SqlUnitOfWork(sessions, clock, lock)

        async with factory() as uow:
            await apply_seed(
                uow, parse_seed(yaml.safe_load(DEMO_SEED.read_text())), "Asia/Ho_Chi_Minh"
            )
            await uow.commit()
        conversation = converse(factory, clock)
        people = [await _resident(conversation, str(1000 + n)) for n in range(50)]
        answers = await asyncio.gather(
            *(p.says(f"/report litter pile number {n}") for n, p in enumerate(people))
        )
        assert all("#" in a for a in answers)
        assert await _count(factory, ReportRow) == 50
        numbers = {int(a.split("#")[1].split(".")[0]) for a in answers}
        assert numbers == set(range(1, 51))
    finally:
        await engine.dispose()


async def test_an_admin_can_call_volunteers_to_a_report(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    person = await _resident(conversation)
    await person.says("/report litter a pile of rubble at the corner")
    officer = Person(conversation, OFFICER)
    await officer.says("/show 1")
    assert "newcall:report:1" not in officer.option_data()  # organising is not their role
    admin = Person(conversation, ADMIN)
    await admin.says("/show 1")
    assert "newcall:report:1" in admin.option_data()
    await admin.presses("newcall:report:1")
    assert "#1" in admin.text  # the call's dialogue begins, its place from the report
    assert "Only organisers" in await officer.presses("newcall:report:1")


async def _options_arrive(conversation: Conversation, chat_id: str, *data: str) -> None:
    """A message with options reaches the chat from outside its conversation (a bell, a
    notice, an invitation)."""
    words = Reply("…", tuple(Choice(f"option {d}", d) for d in data)).worded()
    async with conversation.uow_factory() as uow:
        await uow.outbox.add(NewMessage.worded("notice", "console", chat_id, words))
        await uow.commit()
    await deliver(conversation)


async def test_a_number_typed_answers_the_latest_message_whatever_sent_it(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    person = await _resident(conversation)
    collection = datetime(2026, 11, 30, 18, 0, tzinfo=WARD_ZONE)
    await _options_arrive(
        conversation, "42", f"rbell:nk-hem-51:{int(collection.timestamp()) // 60}"
    )
    assert "18:00" in await person.says("1")  # the bell's button, typed as on Zalo


async def test_a_number_asked_for_is_not_taken_for_an_option(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    person = await _resident(conversation)
    for n in range(3):
        await person.says(f"/report road hole {n + 1}")
    officer = Person(conversation, OFFICER)
    await officer.presses("rdup:2")
    await _options_arrive(conversation, OFFICER, "rs:1:resolved", "rs:2:resolved", "rs:3:resolved")
    await officer.says("3")  # the original's number, not the third option
    row = await _report_row(seeded, 2)
    assert (row.state, row.duplicate_of_id) == ("duplicate", 3)
    assert (await _report_row(seeded, 3)).state == "new"


async def test_a_closed_report_is_assigned_to_no_one(
    conversation: Conversation, seeded: UnitOfWorkFactory
) -> None:
    person = await _resident(conversation)
    await person.says("/report litter pile")
    officer = Person(conversation, OFFICER)
    await officer.says("/status 1 resolved")
    assert "closed" in await officer.presses("rme:1")
    assert (await _report_row(seeded, 1)).assigned_officer_id is None
