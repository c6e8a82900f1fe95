"""Reports with bounds that read well on Telegram: ten photos at most, shown as one album, and
officers' notices that stay one message however long the description."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core import limits
from storage.models import ReportPhotoRow
from storage.uow import SqlUnitOfWork
from tests.e2e.conftest import LAN
from tests.e2e.telegram_harness import bot_settings, running_bot
from tests.e2e.test_telegram_reports import ALLEY_51, CHI_LAN, follow_and_report, nth, press
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'bell.db'}"


async def test_a_report_takes_ten_photos_and_show_sends_them_as_one_album(
    fake: FakeTelegram, database: str
) -> None:
    settings = bot_settings(fake, database, telegram_per_chat_per_second=30)
    async with running_bot(settings) as app:
        fake.send_text(LAN, "/start nk-hem-51")
        await fake.wait_for_messages(LAN, 1)
        fake.send_text(LAN, "/report")
        press(fake, LAN, await nth(fake, LAN, 2), "Rác thải, đổ rác trái phép")
        await nth(fake, LAN, 3)
        fake.send_text(LAN, "Bãi rác tự phát đầu hẻm")
        await nth(fake, LAN, 4)
        for number in range(1, limits.PHOTOS + 3):
            fake.send_photo(LAN, f"pile-{number}")
            answered = await nth(fake, LAN, 4 + number)
        full = await nth(fake, LAN, 4 + limits.PHOTOS)
        press(fake, LAN, answered, "Tiếp")
        press(fake, LAN, await nth(fake, LAN, 4 + limits.PHOTOS + 3), ALLEY_51)
        press(fake, LAN, await nth(fake, LAN, 4 + limits.PHOTOS + 4), "Có, hiện tên tôi")
        press(fake, LAN, await nth(fake, LAN, 4 + limits.PHOTOS + 5), "Gửi phản ánh")
        await nth(fake, LAN, 4 + limits.PHOTOS + 6)
        await nth(fake, CHI_LAN, 1)

        fake.send_text(CHI_LAN, "/show 1")
        await fake.wait_for_calls("sendMediaGroup", 1)
        async with app.uow() as uow:
            assert isinstance(uow, SqlUnitOfWork)
            kept = list(await uow.session.scalars(select(ReportPhotoRow.file_ref)))

    assert full.text is not None and "tối đa" in full.text  # said when the tenth came
    assert answered.text is not None and "chưa được thêm" in answered.text
    assert sorted(kept) == sorted(f"pile-{n}" for n in range(1, limits.PHOTOS + 1))
    albums = fake.calls_of("sendMediaGroup")
    assert len(albums) == 1 and len(albums[0].params["media"]) == limits.PHOTOS
    assert [c for c in fake.calls_of("sendPhoto") if c.params.get("chat_id") == CHI_LAN] == []
    # The card, the album's caption and its ten photos: nothing a photo at a time.
    shown = fake.messages_to(CHI_LAN)[1:]
    assert [m.method for m in shown].count("sendMediaGroup") == limits.PHOTOS
    assert len(shown) == 2 + limits.PHOTOS


async def test_an_officers_notice_carries_the_start_of_a_long_report_and_show_the_rest(
    fake: FakeTelegram, database: str
) -> None:
    description = "Rác ngập lối đi. " * 110  # 1,870 characters
    async with running_bot(bot_settings(fake, database)):
        filed = await follow_and_report(fake, f"litter {description}")
        notice = await nth(fake, CHI_LAN, 1)
        fake.send_text(CHI_LAN, "/show 1")
        shown = await nth(fake, CHI_LAN, 2)

    assert filed.text is not None and "#1" in filed.text
    assert notice.text is not None and "/show 1" in notice.text
    assert description[: limits.NOTICE_EXCERPT].strip() in notice.text
    assert description.strip() not in notice.text
    assert len(fake.messages_to(CHI_LAN)) == 2  # the notice is one message
    assert shown.text is not None and description.strip() in shown.text
