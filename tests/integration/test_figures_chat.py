"""/stats, /export and /indicators in conversation, over a month of real reports."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from sqlalchemy import update

from bot.chat.conversation import Conversation
from bot.chat.i18n import Catalogues
from bot.chat.replies import Document
from bot.features.reports.cards import CATEGORY_NAMES
from core.ports import UnitOfWorkFactory
from core.reports import Category
from storage.models import ResidentRow
from storage.uow import SqlUnitOfWork
from tests.conftest import WARD_ZONE
from tests.integration.conftest import Person
from tests.support import FixedClock

OFFICER = "9001"  # Chị Lan, officer of Ninh Kiều in the demo seed
OTHER_WARD = "9201"  # Anh Khoa, officer of Sóc Trăng
TRICKY = 'Rác "chất đống", ngay góc hẻm;\nmùi hôi\r\ncả tuần, đường Nguyễn Văn Cừ'
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
VI = Catalogues().get("vi")


def set_clock(clock: FixedClock, month: int, day: int, hour: int) -> None:
    clock.move(datetime(2026, month, day, hour, tzinfo=WARD_ZONE) - clock.now())


async def give_phone(uow_factory: UnitOfWorkFactory, external_id: str, phone: str) -> None:
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        await uow.session.execute(
            update(ResidentRow).where(ResidentRow.external_id == external_id).values(phone=phone)
        )
        await uow.commit()


async def file_guided(
    person: Person, category: str, text: str, alley: str, anonymous: bool
) -> None:
    await person.says("/report")
    await person.presses(f"rcat:{category}")
    await person.says(text)
    await person.presses("rnext")
    await person.presses(f"rwhere:{alley}")
    await person.presses("ranon:y" if anonymous else "ranon:n")
    assert "#" in await person.presses("rsend")


async def a_month_of_reports(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """Ninh Kiều in November: #1 litter, named, resolved in two days and rated 4; #2 lighting,
    anonymous, never answered. Sóc Trăng: #3, which Ninh Kiều's figures never count."""
    named, hidden, elsewhere = (
        Person(conversation, "42", "vi"),
        Person(conversation, "43", "vi"),
        Person(conversation, "44", "vi"),
    )
    await named.says("/start nk-hem-51")
    await hidden.says("/start nk-hem-132")
    await elsewhere.says("/start st-hem-30-thd")
    await give_phone(seeded, "42", "+84 912 345 678")
    await give_phone(seeded, "43", "+84 987 654 321")
    set_clock(clock, 11, 10, 9)
    await file_guided(named, "litter", TRICKY, "nk-hem-51", anonymous=False)
    await file_guided(hidden, "lighting", "Đèn tắt", "nk-hem-132", anonymous=True)
    await file_guided(elsewhere, "road", "Ổ gà", "st-hem-30-thd", anonymous=False)
    officer = Person(conversation, OFFICER, "vi")
    set_clock(clock, 11, 10, 12)
    await officer.says("/status 1 acknowledged")
    set_clock(clock, 11, 12, 9)
    await officer.says("/status 1 resolved")
    await named.presses("rfix:1:y")
    await named.presses("rrate:1:4")
    set_clock(clock, 11, 30, 8)


def documents(person: Person) -> list[Document]:
    return [r.document for r in person.last if r.document is not None]


def rows_of(document: Document) -> list[list[str]]:
    assert document.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel looks for
    return list(csv.reader(io.StringIO(document.content.decode("utf-8-sig"), newline="")))


