"""The Zalo messenger against the fake Zalo Bot API: what it sends, and what each failure means."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.channels.zalo.client import ZaloClient
from bot.channels.zalo.messenger import ZaloMessenger
from bot.chat.replies import Choice, Document, Reply
from core.model import PARTS_SENT, Outcome
from storage.models import OutboxRow, ResidentRow
from storage.uow import SqlUnitOfWork
from tests.e2e.test_telegram import eventually
from tests.e2e.zalo_harness import LAN, running, zalo_settings
from tests.fakes.zalo import FakeZalo


@pytest.fixture
async def messenger(zalo: FakeZalo) -> AsyncIterator[ZaloMessenger]:
    zalo.send_text(LAN, "xin chào")  # the fake knows a chat once its person has written
    client = ZaloClient(zalo.token, zalo.base_url)
    try:
        yield ZaloMessenger(client)
    finally:
        await client.close()


async def test_options_go_numbered_and_a_photo_by_its_url(
    messenger: ZaloMessenger, zalo: FakeZalo
) -> None:
    reply = Reply(
        "Đây là ảnh rác ở đầu hẻm.\nBạn muốn làm gì?",
        (Choice("Báo cáo", "r"), Choice("Bỏ qua", "cancel")),
        photo="https://example.com/rac.jpg",
    )
    delivery = await messenger.deliver(LAN, reply.to_payload())

    text, photo = zalo.messages_to(LAN)
    assert delivery.outcome is Outcome.SENT
    assert text.text == "Đây là ảnh rác ở đầu hẻm.\nBạn muốn làm gì?\n\n1. Báo cáo\n2. Bỏ qua"
    assert (photo.method, photo.photo) == ("sendPhoto", "https://example.com/rac.jpg")


async def test_a_file_zalo_cannot_carry_is_left_out_and_the_text_still_goes(
    messenger: ZaloMessenger, zalo: FakeZalo
) -> None:
    reply = Reply("Lịch thu gom", document=Document("nk-hem-51.ics", b"BEGIN:VCALENDAR"))
    delivery = await messenger.deliver(LAN, reply.to_payload())

    assert delivery.outcome is Outcome.SENT
    assert zalo.texts_to(LAN) == ["Lịch thu gom"]


async def test_long_text_goes_in_parts_zalo_accepts(
    messenger: ZaloMessenger, zalo: FakeZalo
) -> None:
    line = "Hẻm 51 Đường 3 Tháng 2: thứ Hai, thứ Tư, thứ Sáu lúc 18:00.\n"  # 60 characters
    delivery = await messenger.deliver(LAN, Reply(line * 80).to_payload())  # 4,800 characters

    parts = zalo.texts_to(LAN)
    assert delivery.outcome is Outcome.SENT
    assert [len(p) for p in parts] == [33 * 60 - 1, 33 * 60 - 1, 14 * 60]  # whole lines
    assert "\n".join(parts) == line * 80


@pytest.mark.parametrize("status_for_errors", [True, False], ids=["http-status", "http-200"])
async def test_each_zalo_error_becomes_an_outcome(
    messenger: ZaloMessenger, zalo: FakeZalo, status_for_errors: bool
) -> None:
    zalo.status_for_errors = status_for_errors
    payload = Reply("Chuông reo").to_payload()
    zalo.fail_next("sendMessage", 429)
    zalo.fail_next("sendMessage", 503)
    zalo.fail_next("sendMessage", 400, "Bad Request: text is invalid")

    quota = await messenger.deliver(LAN, payload)
    unavailable = await messenger.deliver(LAN, payload)
    refused = await messenger.deliver(LAN, payload)
    zalo.block(LAN)
    blocked = await messenger.deliver(LAN, payload)
    unknown = await messenger.deliver("no-such-chat", payload)

    assert quota.outcome is Outcome.RETRY_AFTER and quota.retry_after > 0
    assert unavailable.outcome is Outcome.RETRY
    assert refused.outcome is Outcome.FAILED and "text is invalid" in refused.reason
    assert blocked.outcome is Outcome.BLOCKED
    assert unknown.outcome is Outcome.BLOCKED
    assert zalo.texts_to(LAN) == []


async def test_a_server_that_cannot_be_reached_is_safe_to_try_again() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = ZaloClient("1:t", f"http://127.0.0.1:{port}/bot")
    try:
        delivery = await ZaloMessenger(client).deliver(LAN, Reply("hi").to_payload())
    finally:
        await client.close()
    assert delivery.outcome is Outcome.RETRY


async def test_quota_exceeded_pauses_sending_then_it_goes_on(
    zalo: FakeZalo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.channels.zalo.messenger.QUOTA_WAIT", 1.0)
    zalo.fail_next("sendMessage", 429)
    async with running(zalo_settings(zalo, f"sqlite+aiosqlite:///{tmp_path / 'b.db'}")):
        zalo.send_text(LAN, "/help")
        [reply] = await zalo.wait_for_messages(LAN, 1)

    refused, delivered = zalo.calls_of("sendMessage")
    assert (refused.error_code, delivered.error_code) == (429, 0)
    assert delivered.at - refused.at >= 1.0
    assert reply.text is not None and reply.text.startswith("Tôi có thể giúp bạn")


async def test_a_resident_who_blocked_the_bot_is_marked_inactive(
    zalo: FakeZalo, tmp_path: Path
) -> None:
    async with running(zalo_settings(zalo, f"sqlite+aiosqlite:///{tmp_path / 'b.db'}")) as app:
        zalo.send_text(LAN, "nk-hem-51")
        await zalo.wait_for_messages(LAN, 1)
        zalo.send_text(LAN, "/mine")
        zalo.block(LAN)  # she writes, then blocks the bot before the answer leaves
        await zalo.wait_for_calls("sendMessage", 2)

        async def recorded() -> tuple[bool, list[str]]:
            async with app.uow() as uow:
                assert isinstance(uow, SqlUnitOfWork)
                resident = (await uow.session.scalars(select(ResidentRow))).one()
                rows = await uow.session.scalars(select(OutboxRow).order_by(OutboxRow.id))
                return resident.active, [r.status for r in rows]

        blocked = (False, ["sent", "failed"])
        assert await eventually(recorded, blocked) == blocked


async def test_sent_again_a_message_sends_only_the_parts_that_did_not_arrive(
    messenger: ZaloMessenger, zalo: FakeZalo
) -> None:
    payload = Reply("Rác ở đầu hẻm", photo="https://example.com/rac.jpg").to_payload()
    zalo.fail_next("sendPhoto", 503, "Service Unavailable")
    first = await messenger.deliver(LAN, payload)
    assert (first.outcome, first.parts_sent) == (Outcome.RETRY, 1)

    again = await messenger.deliver(LAN, {**payload, PARTS_SENT: first.parts_sent})
    assert again.outcome is Outcome.SENT
    assert [m.text for m in zalo.messages_to(LAN)].count("Rác ở đầu hẻm") == 1
    assert len(zalo.messages_to(LAN)) == 2
