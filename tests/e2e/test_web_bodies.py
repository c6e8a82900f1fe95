"""The web server of `urbanbell run` against careless or hostile callers that know the secret:
bodies past 1 MB are refused before they are read, anything but a JSON object is a 400, and no
body gives a 500."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.e2e.telegram_harness import running_bot
from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo
from urbanbell.settings import Settings

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SECRET = "right-secret"
HEADERS = {  # each platform's webhook path and the header its secret comes in
    "/telegram": "X-Telegram-Bot-Api-Secret-Token",
    "/zalo": "X-Bot-Api-Secret-Token",
}
HUGE = 200 * 1024 * 1024
CHUNK = 64 * 1024
DEEP = 100_000


@dataclass(frozen=True)
class Server:
    port: int

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
async def server(
    fake: FakeTelegram, zalo: FakeZalo, tmp_path: Path, unused_tcp_port: int
) -> AsyncIterator[Server]:
    """Both platforms' webhooks on one web server, as `urbanbell run` serves them."""
    base = f"http://127.0.0.1:{unused_tcp_port}"
    settings = Settings.model_validate(
        {
            "database_url": f"sqlite+aiosqlite:///{tmp_path / 'bell.db'}",
            "telegram_token": fake.token,
            "telegram_api_url": fake.base_url,
            "telegram_webhook_url": f"{base}/telegram",
            "zalo_token": zalo.token,
            "zalo_api_url": zalo.base_url,
            "zalo_webhook_url": f"{base}/zalo",
            "webhook_secret": SECRET,
            "http_port": unused_tcp_port,
        }
    )
    async with running_bot(settings):
        await fake.wait_for_calls("setWebhook", 1)
        await zalo.wait_for_calls("setWebhook", 1)
        yield Server(unused_tcp_port)


def chunks(total: int) -> Iterator[bytes]:
    block = b"x" * CHUNK
    for _ in range(total // CHUNK):
        yield block


async def post_raw(
    server: Server, path: str, body: Iterator[bytes], length: int | None
) -> tuple[int, int]:
    """POST `body` over a bare connection, as fast as the server takes it; the status answered
    and how many bytes the server had taken by then."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    framing = f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"{HEADERS[path]}: {SECRET}\r\n{framing}\r\n\r\n"
    )
    writer.write(head.encode())
    answer = asyncio.create_task(reader.readline())
    sent = 0
    try:
        for block in body:
            if answer.done():
                break
            writer.write(block if length is not None else b"%x\r\n%b\r\n" % (len(block), block))
            await writer.drain()
            sent += len(block)
        if length is None and not answer.done():
            writer.write(b"0\r\n\r\n")
            await writer.drain()
    except ConnectionError:
        pass  # the server answered and closed while the body was still coming
    status_line = await asyncio.wait_for(answer, 60)
    writer.close()
    return int(status_line.split()[1]), sent


@pytest.mark.parametrize("path", list(HEADERS))
async def test_a_200_mb_body_with_its_length_declared_is_refused_unread(
    server: Server, path: str
) -> None:
    status, sent = await post_raw(server, path, chunks(HUGE), HUGE)

    assert status == 413
    assert sent < 32 * 1024 * 1024  # what the sockets' buffers took before the answer came


@pytest.mark.parametrize("path", list(HEADERS))
async def test_a_200_mb_body_without_a_length_is_refused_past_the_first_megabyte(
    server: Server, path: str
) -> None:
    status, sent = await post_raw(server, path, chunks(HUGE), None)

    assert status == 413
    assert sent < 32 * 1024 * 1024


NOT_AN_OBJECT = {
    "list": b"[]",
    "null": b"null",
    "string": b'"hello"',
    "number": b"7",
    "not json": b"{update_id: 1",
    "not utf-8": b'{"update_id": "\xff"}',
    "deep list": b"[" * DEEP + b"]" * DEEP,
    "deep object": b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    "object 40 deep": b'{"a":' * 40 + b"1" + b"}" * 40,
}


@pytest.mark.parametrize("path", list(HEADERS))
@pytest.mark.parametrize("body", list(NOT_AN_OBJECT.values()), ids=list(NOT_AN_OBJECT))
async def test_anything_but_a_json_object_of_modest_depth_is_a_400(
    server: Server, path: str, body: bytes
) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(
            server.url(path), content=body, headers={HEADERS[path]: SECRET}
        )

    assert response.status_code == 400


ODD_OBJECTS = {
    "empty": {},
    "update id a word": {"update_id": "one"},
    "message a list": {"update_id": 1, "message": []},
    "message a string": {"update_id": 2, "message": "hi", "event_name": "message.text.received"},
    "sender a number": {
        "update_id": 3,
        "event_name": "message.text.received",
        "message": {"message_id": 4, "from": 5, "chat": 6, "date": "x", "text": 7},
    },
}


@pytest.mark.parametrize("path", list(HEADERS))
@pytest.mark.parametrize("body", list(ODD_OBJECTS.values()), ids=list(ODD_OBJECTS))
async def test_an_object_of_the_wrong_shape_is_never_a_500(
    server: Server, path: str, body: dict[str, object]
) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(server.url(path), json=body, headers={HEADERS[path]: SECRET})

    assert response.status_code in (200, 400)