async def test_an_officer_sees_the_months_figures_and_a_chart(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await a_month_of_reports(conversation, seeded, clock)
    officer = Person(conversation, OFFICER, "vi")

    text = await officer.says("/thongke")

    assert "📊 Phường Ninh Kiều, tháng 11/2026" in text
    assert "Đã nhận: 2; đã xử lý: 1" in text
    assert "Quá hạn: 1 trên 2 (50%)" in text
    assert "Xử lý đúng hạn: 1 trên 1 (100%)" in text
    assert "Thời gian xử lý (trung vị): 48,0 giờ" in text
    assert "Thời gian tiếp nhận (trung vị): 3,0 giờ" in text
    assert "4,0/5" in text
    for category in Category:
        assert VI.gettext(CATEGORY_NAMES[category]) in text
    assert "Hẻm 51 Đường 3 Tháng 2" in text
    assert "Sóc Trăng" not in text
    [picture] = [r.picture for r in officer.last if r.picture is not None]
    assert picture.filename == "stats-ninh-kieu-2026-11.png"
    assert picture.content.startswith(PNG_SIGNATURE)


async def test_a_period_can_be_named_and_a_bad_one_is_explained(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await a_month_of_reports(conversation, seeded, clock)
    officer = Person(conversation, OFFICER, "en")

    assert "Received: 0; resolved: 0" in await officer.says("/stats 2026-10")
    assert "Received: 2; resolved: 1" in await officer.says("/stats 2026")
    assert "the last 30 days" in await officer.says("/stats 30d")
    text = await officer.says("/stats 2026-13")

    assert "“2026-13”" in text and "/stats 2026-11" in text
    assert [r.picture for r in officer.last] == [None]


async def test_a_resident_is_refused_stats_and_export(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await a_month_of_reports(conversation, seeded, clock)
    resident = Person(conversation, "42", "en")

    for command in ("/stats", "/thongke 2026", "/export", "/xuat"):
        text = await resident.says(command)
        assert text.startswith("Only the ward's officers can use")
        assert all(r.picture is None and r.document is None for r in resident.last)


async def test_the_export_round_trips_the_text_and_hides_anonymous_reporters(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await a_month_of_reports(conversation, seeded, clock)
    officer = Person(conversation, OFFICER, "en")

    await officer.says("/export")

    reports, events = documents(officer)
    assert (reports.filename, events.filename) == (
        "reports-ninh-kieu-2026-11.csv",
        "events-ninh-kieu-2026-11.csv",
    )
    header, *rows = rows_of(reports)
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert list(by_number) == ["1", "2"]  # not Sóc Trăng's #3
    named, hidden = by_number["1"], by_number["2"]
    assert named["Description"] == TRICKY
    assert (named["Reporter"], named["Phone"]) == ("Cô Ba", "+84 912 345 678")
    assert (named["Category"], named["State"], named["Rating"]) == (
        "Litter or illegal dumping",
        "Resolved",
        "4",
    )
    assert (named["Filed"], named["Resolved"]) == ("2026-11-10 09:00", "2026-11-12 09:00")
    assert (hidden["Anonymous"], hidden["Reporter"], hidden["Phone"]) == ("yes", "", "")
    event_header, *trail = rows_of(events)
    assert event_header[:3] == ["Report", "Time", "Event"]
    assert [(row[0], row[2]) for row in trail if row[0] == "1"][:2] == [
        ("1", "filed"),
        ("1", "state changed"),
    ]
    assert "Chị Lan" in {row[5] for row in trail}


async def test_the_export_is_in_the_officers_language(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await a_month_of_reports(conversation, seeded, clock)
    officer = Person(conversation, OFFICER, "vi")

    await officer.says("/xuat 2026-11")

    header, *rows = rows_of(documents(officer)[0])
    assert header[:2] == ["Số", "Ngày gửi"]
    assert TRICKY in rows[0]
    assert "Phường Ninh Kiều, tháng 11/2026: 2 phản ánh." in officer.text


async def test_an_empty_export_says_so_and_sends_no_file(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    officer = Person(conversation, OTHER_WARD, "en")

    text = await officer.says("/export week")

    assert text == "Phường Sóc Trăng: no report was filed in the last 7 days."
    assert documents(officer) == []


async def test_a_resident_sees_their_wards_indicators_and_no_one_s_data(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await a_month_of_reports(conversation, seeded, clock)
    resident = Person(conversation, "43", "en")

    text = await resident.says("/indicators")

    assert text.startswith("📊 Phường Ninh Kiều, month 11/2026")
    assert "Received: 2; resolved: 1" in text
    assert "Resolved on time: 1 of 1 (100%)" in text
    assert "Satisfaction: 4.0/5 from 1 rating" in text
    assert "Your alleys:\n• Hẻm 132 Đường 3 Tháng 2: 1 received, 0 resolved" in text
    assert "acknowledge" not in text  # officers' figure
    for private in ("Cô Ba", "912", "987", "chất đống", "Đèn tắt", "#1", "Sóc Trăng"):
        assert private not in text


async def test_a_resident_who_follows_nothing_sees_every_ward_and_how_to_follow(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await a_month_of_reports(conversation, seeded, clock)
    stranger = Person(conversation, "77", "vi")

    text = await stranger.says("/chiso")

    assert "/subscribe" in text
    wards = dict(line.split(": ", 1) for line in text.splitlines()[1:])
    assert sorted(wards) == ["• Phường Ninh Kiều", "• Phường Sóc Trăng", "• Phường Thuận Hưng"]
    assert wards["• Phường Ninh Kiều"].startswith("nhận 2, xử lý 1, quá hạn 1")
    assert wards["• Phường Thuận Hưng"].startswith("nhận 0, xử lý 0, quá hạn 0")
