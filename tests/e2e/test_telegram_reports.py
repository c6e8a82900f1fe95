"""Reports and their triage on Telegram: real python-telegram-bot over HTTP to the fake Bot API."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core.model import Role
from storage.models import OutboxRow, ReportEventRow, ReportPhotoRow, ReportRow
from storage.uow import SqlUnitOfWork
from tests.e2e.conftest import LAN
from tests.e2e.telegram_harness import bot_settings, buttons, running_bot
from tests.fakes.telegram import FakeTelegram, Sent
from urbanbell.app import App

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CHI_LAN, ANH_TUAN = 9001, 9002  # officer and admin of Phường Ninh Kiều
ANH_KHOA = 9201  # officer of Phường Sóc Trăng
NEIGHBOUR = 42  # a resident who is no officer
OFFICERS_GROUP = -1001234567890
# Telegram's stand-ins for hidden senders: the anonymous group admin and channel posts.
ANONYMOUS_ADMIN, CHANNEL_POSTS = 1087968824, 777000
ALLEY_51 = "Hẻm 51 Đường 3 Tháng 2 (Phường Ninh Kiều)"


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'bell.db'}"


def press(fake: FakeTelegram, user: int, message: Sent, label: str) -> None:
    """Press the button labelled `label` under `message`, as `user`."""
    data = dict(buttons(message)).get(label)
    assert data is not None, f"no button {label!r} under {message.text!r}: {buttons(message)}"
    fake.press(user, data, message_id=message.message_id, chat_id=message.chat_id)


async def nth(fake: FakeTelegram, chat_id: int, count: int) -> Sent:
    """The `count`-th message the bot sent to the chat, once it is there."""
    return (await fake.wait_for_messages(chat_id, count))[count - 1]


async def report_row(app: App, number: int) -> ReportRow:
    async with app.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        row = await uow.session.get(ReportRow, number)
        assert row is not None
        uow.session.expunge(row)  # readable after the unit of work closes
        return row


async def queued(app: App) -> list[str]:
    """The chat of every message the bot has queued, in order."""
    async with app.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        return list(await uow.session.scalars(select(OutboxRow.chat_id).order_by(OutboxRow.id)))


async def follow_and_report(fake: FakeTelegram, words: str) -> Sent:
    """The resident follows Hẻm 51, files `/report <words>` and gets her number."""
    fake.send_text(LAN, "/start nk-hem-51")
    await fake.wait_for_messages(LAN, 1)
    fake.send_text(LAN, f"/report {words}")
    return await nth(fake, LAN, 2)


async def test_a_guided_report_with_a_photo_reaches_the_wards_officers_only(
    fake: FakeTelegram, database: str
) -> None:
    async with running_bot(bot_settings(fake, database)) as app:
        fake.send_text(LAN, "/start nk-hem-51")
        await fake.wait_for_messages(LAN, 1)
        fake.send_text(LAN, "/report")
        press(fake, LAN, await nth(fake, LAN, 2), "Chiếu sáng đường phố")
        await nth(fake, LAN, 3)
        fake.send_text(LAN, "Đèn trước nhà số 12 tắt cả tuần nay")
        await nth(fake, LAN, 4)
        fake.send_photo(LAN, "lamp-12")
        added = await nth(fake, LAN, 5)
        assert added.text is not None and added.text.startswith("Đã thêm 1 ảnh")
        press(fake, LAN, added, "Tiếp")
        press(fake, LAN, await nth(fake, LAN, 6), ALLEY_51)
        press(fake, LAN, await nth(fake, LAN, 7), "Có, hiện tên tôi")
        confirm = await nth(fake, LAN, 8)
        assert confirm.text is not None and "Đèn trước nhà số 12" in confirm.text
        press(fake, LAN, confirm, "Gửi phản ánh")
        filed = await nth(fake, LAN, 9)
        notices = [await nth(fake, officer, 1) for officer in (CHI_LAN, ANH_TUAN)]
        await fake.wait_for_calls("answerCallbackQuery", 5)

        row = await report_row(app, 1)
        async with app.uow() as uow:
            assert isinstance(uow, SqlUnitOfWork)
            photos = list(await uow.session.scalars(select(ReportPhotoRow.file_ref)))
        chats = await queued(app)

    assert filed.text is not None and "#1" in filed.text
    assert (row.category, row.state, row.anonymous) == ("lighting", "new", False)
    assert photos == ["lamp-12"]  # the largest size of the photo, not its thumbnail
    for notice in notices:
        assert notice.text is not None and "#1" in notice.text
        assert "Đèn trước nhà số 12 tắt cả tuần nay" in notice.text and "Lan" in notice.text
        assert "/show 1" in notice.text  # its photo is one command away
        assert ("Tiếp nhận", "rs:1:acknowledged") in buttons(notice)
        assert ("Giao cho tôi", "rme:1") in buttons(notice)
    assert str(ANH_KHOA) not in chats and fake.messages_to(ANH_KHOA) == []


async def test_officers_move_a_report_and_the_reporter_opens_it_again(
    fake: FakeTelegram, database: str
) -> None:
    async with running_bot(bot_settings(fake, database)) as app:
        await follow_and_report(fake, "den đèn số 12 tắt")
        press(fake, CHI_LAN, await nth(fake, CHI_LAN, 1), "Tiếp nhận")
        acknowledged = await nth(fake, LAN, 3)
        await nth(fake, CHI_LAN, 2)
        fake.send_text(CHI_LAN, "/status 1 resolved đã thay bóng đèn")
        resolved, asked = await nth(fake, LAN, 4), await nth(fake, LAN, 5)
        press(fake, LAN, asked, "Chưa, vẫn chưa khắc phục")
        await nth(fake, LAN, 6)
        fake.send_text(LAN, "Đèn vẫn tắt tối qua")
        reopened_here = await nth(fake, LAN, 7)
        told = [await nth(fake, CHI_LAN, 4), await nth(fake, ANH_TUAN, 2)]
        row = await report_row(app, 1)

    assert acknowledged.text is not None and "#1" in acknowledged.text
    assert "Đã tiếp nhận" in acknowledged.text
    assert resolved.text is not None and "Đã xử lý xong" in resolved.text
    assert "đã thay bóng đèn" in resolved.text  # the officer's note reaches the reporter
    assert asked.text is not None and "#1" in asked.text
    assert ("Rồi, đã khắc phục", "rfix:1:y") in buttons(asked)
    assert reopened_here.text is not None and "#1" in reopened_here.text
    for notice in told:
        assert notice.text is not None and notice.text.startswith("🔁")
        assert "#1" in notice.text and "Đèn vẫn tắt tối qua" in notice.text
    assert (row.state, row.resolved_at) == ("acknowledged", None)


async def test_a_long_report_with_markup_characters_reaches_officers_exactly(
    fake: FakeTelegram, database: str
) -> None:
    words = [f"<b>&_*[{i}] rác <i>ở</i> đầu hẻm & *không* _ai_ dọn" for i in range(30)]
    description = " ".join(words)
    assert 500 < len(description) <= 2000
    async with running_bot(bot_settings(fake, database)) as app:
        filed = await follow_and_report(fake, f"litter {description}")
        notice = await nth(fake, CHI_LAN, 1)
        fake.send_text(CHI_LAN, "/show 1")
        shown = await nth(fake, CHI_LAN, 2)
        row = await report_row(app, 1)

    assert filed.text is not None and "#1" in filed.text
    assert row.description == description
    assert notice.text is not None and description[:400] in notice.text
    assert shown.text is not None and description in shown.text
    for sent in (notice, shown):
        assert "parse_mode" not in sent.params


async def test_forged_buttons_and_hidden_senders_change_no_report(
    fake: FakeTelegram, database: str
) -> None:
    async with running_bot(bot_settings(fake, database)) as app:
        await follow_and_report(fake, "litter rác đổ ở đầu hẻm")
        # Even seeded by mistake as officers, the hidden senders stay nobody in particular.
        async with app.uow() as uow:
            ward = await uow.wards.by_code("ninh-kieu")
            assert ward is not None
            for hidden in (ANONYMOUS_ADMIN, CHANNEL_POSTS):
                await uow.officers.upsert(ward, "telegram", str(hidden), Role.ADMIN, "?")
            await uow.commit()
        fake.send_text(NEIGHBOUR, "/start nk-hem-51")
        await fake.wait_for_messages(NEIGHBOUR, 1)
        fake.press(NEIGHBOUR, "rs:1:resolved")
        for hidden in (ANONYMOUS_ADMIN, CHANNEL_POSTS):
            fake.send_text(
                hidden, "/status 1 resolved", chat_id=OFFICERS_GROUP, chat_type="supergroup"
            )
        _, forged = await fake.wait_for_messages(NEIGHBOUR, 2)
        refusals = await fake.wait_for_messages(OFFICERS_GROUP, 2)
        await fake.wait_for_calls("answerCallbackQuery", 1)
        row = await report_row(app, 1)
        async with app.uow() as uow:
            assert isinstance(uow, SqlUnitOfWork)
            events = list(await uow.session.scalars(select(ReportEventRow.kind)))
        chats = await queued(app)

    assert forged.text == "Không có phản ánh #1 trong phường của anh/chị."
    assert [r.text for r in refusals] == ["Chỉ cán bộ phường mới dùng được lệnh /status."] * 2
    assert (row.state, row.resolved_at, row.acknowledged_at) == ("new", None, None)
    assert events == ["filed"]
    assert chats.count(str(LAN)) == len(fake.messages_to(LAN)) == 2  # /start, #1


async def test_a_linked_officers_group_gets_the_next_report_instead_of_private_chats(
    fake: FakeTelegram, database: str
) -> None:
    async with running_bot(bot_settings(fake, database)) as app:
        # An officer may not send the ward's reports to a group; its admin may.
        fake.send_text(CHI_LAN, "/linkofficers", chat_id=OFFICERS_GROUP, chat_type="supergroup")
        refused = await nth(fake, OFFICERS_GROUP, 1)
        fake.send_text(ANH_TUAN, "/linkofficers", chat_id=OFFICERS_GROUP, chat_type="supergroup")
        linked = await nth(fake, OFFICERS_GROUP, 2)
        await follow_and_report(fake, "drainage cống trước nhà số 7 bị tắc")
        notice = await nth(fake, OFFICERS_GROUP, 3)
        press(fake, CHI_LAN, notice, "Tiếp nhận")  # pressed in the group, by an officer
        acknowledged = await nth(fake, LAN, 3)
        chats = await queued(app)

    assert refused.text is not None and "Phường Ninh Kiều" not in refused.text
    assert linked.text is not None and "Phường Ninh Kiều" in linked.text
    assert notice.text is not None and "#1" in notice.text and "cống trước nhà số 7" in notice.text
    assert acknowledged.text is not None and "Đã tiếp nhận" in acknowledged.text
    assert str(CHI_LAN) not in chats and str(ANH_TUAN) not in chats
    assert fake.messages_to(CHI_LAN) == fake.messages_to(ANH_TUAN) == []
