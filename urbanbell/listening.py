"""The web server: its socket, bound before anything else starts, and the routes served on it."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Awaitable, Callable, Sequence

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute


class ListenError(Exception):
    """The web server cannot listen; the message names the setting to change."""


def listener_on(host: str, port: int) -> socket.socket:
    """A socket bound to the web server's address, or one line naming the setting to change."""
    try:
        return socket.create_server(
            (host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET
        )
    except OSError as error:
        raise ListenError(
            f"setting URBANBELL_HTTP_PORT: cannot listen on {host}:{port} ({error.strerror}); "
            "choose a free port, or set URBANBELL_HTTP_ENABLED=false"
        ) from None


async def serve_web(
    listener: socket.socket,
    routes: Sequence[BaseRoute],
    listening: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Serve the routes on the bound socket; once the server listens, call `listening`."""
    config = uvicorn.Config(Starlette(routes=list(routes)), log_level="warning", lifespan="off")
    # uvicorn catches SIGINT and SIGTERM while it serves, stops, then raises them again for
    # `_until_stopped`.
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        # uvicorn only offers a flag; it is up within milliseconds, or serving has failed.
        for _ in range(1000):
            if server.started or serving.done():
                break
            await asyncio.sleep(0.01)
        if server.started and listening is not None:
            await listening()
        await serving
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await serving
