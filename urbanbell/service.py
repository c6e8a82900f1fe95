"""`urbanbell run`: the channels, the dispatcher and the web server, until stopped."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from urbanbell.bootstrap import App
from urbanbell.bot.telegram.channel import ChannelError, TelegramChannel
from urbanbell.bot.web_calendar import calendar_route
from urbanbell.scheduler.dispatcher import Dispatcher, DispatchPolicy, Route
from urbanbell.scheduler.jobs import build_scheduler
from urbanbell.scheduler.pacing import Pace, Pacer
from urbanbell.settings import Settings

log = logging.getLogger(__name__)

WEBHOOK_PORT = 8080  # where a webhook is served when URBANBELL_HTTP_PORT is not set


class ServiceError(Exception):
    """The bot cannot start; the message says what to change."""


def check_channels(settings: Settings) -> None:
    """Refuse to start without a channel, or with half a webhook."""
    if settings.telegram_token is None:
        raise ServiceError(
            "no channel configured: set URBANBELL_TELEGRAM_TOKEN to the token BotFather gave you "
            "(and URBANBELL_TELEGRAM_WEBHOOK_URL with URBANBELL_WEBHOOK_SECRET for a webhook)"
        )
    if settings.telegram_webhook_url and settings.webhook_secret is None:
        raise ServiceError(
            "setting URBANBELL_WEBHOOK_SECRET: required with URBANBELL_TELEGRAM_WEBHOOK_URL"
        )


async def serve(app: App, stop: asyncio.Event | None = None) -> None:
    """Run until `stop` is set, or until SIGINT or SIGTERM when no event is given."""
    settings = app.settings
    check_channels(settings)
    assert settings.telegram_token is not None
    webhook = None
    if settings.telegram_webhook_url and settings.webhook_secret:
        webhook = (settings.telegram_webhook_url, settings.webhook_secret.get_secret_value())
    dispatcher: Dispatcher | None = None

    def queued() -> None:
        if dispatcher is not None:
            dispatcher.wake()

    telegram = TelegramChannel(
        settings.telegram_token.get_secret_value(),
        settings.telegram_api_url,
        app.conversation,
        app.catalogues,
        settings.default_locale,
        queued,
        webhook,
        paid=settings.telegram_paid_broadcast,
    )
    pace = Pace(
        settings.telegram_rate,
        settings.telegram_per_chat_per_second,
        settings.telegram_per_group_per_minute,
    )
    dispatcher = Dispatcher(
        app.uow,
        {telegram.name: Route(telegram.messenger, Pacer(pace))},
        app.clock,
        DispatchPolicy(
            lease=timedelta(seconds=settings.outbox_lease_seconds),
            batch=max(1, min(200, int(settings.telegram_rate))),  # a second of sending
        ),
    )
    scheduler = build_scheduler(app.planner(), app.uow, app.clock)
    # Officers come and go with `urbanbell seed`, run by another process: look every few
    # minutes (it costs one query; Telegram is asked only when something changed).
    scheduler.add_job(
        telegram.refresh_officer_menus,
        "interval",
        args=[app.uow],
        minutes=5,
        id="officer-menus",
        next_run_time=app.clock.now(),
        coalesce=True,
        misfire_grace_time=300,
    )
    try:
        async with telegram:
            scheduler.start()
            work = [dispatcher.run()]
            holidays = app.conversation.holidays
            routes = [calendar_route(app.uow, holidays, app.clock, catalogues=app.catalogues)]
            if webhook is None:
                work.append(telegram.poll())
                if settings.http_port is not None:
                    work.append(_serve_web(settings, routes, settings.http_port))
            else:
                routes += telegram.routes(urlsplit(webhook[0]).path or "/telegram")
                port = settings.http_port or WEBHOOK_PORT
                work.append(_serve_web(settings, routes, port, telegram.register_webhook))
            log.info("Urban Bell is running on Telegram as @%s", telegram.username)
            await _until_stopped(work, stop)
    except ChannelError as error:
        raise ServiceError(str(error)) from None
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=False)


async def _serve_web(
    settings: Settings,
    routes: Sequence[BaseRoute],
    port: int,
    listening: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Serve the routes; once the server listens, call `listening`."""
    config = uvicorn.Config(
        Starlette(routes=list(routes)),
        host=settings.http_host,
        port=port,
        log_level="warning",
        lifespan="off",
    )
    # uvicorn catches SIGINT and SIGTERM while it serves, stops, then raises them again for
    # `_until_stopped`.
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
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


async def _until_stopped(
    work: list[Coroutine[Any, Any, None]], stop: asyncio.Event | None
) -> None:
    """Run the coroutines until stopped, or until one of them fails."""
    signals = stop is None
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    if signals:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
    tasks = [asyncio.create_task(w) for w in work]
    stopper = asyncio.create_task(stop.wait())
    try:
        done, _ = await asyncio.wait([*tasks, stopper], return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            error = task.exception()
            if error is not None:
                raise error
    finally:
        for task in [*tasks, stopper]:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*tasks, stopper, return_exceptions=True)
        if signals:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
