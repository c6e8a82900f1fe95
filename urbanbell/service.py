"""`urbanbell run`: the channels, the dispatcher and the web server, until stopped."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from starlette.applications import Starlette
from telegram.error import InvalidToken
from telegram.ext import Application

from urbanbell.bootstrap import App
from urbanbell.bot.telegram.adapter import CHANNEL as TELEGRAM
from urbanbell.bot.telegram.app import ChatQueue, build_application
from urbanbell.bot.telegram.menus import set_menus
from urbanbell.bot.telegram.messenger import TelegramMessenger
from urbanbell.bot.telegram.polling import ALLOWED_UPDATES, poll
from urbanbell.bot.telegram.webhook import webhook_route
from urbanbell.scheduler.dispatcher import Dispatcher, DispatchPolicy, Route
from urbanbell.scheduler.pacing import Pace, Pacer
from urbanbell.settings import Settings

log = logging.getLogger(__name__)


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
    dispatcher: Dispatcher | None = None

    def queued() -> None:
        if dispatcher is not None:
            dispatcher.wake()

    application = build_application(
        settings.telegram_token.get_secret_value(),
        settings.telegram_api_url,
        app.conversation,
        queued,
    )
    pace = Pace(
        settings.telegram_per_second,
        settings.telegram_per_chat_per_second,
        settings.telegram_per_group_per_minute,
    )
    dispatcher = Dispatcher(
        app.uow,
        {TELEGRAM: Route(TelegramMessenger(application.bot), Pacer(pace))},
        app.clock,
        DispatchPolicy(
            lease=timedelta(seconds=settings.outbox_lease_seconds),
            # About a second of sending: what a crash could make the bot send twice.
            batch=max(1, min(200, int(settings.telegram_per_second))),
        ),
    )
    try:
        await application.initialize()
    except InvalidToken:
        raise ServiceError(
            "setting URBANBELL_TELEGRAM_TOKEN: Telegram refused this token"
        ) from None
    try:
        await set_menus(application.bot, app.catalogues, settings.default_locale)
        chats = ChatQueue()
        work = [dispatcher.run()]
        if settings.telegram_webhook_url:
            work.append(_serve_webhook(settings, application, chats))
        else:
            work.append(poll(application, chats))
        log.info("Urban Bell is running on Telegram as @%s", application.bot.username)
        await _until_stopped(work, stop)
    finally:
        await application.shutdown()


async def _serve_webhook(
    settings: Settings,
    application: Application,  # type: ignore[type-arg]
    chats: ChatQueue,
) -> None:
    assert settings.telegram_webhook_url is not None and settings.webhook_secret is not None
    secret = settings.webhook_secret.get_secret_value()
    path = urlsplit(settings.telegram_webhook_url).path or "/telegram"
    web = Starlette(routes=[webhook_route(path, application, chats, secret)])
    config = uvicorn.Config(
        web, host=settings.http_host, port=settings.http_port, log_level="warning", lifespan="off"
    )
    # uvicorn catches SIGINT and SIGTERM while it serves, stops, then raises them again for
    # `_until_stopped`.
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    try:
        await application.bot.set_webhook(
            settings.telegram_webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
        )
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
        await asyncio.gather(*tasks, stopper, return_exceptions=True)
        if signals:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
