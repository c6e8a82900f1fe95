"""What the logs may carry: a failing statement or a platform's answer shows no personal data."""

from __future__ import annotations

import asyncio
import io
import logging
import time
from collections.abc import AsyncIterator, Iterator

import pytest
import uvicorn
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.channels.zalo.client import ZaloClient, ZaloError
from urbanbell.logs import configure_logging

PHONE = "0987654321"
ZALO_TOKEN = "9876543210:SECRET-zalo-token"
log = logging.getLogger("tests.private_logs")


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """What `urbanbell` writes to its log, through the same handler and filter."""
    stream = io.StringIO()
    handler = configure_logging(logging.INFO, stream=stream)
    yield stream
    logging.getLogger().removeHandler(handler)


async def test_a_failing_statement_with_a_phone_number_leaves_no_trace_in_the_log(
    engine: AsyncEngine, captured: io.StringIO
) -> None:
    description = f"Đèn đường hỏng, gọi Cô Ba SĐT {PHONE}"
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text("INSERT INTO no_such_table (description) VALUES (:description)"),
                {"description": description},
            )
    except Exception as error:
        failed = error
        log.exception("could not answer text from console:42")

    written = captured.getvalue()
    assert "could not answer text from console:42" in written
    assert "no_such_table" in written  # the statement and its error are still told
    assert PHONE not in written and "Cô Ba" not in written
    assert PHONE not in str(failed)  # the engine hides the values at the source


def test_a_driver_error_that_quotes_a_phone_number_is_redacted(captured: io.StringIO) -> None:
    try:
        # asyncpg words a unique violation's DETAIL with the value itself.
        raise ValueError(f"Key (phone)=(+84 987 654 321) already exists; also {PHONE}")
    except ValueError:
        log.exception("could not save resident 7")
    written = captured.getvalue()
    assert "resident 7" in written
    assert "987 654 321" not in written and PHONE not in written


def test_bot_tokens_of_both_platforms_never_reach_the_log(captured: io.StringIO) -> None:
    telegram = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    log.warning("getUpdates failed (https://api.telegram.org/bot%s/getUpdates)", telegram)
    log.warning("Zalo getUpdates failed (http://127.0.0.1/bot%s/getUpdates)", ZALO_TOKEN)
    written = captured.getvalue()
    assert "getUpdates failed" in written
    assert telegram not in written and "AAHdqTcv" not in written
    assert "SECRET-zalo-token" not in written


@pytest.fixture
async def echoing_proxy() -> AsyncIterator[str]:
    """A proxy in front of Zalo that answers a page echoing the path it was asked for."""

    async def echo(request: Request) -> Response:
        return PlainTextResponse(f"502 Bad Gateway: no upstream for {request.url.path}", 502)

    app = Starlette(routes=[Route("/{path:path}", echo, methods=["POST"])])
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and not task.done(), "the proxy did not start"
        await asyncio.sleep(0.005)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}/bot"
    server.should_exit = True
    await task


async def test_a_zalo_error_never_keeps_the_token_a_proxy_echoed(
    echoing_proxy: str, captured: io.StringIO
) -> None:
    client = ZaloClient(ZALO_TOKEN, echoing_proxy)
    try:
        with pytest.raises(ZaloError) as failed:
            await client.get_me()
    finally:
        await client.close()
    log.warning("Zalo getUpdates failed (%s)", failed.value)

    assert failed.value.code == 502 and not failed.value.from_zalo
    assert "SECRET" not in failed.value.description and "SECRET" not in str(failed.value)
    assert "SECRET" not in captured.getvalue()
