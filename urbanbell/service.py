"""`urbanbell run`: the channels, the dispatcher and the web server, until stopped."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from bot.channels.channel import Channel, ChannelError
from bot.channels.telegram.adapter import CHANNEL as TELEGRAM
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.zalo.adapter import CHANNEL as ZALO
from bot.channels.zalo.channel import ZaloChannel
from bot.web.calendar import calendar_route
from scheduler.dispatcher import Dispatcher, DispatchPolicy, Route
from scheduler.pacing import Pace, Pacer
from urbanbell.app import App
from urbanbell.settings import Settings

log = logging.getLogger(__name__)

WEBHOOK_PORT = 8080  # where a webhook is served when URBANBELL_HTTP_PORT is not set


class ServiceError(Exception):
    """The bot cannot start; the message says what to change."""


def check_channels(settings: Settings) -> None:
    """Refuse to start without a channel, or with half a webhook."""
    if settings.telegram_token is None and settings.zalo_token is None:
        raise ServiceError(
            "no channel configured: set URBANBELL_TELEGRAM_TOKEN to the token BotFather gave you, "
            "or URBANBELL_ZALO_TOKEN to your Zalo bot's token, or both (and "
            "URBANBELL_TELEGRAM_WEBHOOK_URL or URBANBELL_ZALO_WEBHOOK_URL with "
            "URBANBELL_WEBHOOK_SECRET for a webhook)"
        )
    urls = {
        "URBANBELL_TELEGRAM_WEBHOOK_URL": settings.telegram_webhook_url,
        "URBANBELL_ZALO_WEBHOOK_URL": settings.zalo_webhook_url,
    }
    for name, url in urls.items():
        if url and settings.webhook_secret is None:
            raise ServiceError(f"setting URBANBELL_WEBHOOK_SECRET: required with {name}")
    if urls["URBANBELL_TELEGRAM_WEBHOOK_URL"] and urls["URBANBELL_ZALO_WEBHOOK_URL"]:
        paths = {_webhook_path(url, "") for url in urls.values() if url}
        if len(paths) == 1:
            raise ServiceError(
                "setting URBANBELL_ZALO_WEBHOOK_URL: its path must differ from "
                "URBANBELL_TELEGRAM_WEBHOOK_URL's, as both are served by one web server"
            )


def build_channels(app: App, queued: Callable[[], None]) -> list[Channel]:
    """The configured channels: Telegram, Zalo, or both."""
    settings = app.settings
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    channels: list[Channel] = []
    if settings.telegram_token is not None:
        url = settings.telegram_webhook_url
        channels.append(
            TelegramChannel(
                settings.telegram_token.get_secret_value(),
                settings.telegram_api_url,
                app.conversation,
                app.catalogues,
                settings.default_locale,
                queued,
                (url, secret) if url and secret else None,
                paid=settings.telegram_paid_broadcast,
            )
        )
    if settings.zalo_token is not None:
        url = settings.zalo_webhook_url
        channels.append(
            ZaloChannel(
                settings.zalo_token.get_secret_value(),
                settings.zalo_api_url,
                app.conversation,
                queued,
                (url, secret) if url and secret else None,
            )
        )
    return channels


def paces(settings: Settings) -> dict[str, Pace]:
    """Each platform's sending limits, as the settings give them."""
    return {
        TELEGRAM: Pace(
            settings.telegram_rate,
            settings.telegram_per_chat_per_second,
            settings.telegram_per_group_per_minute,
        ),
        ZALO: Pace(settings.zalo_per_second, settings.zalo_per_chat_per_second),
    }


async def serve(app: App, stop: asyncio.Event | None = None) -> None:
    """Run until `stop` is set, or until SIGINT or SIGTERM when no event is given."""
    settings = app.settings
    check_channels(settings)
    dispatcher: Dispatcher | None = None

    def queued() -> None:
        if dispatcher is not None:
            dispatcher.wake()

    channels = build_channels(app, queued)
    pace = paces(settings)
    dispatcher = Dispatcher(
        app.uow,
        {c.name: Route(c.messenger, Pacer(pace[c.name])) for c in channels},
        app.clock,
        DispatchPolicy(
            lease=timedelta(seconds=settings.outbox_lease_seconds),
            # About a second of sending on all channels together.
            batch=max(1, min(200, int(sum(pace[c.name].per_second or 1 for c in channels)))),
        ),
    )
    scheduler = app.scheduler()
    for channel in channels:
        if isinstance(channel, TelegramChannel):
            # Officers come and go with `urbanbell seed`, run by another process: look every
            # few minutes (it costs one query; Telegram is asked only when something changed).
            scheduler.add_job(
                channel.refresh_officer_menus,
                "interval",
                args=[app.uow],
                minutes=5,
                id="officer-menus",
                next_run_time=app.clock.now(),
                coalesce=True,
                misfire_grace_time=300,
            )
    try:
        async with contextlib.AsyncExitStack() as stack:
            for channel in channels:
                await stack.enter_async_context(channel)
            # What start-up built lives as long as the process: kept out of the collector's
            # scans, a full collection cannot stall sending for longer than the pacer's margin.
            gc.collect()
            gc.freeze()
            scheduler.start()
            work = [dispatcher.run()]
            holidays = app.conversation.holidays
            routes = [calendar_route(app.uow, holidays, app.clock, catalogues=app.catalogues)]
            hooked = [c for c in channels if c.webhook is not None]
            work += [c.poll() for c in channels if c.webhook is None]
            for channel in hooked:
                assert channel.webhook is not None
                routes += channel.routes(_webhook_path(channel.webhook[0], f"/{channel.name}"))

            async def register_webhooks() -> None:
                for channel in hooked:
                    await channel.register_webhook()

            if hooked:
                port = settings.http_port or WEBHOOK_PORT
                work.append(_serve_web(settings, routes, port, register_webhooks))
            elif settings.http_port is not None:
                work.append(_serve_web(settings, routes, settings.http_port))
            log.info("Urban Bell is running on %s", " and ".join(c.label for c in channels))
            await _until_stopped(work, stop)
    except ChannelError as error:
        raise ServiceError(str(error)) from None
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=False)


def _webhook_path(url: str, default: str) -> str:
    return urlsplit(url).path or default


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
