"""Volunteer calls and announcements on Telegram: real python-telegram-bot over HTTP against the
fake Bot API, as an organiser, an officer and residents would use them."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import LAN
from tests.e2e.telegram_harness import bot_settings, buttons, running_bot
from tests.fakes.telegram import FakeTelegram, Sent

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CHI_HOA = 9101  # organiser of Phường Thuận Hưng in the demo seed
CHI_LAN = 9001  # officer of Phường Ninh Kiều
NEIGHBOUR, BLOCKER = 1002, 1003


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'bell.db'}"


def press(fake: FakeTelegram, user: int, message: Sent, label: str) -> None:
    """Press the button labelled `label` under `message`, as `user`, in English."""
    data = dict(buttons(message)).get(label)
    assert data is not None, f"no button {label!r} under {message.text!r}: {buttons(message)}"
    fake.press(
        user, data, message_id=message.message_id, chat_id=message.chat_id, language_code="en"
    )


async def answer(fake: FakeTelegram, chat: int, count: int) -> Sent:
    """The `count`-th message the bot sent to the chat, once it has."""
    return (await fake.wait_for_messages(chat, count))[count - 1]


async def test_an_organiser_calls_volunteers_and_a_resident_joins_with_buttons(
    fake: FakeTelegram, database: str
) -> None:
    day = (datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) + timedelta(days=3)).date()
    async with running_bot(bot_settings(fake, database)):
        fake.send_text(LAN, "/start th-hem-3-ql91", language_code="en")
        await answer(fake, LAN, 1)

        fake.send_text(CHI_HOA, "/newcall", language_code="en")
        kind = await answer(fake, CHI_HOA, 1)
        press(fake, CHI_HOA, kind, "clean-up")
        await answer(fake, CHI_HOA, 2)
        for number, text in enumerate(
            ["Dọn hẻm 3", f"{day} 07:00-10:00", "Đầu hẻm 3", "3"], start=3
        ):
            fake.send_text(CHI_HOA, text, language_code="en")
            await answer(fake, CHI_HOA, number)
        press(fake, CHI_HOA, await answer(fake, CHI_HOA, 6), "Until it starts")
        press(fake, CHI_HOA, await answer(fake, CHI_HOA, 7), "Nothing special")
        press(fake, CHI_HOA, await answer(fake, CHI_HOA, 8), "The whole ward")
        preview = await answer(fake, CHI_HOA, 9)
        assert preview.text is not None and "🤝 Dọn hẻm 3" in preview.text
        assert "It goes to 1 resident" in preview.text
        press(fake, CHI_HOA, preview, "Send it")
        opened = await answer(fake, CHI_HOA, 10)
        assert opened.text == (
            "Call #1 is open; 1 resident is being invited. Send /calls to see who signs up."
        )

        invitation = await answer(fake, LAN, 2)
        assert invitation.text is not None and invitation.text.startswith("🤝 Volunteers wanted!")
        assert buttons(invitation) == [("I'll join", "join:1"), ("I can't", "decline:1")]
        press(fake, LAN, invitation, "I'll join")
        joined = await answer(fake, LAN, 3)
        assert joined.text is not None and joined.text.startswith("Thank you! You have a place")
        calendar = await answer(fake, LAN, 4)  # the event for her phone, buttons under it
        assert calendar.method == "sendDocument"
        assert buttons(calendar) == [("I can't come after all", "leave:1")]

        # Someone forging a button for a call that does not exist changes nothing.
        fake.press(NEIGHBOUR, "join:99", chat_id=LAN, language_code="en")
        fake.send_text(CHI_HOA, "/calls", language_code="en")
        listed = await answer(fake, CHI_HOA, 11)
        assert listed.text is not None and "1 of 3 joined" in listed.text
        press(fake, CHI_HOA, listed, "#1 Dọn hẻm 3")
        shown = await answer(fake, CHI_HOA, 12)
        assert shown.text is not None and "Joined (1 of 3):\n1. Lan" in shown.text


async def test_an_officer_announces_and_is_told_who_got_it(
    fake: FakeTelegram, database: str
) -> None:
    async with running_bot(bot_settings(fake, database)):
        for resident in (LAN, NEIGHBOUR, BLOCKER):
            fake.send_text(resident, "/start nk-hem-51", language_code="en")
            await answer(fake, resident, 1)
        fake.send_text(NEIGHBOUR, "/mute", language_code="en")
        press(fake, NEIGHBOUR, await answer(fake, NEIGHBOUR, 2), "Mute announcements")
        await answer(fake, NEIGHBOUR, 3)
        fake.block(BLOCKER)

        fake.send_text(CHI_LAN, "/announce", language_code="en")
        press(fake, CHI_LAN, await answer(fake, CHI_LAN, 1), "The whole ward")
        asked = await answer(fake, CHI_LAN, 2)
        assert asked.text is not None
        assert asked.text.startswith("It will reach 2 residents; 1 more have muted announcements.")
        fake.send_text(CHI_LAN, "Cúp nước sáng thứ Bảy, 8:00-11:00.", language_code="en")
        preview = await answer(fake, CHI_LAN, 3)
        assert preview.text is not None and preview.text.endswith(
            "📢 Phường Ninh Kiều announces:\n\nCúp nước sáng thứ Bảy, 8:00-11:00."
        )
        press(fake, CHI_LAN, preview, "Send it")
        assert (await answer(fake, CHI_LAN, 4)).text == (
            "Announcement #1 is on its way to 2 residents. I will tell you when it has gone out."
        )

        heard = await answer(fake, LAN, 2)
        assert heard.text == "📢 Phường Ninh Kiều announces:\n\nCúp nước sáng thứ Bảy, 8:00-11:00."
        assert buttons(heard) == [("Mute announcements", "mute:on")]
        summary = await fake.wait_for_messages(CHI_LAN, 5, timeout=20)
        assert summary[4].text == (
            "📢 Announcement #1 has gone out to 2 residents: 1 delivered, "
            "1 have blocked the bot, 0 failed."
        )
    assert len(fake.messages_to(NEIGHBOUR)) == 3  # muted: no announcement


async def test_the_menus_offer_volunteering_to_residents_and_calls_to_organisers(
    fake: FakeTelegram, database: str
) -> None:
    async with running_bot(bot_settings(fake, database)):
        await fake.wait_for_calls("setMyCommands", 2 + 2 * 4)  # everyone + four officers

    everyone = [c["command"] for c in fake.commands_for()]
    chi_hoa = [c["command"] for c in fake.commands_for({"type": "chat", "chat_id": CHI_HOA})]
    chi_lan = [c["command"] for c in fake.commands_for({"type": "chat", "chat_id": CHI_LAN})]
    assert {"volunteer", "mute"} <= set(everyone) and "newcall" not in everyone
    assert {"newcall", "calls", "offers"} <= set(chi_hoa) and "announce" not in chi_hoa
    assert "announce" in chi_lan and "newcall" not in chi_lan


async def test_a_ward_of_300_alleys_is_picked_from_a_page_at_a_time_or_by_name(
    fake: FakeTelegram, database: str
) -> None:
    async with running_bot(bot_settings(fake, database)) as app:
        async with app.uow() as uow:
            ward = await uow.wards.by_code("ninh-kieu")
            assert ward is not None
            for n in range(1000, 1300):
                await uow.alleys.upsert(ward, f"nk-{n}", f"Hẻm {n} Đường Mậu Thân", None, (), ())
            await uow.commit()
        fake.send_text(LAN, "/start nk-hem-51", language_code="en")
        await answer(fake, LAN, 1)

        fake.send_text(CHI_LAN, "/announce", language_code="en")
        first = await answer(fake, CHI_LAN, 1)
        assert first.text is not None and "Alleys 1 to 20 of 305." in first.text
        assert "Type part of a name to find an alley." in first.text
        labels = [label for label, _ in buttons(first)]
        assert labels[0] == "The whole ward" and labels[-1] == "More alleys…"
        assert len(labels) == 22

        press(fake, CHI_LAN, first, "More alleys…")
        second = await answer(fake, CHI_LAN, 2)
        assert second.text is not None and "Alleys 21 to 40 of 305." in second.text
        assert not set(buttons(second)) & set(buttons(first)[1:-1])

        fake.send_text(CHI_LAN, "hem 51", language_code="en")
        found = await answer(fake, CHI_LAN, 3)
        assert found.text is not None and "1 alley matches “hem 51”." in found.text
        press(fake, CHI_LAN, found, "▫️ Hẻm 51 Đường 3 Tháng 2")
        ticked = await answer(fake, CHI_LAN, 4)
        assert "✅ Hẻm 51 Đường 3 Tháng 2" in dict(buttons(ticked))
        press(fake, CHI_LAN, ticked, "Done: this alley")
        asked = await answer(fake, CHI_LAN, 5)
        assert asked.text is not None and asked.text.startswith("It will reach 1 resident;")

    for message in fake.messages_to(CHI_LAN):
        data = [value for _, value in buttons(message)]
        assert len(data) <= 100 and all(len(value.encode()) <= 64 for value in data)
