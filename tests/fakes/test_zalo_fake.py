"""The fake Zalo Bot API speaks the documented protocol, over real HTTP: POST JSON, `{ok, ...}`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.fakes.zalo import FakeZalo

LAN = "6ede9afa6a7d2a3c1b54"
BINH = "2d758cb5e222177a4e33"


@pytest.fixture
async def fake() -> AsyncIterator[FakeZalo]:
    async with FakeZalo() as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


async def call(
    http: httpx.AsyncClient, fake: FakeZalo, method: str, **params: Any
) -> tuple[int, dict[str, Any]]:
    response = await http.post(f"{fake.base_url}{fake.token}/{method}", json=params)
    body: dict[str, Any] = response.json()
    return response.status_code, body


async def test_get_me_names_the_bot_and_a_wrong_token_is_refused(
    fake: FakeZalo, http: httpx.AsyncClient
) -> None:
    _, me = await call(http, fake, "getMe")
    refused = await http.post(f"{fake.base_url}0:wrong/getMe", json={})

    assert me == {"ok": True, "result": fake.bot}
    assert refused.status_code == 401
    assert refused.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_get_updates_hands_out_one_update_per_call_in_order(
    fake: FakeZalo, http: httpx.AsyncClient
) -> None:
    first = fake.send_text(LAN, "xin chào", name="Chị Lan")
    fake.send_image(BINH, "https://example.com/rac.jpg", caption="rác ở đầu hẻm")

    _, one = await call(http, fake, "getUpdates", timeout="1")
    _, two = await call(http, fake, "getUpdates", timeout="1")

    assert one["ok"] and two["ok"]
    text = one["result"]
    assert text["event_name"] == "message.text.received"
    assert text["message"]["message_id"] == first
    assert text["message"]["text"] == "xin chào"
    assert text["message"]["from"] == {"id": LAN, "display_name": "Chị Lan", "is_bot": False}
    assert text["message"]["chat"] == {"id": LAN, "chat_type": "PRIVATE"}
    assert isinstance(text["message"]["date"], int) and text["message"]["date"] > 10**12  # ms
    image = two["result"]
    assert image["event_name"] == "message.image.received"
    assert image["message"]["photo_url"] == "https://example.com/rac.jpg"
    assert image["message"]["caption"] == "rác ở đầu hẻm"


async def test_an_empty_poll_ends_with_408_after_its_timeout(
    fake: FakeZalo, http: httpx.AsyncClient
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    status, body = await call(http, fake, "getUpdates", timeout="1")

    assert loop.time() - started >= 0.9
    assert (status, body["ok"], body["error_code"]) == (408, False, 408)


async def test_a_waiting_poll_returns_as_soon_as_a_person_writes(
    fake: FakeZalo, http: httpx.AsyncClient
) -> None:
    polling = asyncio.create_task(call(http, fake, "getUpdates", timeout="30"))
    await fake.wait_for_long_poll()
    fake.send_sticker(LAN)
    _, body = await asyncio.wait_for(polling, 5)

    assert body["result"]["event_name"] == "message.sticker.received"
    assert fake.long_polls == 0


async def test_the_timeout_must_be_a_string(fake: FakeZalo, http: httpx.AsyncClient) -> None:
    status, body = await call(http, fake, "getUpdates", timeout=1)
    assert (status, body["error_code"]) == (400, 400)


async def test_polling_is_refused_while_a_webhook_is_set(
    fake: FakeZalo, http: httpx.AsyncClient
) -> None:
    _, short = await call(http, fake, "setWebhook", url="https://x.example/zalo", secret_token="s")
    _, set_ = await call(
        http, fake, "setWebhook", url="https://x.example/zalo", secret_token="a-long-secret"
    )
    _, info = await call(http, fake, "getWebhookInfo")
    refused, _ = await call(http, fake, "getUpdates", timeout="1")
    await call(http, fake, "deleteWebhook")
    _, after = await call(http, fake, "getWebhookInfo")

    assert short["ok"] is False  # Zalo wants 8 to 256 characters
    assert set_["ok"] and info["result"]["url"] == "https://x.example/zalo"
    assert fake.webhook is None and after["result"]["url"] == ""
    assert refused == 400


async def test_sent_messages_are_recorded_and_text_is_limited_to_2000_characters(
    fake: FakeZalo, http: httpx.AsyncClient
) -> None:
    fake.send_text(LAN, "/start")
    _, ok = await call(http, fake, "sendMessage", chat_id=LAN, text="Chào bạn!")
    _, too_long = await call(http, fake, "sendMessage", chat_id=LAN, text="x" * 2001)
    _, number_id = await call(http, fake, "sendMessage", chat_id=123, text="hi")
    _, photo = await call(
        http, fake, "sendPhoto", chat_id=LAN, photo="https://example.com/a.jpg", caption="Ảnh"
    )
    _, typing = await call(http, fake, "sendChatAction", chat_id=LAN, action="typing")
    _, unknown = await call(http, fake, "sendMessage", chat_id="nobody", text="hi")

    assert ok["ok"] and isinstance(ok["result"]["message_id"], str)
    assert (too_long["ok"], number_id["ok"], unknown["error_code"]) == (False, False, 404)
    assert photo["ok"] and typing["ok"]
    assert fake.texts_to(LAN) == ["Chào bạn!", "Ảnh"]
    assert fake.messages_to(LAN)[1].photo == "https://example.com/a.jpg"
    assert fake.chat_actions == [(LAN, "typing")]


async def test_errors_can_be_injected_and_a_blocked_person_refuses_until_they_write(
    fake: FakeZalo, http: httpx.AsyncClient
) -> None:
    fake.send_text(LAN, "/start")
    fake.fail_next("sendMessage", 429)
    fake.block(LAN)

    quota, _ = await call(http, fake, "sendMessage", chat_id=LAN, text="1")
    blocked, body = await call(http, fake, "sendMessage", chat_id=LAN, text="2")
    fake.send_text(LAN, "tôi quay lại")
    back, _ = await call(http, fake, "sendMessage", chat_id=LAN, text="3")

    assert (quota, blocked, back) == (429, 403, 200)
    assert body["description"].startswith("Forbidden")
    assert fake.texts_to(LAN) == ["3"]
    assert [c.error_code for c in fake.calls_of("sendMessage")] == [429, 403, 0]


async def test_errors_may_come_with_http_200_as_some_gateways_answer(
    fake: FakeZalo, http: httpx.AsyncClient
) -> None:
    fake.status_for_errors = False
    status, body = await call(http, fake, "sendMessage", chat_id=LAN, text="hi")
    assert (status, body["ok"], body["error_code"]) == (200, False, 404)


async def test_an_update_can_be_taken_for_a_webhook_post(fake: FakeZalo) -> None:
    message_id = fake.send_text(LAN, "hem 51")
    [pending] = fake.take_pending()

    assert pending == fake.update_json(message_id)
    assert pending["message"]["text"] == "hem 51"
