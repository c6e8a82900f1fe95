"""The whole bot on Zalo, as a resident uses it: over HTTP against a fake Zalo Bot API."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select

from core.model import NewMessage
from storage.models import ProcessedUpdateRow, ResidentRow, SubscriptionRow
from storage.uow import SqlUnitOfWork
from tests.e2e.zalo_harness import BINH, LAN, running, zalo_settings
from tests.fakes.zalo import FakeZalo
from tests.support import FixedClock
from urbanbell.app import App
from urbanbell.startup import ServiceError

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WARDS = "1. Phường Ninh Kiều\n2. Phường Sóc Trăng\n3. Phường Thuận Hưng"
LEADS = "1. 10 phút\n2. 15 phút\n3. 30 phút\n4. 60 phút"


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'bell.db'}"


async def leads_of(app: App) -> dict[str, int]:
    async with app.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        rows = await uow.session.execute(
            select(ResidentRow.external_id, SubscriptionRow.lead_minutes).join(
                SubscriptionRow, SubscriptionRow.resident_id == ResidentRow.id
            )
        )
        return {f"{external_id}": lead for external_id, lead in rows}


async def test_a_newcomer_is_asked_for_the_posters_code_and_the_code_subscribes(
    zalo: FakeZalo, database: str
) -> None:
    async with running(zalo_settings(zalo, database)) as app:
        zalo.send_text(LAN, "Xin chào")
        [greeting] = await zalo.wait_for_messages(LAN, 1)
        zalo.send_text(LAN, "nk-hem-51")
        _, done = await zalo.wait_for_messages(LAN, 2)
        assert await leads_of(app) == {LAN: 15}

    assert greeting.text is not None
    assert "mã in trên tấm bảng" in greeting.text and greeting.text.endswith(WARDS)
    assert done.text is not None
    assert "Hẻm 51 Đường 3 Tháng 2" in done.text and done.text.endswith(LEADS)


async def test_a_digit_answers_the_numbered_options(zalo: FakeZalo, database: str) -> None:
    async with running(zalo_settings(zalo, database)) as app:
        zalo.send_text(LAN, "/start nk-hem-51")
        await zalo.wait_for_messages(LAN, 1)
        zalo.send_text(LAN, "4")
        _, done = await zalo.wait_for_messages(LAN, 2)
        assert await leads_of(app) == {LAN: 60}

    assert done.text is not None and "60 phút" in done.text


async def test_an_answer_that_is_no_option_gets_the_options_again(
    zalo: FakeZalo, database: str
) -> None:
    async with running(zalo_settings(zalo, database)):
        # Each typed once the answer before it is on the screen: what a number answers.
        zalo.send_text(LAN, "/language")
        await zalo.wait_for_messages(LAN, 1)
        zalo.send_text(LAN, "tiếng Pháp")
        await zalo.wait_for_messages(LAN, 2)
        zalo.send_text(LAN, "2")
        asked, again, switched = await zalo.wait_for_messages(LAN, 3)

    options = "1. Tiếng Việt\n2. English"
    assert asked.text is not None and asked.text.endswith(options)
    assert again.text is not None and again.text.endswith(options)
    assert again.text != asked.text  # it says why it asks again
    assert switched.text == "From now on I will speak English with you."


async def test_a_zalo_resident_hears_the_bell_before_the_truck(
    zalo: FakeZalo, database: str
) -> None:
    # Monday 30 November 2026: the truck reaches Hẻm 51 at 18:00, the bell rings at 17:45.
    clock = FixedClock(datetime(2026, 11, 30, 17, 0, tzinfo=VN))
    async with running(zalo_settings(zalo, database), clock) as app:
        zalo.send_text(LAN, "nk-hem-51")
        await zalo.wait_for_messages(LAN, 1)
        report = await app.planner().run()
        assert report.planned == 1
        clock.move(timedelta(minutes=45))
        _, bell = await zalo.wait_for_messages(LAN, 2)

    assert bell.text is not None
    assert "Hẻm 51 Đường 3 Tháng 2" in bell.text and "18:00" in bell.text


async def test_a_long_message_arrives_in_parts_of_at_most_2000_characters(
    zalo: FakeZalo, database: str
) -> None:
    paragraph = "Thông báo của phường về việc thu gom rác. " * 30  # 1,290 characters
    async with running(zalo_settings(zalo, database)) as app:
        zalo.send_text(LAN, "/help")
        await zalo.wait_for_messages(LAN, 1)
        async with app.uow() as uow:
            await uow.outbox.add(
                NewMessage(
                    "notice",
                    "zalo",
                    LAN,
                    {"text": f"{paragraph}\n\n{paragraph}\n\n{paragraph}", "choices": []},
                )
            )
            await uow.commit()
        *_, first, second, third = await zalo.wait_for_messages(LAN, 4)

    assert [len(m.text or "") for m in (first, second, third)] == [len(paragraph)] * 3


async def test_stickers_and_images_outside_a_dialogue_get_a_polite_answer(
    zalo: FakeZalo, database: str
) -> None:
    async with running(zalo_settings(zalo, database)):
        zalo.send_sticker(LAN)
        zalo.send_unsupported(LAN)
        replies = await zalo.wait_for_messages(LAN, 2)

    assert all("/help" in (r.text or "") for r in replies)


async def test_a_webhook_with_a_wrong_or_missing_secret_is_refused_and_nothing_is_processed(
    zalo: FakeZalo, database: str, unused_tcp_port: int
) -> None:
    url = f"http://127.0.0.1:{unused_tcp_port}/zalo"
    settings = zalo_settings(
        zalo,
        database,
        zalo_webhook_url=url,
        webhook_secret="right-secret",
        http_port=unused_tcp_port,
    )
    async with running(settings) as app:
        await zalo.wait_for_calls("setWebhook", 1)
        assert zalo.webhook is not None and zalo.webhook["secret_token"] == "right-secret"
        zalo.send_text(LAN, "/start nk-hem-51")
        [update] = zalo.take_pending()
        header = "X-Bot-Api-Secret-Token"
        async with httpx.AsyncClient() as client:
            wrong = await client.post(url, json=update, headers={header: "guess"})
            missing = await client.post(url, json=update)
            async with app.uow() as uow:
                assert isinstance(uow, SqlUnitOfWork)
                assert list(await uow.session.scalars(select(ProcessedUpdateRow))) == []
                assert list(await uow.session.scalars(select(ResidentRow))) == []
            right = await client.post(url, json=update, headers={header: "right-secret"})
            # Some deliveries wrap the update in `result`; the same update is answered once.
            wrapped = {"ok": True, "result": update}
            again = await client.post(url, json=wrapped, headers={header: "right-secret"})
        [reply] = await zalo.wait_for_messages(LAN, 1)
        assert await leads_of(app) == {LAN: 15}

    assert (wrong.status_code, missing.status_code) == (403, 403)
    assert (right.status_code, again.status_code) == (200, 200)
    assert reply.text is not None and "Hẻm 51" in reply.text
    assert len(zalo.messages_to(LAN)) == 1
    assert zalo.calls_of("getUpdates") == []  # no polling while the webhook is set


async def test_a_token_zalo_refuses_stops_start_up_naming_the_setting(
    zalo: FakeZalo, database: str
) -> None:
    settings = zalo_settings(zalo, database, zalo_token="0:wrong")
    with pytest.raises(ServiceError, match="URBANBELL_ZALO_TOKEN"):
        async with running(settings):
            pass


async def test_two_residents_are_told_apart_by_their_string_ids(
    zalo: FakeZalo, database: str
) -> None:
    async with running(zalo_settings(zalo, database)) as app:
        zalo.send_text(LAN, "nk-hem-51")
        zalo.send_text(BINH, "nk-hem-132", name="Anh Bình")
        await zalo.wait_for_messages(LAN, 1)
        await zalo.wait_for_messages(BINH, 1)
        assert await leads_of(app) == {LAN: 15, BINH: 15}

    assert "Hẻm 132" in (zalo.messages_to(BINH)[0].text or "")


async def test_a_failing_start_of_polling_is_tried_again_not_fatal(
    zalo: FakeZalo, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_sleep = asyncio.sleep

    async def brief(seconds: float) -> None:  # the back-off's seconds, made short
        await real_sleep(min(seconds, 0.05))

    monkeypatch.setattr(asyncio, "sleep", brief)
    zalo.fail_next("deleteWebhook", 502, "Bad Gateway")
    async with running(zalo_settings(zalo, database)):
        zalo.send_text(LAN, "nk-hem-51")
        [done] = await zalo.wait_for_messages(LAN, 1)
    assert done.text is not None and "Hẻm 51 Đường 3 Tháng 2" in done.text
