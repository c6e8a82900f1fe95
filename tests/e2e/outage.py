"""A database that goes away and comes back, without stopping the shared PostgreSQL server."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL_VARIABLE, _fresh_postgres_database, _in_ci
from tests.e2e.conftest import URBANBELL


class DatabaseProxy:
    """Forwards a port on 127.0.0.1 to the database; closed, it drops every open connection and
    refuses new ones, as a database that went down would; opened again, on the same port."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.target_port = port
        self.port = 0
        self._server: asyncio.Server | None = None
        self._links: set[asyncio.StreamWriter] = set()

    def url_for(self, database_url: str) -> str:
        """The database URL that goes through the proxy."""
        url = make_url(database_url).set(host="127.0.0.1", port=self.port)
        return url.render_as_string(hide_password=False)

    async def open(self) -> None:
        self._server = await asyncio.start_server(
            self._link, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._links):
            writer.transport.abort()
        self._links.clear()
        await self._server.wait_closed()
        self._server = None

    async def _link(
        self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter
    ) -> None:
        try:
            server_in, server_out = await asyncio.open_connection(self.host, self.target_port)
        except OSError:
            client_out.transport.abort()
            return
        self._links |= {client_out, server_out}
        await asyncio.gather(
            _pump(client_in, server_out), _pump(server_in, client_out), return_exceptions=True
        )
        self._links -= {client_out, server_out}


async def _pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    try:
        while chunk := await source.read(65536):
            sink.write(chunk)
            await sink.drain()
    finally:
        sink.transport.abort()


@asynccontextmanager
async def postgres_behind_a_proxy() -> AsyncIterator[tuple[str, DatabaseProxy]]:
    """A fresh PostgreSQL database, and a proxy to it that the test can close and open."""
    server_url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not server_url:
        message = f"set {POSTGRES_URL_VARIABLE} to run the PostgreSQL tests"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    async with _fresh_postgres_database(server_url) as url:
        parsed = make_url(url)
        proxy = DatabaseProxy(parsed.host or "127.0.0.1", parsed.port or 5432)
        await proxy.open()
        try:
            yield proxy.url_for(url), proxy
        finally:
            with contextlib.suppress(AssertionError):
                await proxy.close()


async def start(env: dict[str, str], log: Path, *args: str) -> asyncio.subprocess.Process:
    """`urbanbell` with its output in a file: a long outage logs more than a pipe holds."""
    with log.open("ab") as output:
        return await asyncio.create_subprocess_exec(
            URBANBELL, *args, env=env, stdout=output, stderr=output
        )
