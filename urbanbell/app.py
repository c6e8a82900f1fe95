"""The composition root: builds everything from the settings and closes it in reverse.

Engine, units of work, use cases and the conversation (`open_app`); the inbox, the channels of
the registry, the dispatcher, the planner and the periodic jobs (`App`); and `urbanbell run`
(`serve`), which runs them with the web server until stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.routing import BaseRoute

from bot.channels.channel import Channel, ChannelError, ChannelUnreachable
from bot.channels.console.channel import ConsoleChannel
from bot.channels.console.messenger import CHANNEL as CONSOLE
from bot.channels.inbox import Inbox
from bot.channels.telegram.adapter import CHANNEL as TELEGRAM
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.zalo.adapter import CHANNEL as ZALO
from bot.channels.zalo.channel import ZaloChannel
from bot.chat.conversation import Conversation
from bot.chat.i18n import Catalogues
from bot.features.announcements.wording import AnnouncementWording
from bot.features.bell.wording import BellWording, CrowdedWording
from bot.features.registry import build_router
from bot.features.reports.wording import ReportWording
from bot.web.calendar import calendar_route
from bot.web.health import health_routes
from bot.web.open311.routes import Open311
from core.clock import Clock, SystemClock
from core.holidays import VietnamHolidays
from core.ports import UnitOfWork, UnitOfWorkFactory
from core.retention import Retention
from core.triage import Triage
from scheduler.dispatcher import Dispatcher, DispatchPolicy, Route
from scheduler.jobs import build_scheduler
from scheduler.pacing import Pace, Pacer
from scheduler.planner import BELL, Planner
from storage import migrate
from storage.backup import in_use
from storage.database import (
    create_engine,
    read_only_engine,
    session_factory,
    write_lock_for,
)
from storage.health import unready
from storage.roles import Roles
from storage.uow import SqlUnitOfWork
from urbanbell.listening import ListenError, listener_on, serve_web
from urbanbell.metrics import Metrics
from urbanbell.readiness import Reachability
from urbanbell.settings import Settings
from urbanbell.startup import Retry, ServiceError, Unreachable, keep_trying

log = logging.getLogger(__name__)

UNPACED_RATE = 1000.0  # the planner's rate for a channel without a limit: a terminal


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    clock: Clock
    catalogues: Catalogues
    conversation: Conversation
    reads: UnitOfWorkFactory  # a read-only path that never waits for a writer
    inbox: Inbox = field(init=False)
    metrics: Metrics = field(init=False)
    reachability: Reachability = field(init=False)
    _dispatcher: Dispatcher | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.metrics = Metrics(self.engine, self.clock)
        self.reachability = Reachability(self.clock)
        self.inbox = Inbox(self.conversation, self.wake, self.metrics)

    def uow(self) -> UnitOfWork:
        return self.conversation.uow_factory()

    def wake(self) -> None:
        """An answer is in the outbox: the dispatcher, once there is one, sends it now."""
        if self._dispatcher is not None:
            self._dispatcher.wake()

    def channels(self) -> list[Channel]:
        """The channels the settings turn on, in the registry's order."""
        return [entry.build(self) for entry in _entries(self.settings)]

    def channel(self, name: str) -> Channel:
        return next(entry.build(self) for entry in REGISTRY if entry.name == name)

    def dispatcher(self, channels: Sequence[Channel], only_chat: str | None = None) -> Dispatcher:
        """The outbox's sender for these channels, each at its pace; `only_chat` for a console."""
        paces = {entry.name: entry.pace(self.settings) for entry in REGISTRY}
        self._dispatcher = Dispatcher(
            self.uow,
            {c.name: Route(c.messenger, Pacer(paces[c.name]), c.is_group) for c in channels},
            self.clock,
            DispatchPolicy(
                lease=timedelta(seconds=self.settings.outbox_lease_seconds),
                # About a second of sending on all channels together.
                batch=max(1, min(200, int(sum(_rate(paces[c.name]) for c in channels)))),
            ),
            only_chat=only_chat,
            telemetry=self.metrics,
            finishing={BELL: self.bell_wording().finish},
        )
        return self._dispatcher

    def bell_wording(self) -> BellWording:
        return BellWording(self.catalogues, self.settings.default_locale)

    def planner(self) -> Planner:
        """The bell's planner, timing each channel's reminders at that channel's rate."""
        rates = {entry.name: _rate(entry.pace(self.settings)) for entry in REGISTRY}
        return Planner(
            self.uow,
            self.clock,
            self.conversation.holidays,
            self.bell_wording(),
            rates,
            group_lead=self.settings.reminder_lead_minutes,
            warning=CrowdedWording(self.catalogues, self.settings.default_locale),
            telemetry=self.metrics,
        )

    def scheduler(self, channels: Sequence[Channel] = ()) -> AsyncIOScheduler:
        """The periodic jobs: the bell's planner, reports' and announcements' follow-ups, and
        the channels' own."""
        scheduler = build_scheduler(
            self.planner(),
            self.uow,
            self.clock,
            self.conversation.triage,
            AnnouncementWording(self.catalogues, self.settings.default_locale),
            Retention(outbox=timedelta(days=self.settings.keep_outbox_days)),
        )
        for channel in channels:
            self.reachability.schedule(scheduler, channel)
            for job in channel.jobs():
                scheduler.add_job(
                    job.run,
                    "interval",
                    seconds=job.every.total_seconds(),
                    id=job.id,
                    next_run_time=self.clock.now(),
                    coalesce=True,
                    misfire_grace_time=int(job.every.total_seconds()),
                )
        return scheduler


def _entries(settings: Settings) -> list[ChannelEntry]:
    """The registry's entries the settings turn on."""
    return [entry for entry in REGISTRY if entry.wanted(settings)]


def _rate(pace: Pace) -> float:
    return pace.per_second or UNPACED_RATE


def _webhook(settings: Settings, url: str | None) -> tuple[str, str] | None:
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    return (url, secret) if url and secret else None


def _telegram(app: App) -> Channel:
    settings = app.settings
    assert settings.telegram_token is not None
    return TelegramChannel(
        settings.telegram_token.get_secret_value(),
        settings.telegram_api_url,
        app.inbox,
        app.conversation.router.features,
        app.catalogues,
        settings.default_locale,
        app.uow,
        _webhook(settings, settings.telegram_webhook_url),
        paid=settings.telegram_paid_broadcast,
    )


def _zalo(app: App) -> Channel:
    settings = app.settings
    assert settings.zalo_token is not None
    return ZaloChannel(
        settings.zalo_token.get_secret_value(),
        settings.zalo_api_url,
        app.inbox,
        _webhook(settings, settings.zalo_webhook_url),
    )


@dataclass(frozen=True)
class ChannelEntry:
    """A chat platform: whether `urbanbell run` serves it, how it is built, its limits, and the
    settings that turn it on and give it a webhook."""

    name: str
    wanted: Callable[[Settings], bool]
    build: Callable[[App], Channel]
    pace: Callable[[Settings], Pace]
    turned_on_by: str = ""  # what to set, for an administrator who set no channel
    api_setting: str = ""  # where its Bot API is, for an administrator who cannot reach it
    webhook_setting: str = ""
    webhook_url: Callable[[Settings], str | None] = lambda settings: None
    buttons: bool = False  # options shown as buttons to press; else numbered, to type


REGISTRY = (
    ChannelEntry(
        TELEGRAM,
        lambda s: s.telegram_token is not None,
        _telegram,
        lambda s: Pace(
            s.telegram_rate, s.telegram_per_chat_per_second, s.telegram_per_group_per_minute
        ),
        turned_on_by="URBANBELL_TELEGRAM_TOKEN to the token BotFather gave you",
        api_setting="URBANBELL_TELEGRAM_API_URL",
        webhook_setting="URBANBELL_TELEGRAM_WEBHOOK_URL",
        webhook_url=lambda s: s.telegram_webhook_url,
        buttons=True,
    ),
    ChannelEntry(
        ZALO,
        lambda s: s.zalo_token is not None,
        _zalo,
        lambda s: Pace(s.zalo_per_second, s.zalo_per_chat_per_second),
        turned_on_by="URBANBELL_ZALO_TOKEN to your Zalo bot's token",
        api_setting="URBANBELL_ZALO_API_URL",
        webhook_setting="URBANBELL_ZALO_WEBHOOK_URL",
        webhook_url=lambda s: s.zalo_webhook_url,
    ),
    # Only `urbanbell console` talks in the terminal, with a dispatcher of its own person.
    ChannelEntry(CONSOLE, lambda s: False, lambda app: ConsoleChannel(), lambda s: Pace()),
)


def build_conversation(
    settings: Settings, uow_factory: UnitOfWorkFactory, catalogues: Catalogues, clock: Clock
) -> Conversation:
    holidays = VietnamHolidays()
    return Conversation(
        router=build_router(),
        uow_factory=uow_factory,
        catalogues=catalogues,
        clock=clock,
        holidays=holidays,
        default_locale=settings.default_locale,
        default_lead=settings.reminder_lead_minutes,
        triage=Triage(
            settings.report_policy(),
            settings.working_time(holidays),
            ReportWording(catalogues, settings.default_locale),
        ),
        button_channels=frozenset(entry.name for entry in REGISTRY if entry.buttons),
    )


@asynccontextmanager
async def open_app(settings: Settings, clock: Clock | None = None) -> AsyncIterator[App]:
    """Connect to the database, bring its schema up to date, and wire the bot."""
    stack = contextlib.ExitStack()
    clock = clock or SystemClock()
    engine = create_engine(settings.database_url)
    reads_engine = read_only_engine(engine)
    try:
        # `urbanbell restore` waits for no process to be using the database.
        stack.enter_context(in_use(settings.database_url))
        await keep_trying(
            lambda: _reach(engine),
            _retry(settings),
            "check URBANBELL_DATABASE_URL and that the database server runs",
        )
        await migrate.upgrade(engine)
        sessions = session_factory(engine)
        read_sessions = session_factory(reads_engine)
        write_lock = write_lock_for(engine)
        catalogues = Catalogues()
        conversation = build_conversation(
            settings, lambda: SqlUnitOfWork(sessions, clock, write_lock), catalogues, clock
        )
        reads = functools.partial(SqlUnitOfWork, read_sessions, clock)
        yield App(settings, engine, clock, catalogues, conversation, reads)
    finally:
        if reads_engine is not engine:
            await reads_engine.dispose()
        await engine.dispose()
        stack.close()


def _retry(settings: Settings) -> Retry:
    return Retry(settings.startup_tries, settings.startup_wait_seconds)


async def _reach(engine: AsyncEngine) -> None:
    """Connect once, or raise `Unreachable` saying why in one line."""
    try:
        async with engine.connect():
            pass
    except (OSError, DBAPIError) as error:
        if isinstance(error, DBAPIError):
            reason = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else ""
        else:
            reason = error.strerror or str(error)
        where = engine.url.render_as_string(hide_password=True)
        raise Unreachable(
            f"cannot reach the database at {where} ({reason or type(error).__name__})"
        ) from None


async def _enter(stack: contextlib.AsyncExitStack, channel: Channel) -> None:
    try:
        await stack.enter_async_context(channel)
    except ChannelUnreachable as error:
        raise Unreachable(str(error)) from None


def check_channels(settings: Settings) -> None:
    """Refuse to start without a channel, or with half a webhook, or two on one path."""
    if not any(entry.wanted(settings) for entry in REGISTRY):
        ways = ", or ".join(entry.turned_on_by for entry in REGISTRY if entry.turned_on_by)
        raise ServiceError(
            f"no channel configured: set {ways} (for a webhook, also the channel's "
            "URBANBELL_..._WEBHOOK_URL and URBANBELL_WEBHOOK_SECRET)"
        )
    paths: dict[str, str] = {}
    for entry in REGISTRY:
        url = entry.webhook_url(settings)
        if not url or not entry.wanted(settings):
            continue
        if settings.webhook_secret is None:
            raise ServiceError(
                f"setting URBANBELL_WEBHOOK_SECRET: required with {entry.webhook_setting}"
            )
        if not settings.http_enabled:
            raise ServiceError(
                f"setting URBANBELL_HTTP_ENABLED: a webhook ({entry.webhook_setting}) is served "
                "by the web server, which is turned off"
            )
        path = _webhook_path(url, f"/{entry.name}")
        if path in paths:
            raise ServiceError(
                f"setting {entry.webhook_setting}: its path must differ from "
                f"{paths[path]}'s, as both are served by one web server"
            )
        paths[path] = entry.webhook_setting


async def serve(app: App, stop: asyncio.Event | None = None) -> None:
    """`urbanbell run`: the channels, the dispatcher, the jobs and the web server, until `stop`
    is set, or until SIGINT or SIGTERM when no event is given."""
    settings = app.settings
    check_channels(settings)
    channels = app.channels()
    dispatcher = app.dispatcher(channels)
    roles = Roles(app.engine)

    async def run_jobs() -> None:
        scheduler = app.scheduler(channels)
        scheduler.start()
        try:
            await asyncio.Event().wait()  # until the role is lost or the bot stops
        finally:
            scheduler.shutdown(wait=False)

    # What only one instance may do at a time, each a role (see storage/roles.py): sending,
    # at the bot's one pace; the periodic jobs; long polling each platform. Serving webhooks
    # and web pages, every instance does.
    settle = max(route.pacer.memory for route in dispatcher.routes.values())
    # Bound before anything starts, so that a port in use stops `urbanbell run` at once.
    try:
        listener = (
            listener_on(settings.http_host, settings.http_port) if settings.http_enabled else None
        )
    except ListenError as error:
        raise ServiceError(str(error)) from None
    try:
        async with contextlib.AsyncExitStack() as stack:
            for channel, entry in zip(channels, _entries(settings), strict=True):
                await keep_trying(
                    functools.partial(_enter, stack, channel),
                    _retry(settings),
                    f"check the network and {entry.api_setting}",
                )
                app.reachability.reached(channel.name)  # entering asked the platform
            holidays = app.conversation.holidays

            async def unready_because() -> list[str]:
                names = [c.name for c in channels]
                return await unready(app.engine) + app.reachability.problems(names)

            routes: list[BaseRoute] = [
                *health_routes(unready_because, app.metrics.scrape),
                calendar_route(
                    app.reads,
                    holidays,
                    app.clock,
                    catalogues=app.catalogues,
                    per_minute=settings.calendar_per_minute,
                ),
            ]
            routes += Open311(
                app.reads, app.uow, app.clock, app.conversation.triage, app.catalogues
            ).routes()
            hooked = [c for c in channels if c.webhook is not None]
            # Made once every channel has answered: a start-up that gives up leaves none unrun.
            work = [
                roles.play("the dispatcher", dispatcher.run, settle),
                roles.play("the periodic jobs", run_jobs),
                *(
                    roles.play(f"the poller of {c.name}", c.poll)
                    for c in channels
                    if c.webhook is None
                ),
            ]
            for channel in hooked:
                assert channel.webhook is not None
                routes += channel.routes(_webhook_path(channel.webhook[0], f"/{channel.name}"))

            async def register_webhooks() -> None:
                for channel in hooked:
                    await channel.register_webhook()

            if listener is not None:
                work.append(serve_web(listener, routes, register_webhooks))
            log.info("Urban Bell is running on %s", " and ".join(c.label for c in channels))
            await _until_stopped(work, stop)
    except ChannelError as error:
        raise ServiceError(str(error)) from None
    finally:
        if listener is not None:
            listener.close()


def _webhook_path(url: str, default: str) -> str:
    return urlsplit(url).path or default


async def _until_stopped(
    work: list[Coroutine[Any, Any, None]], stop: asyncio.Event | None
) -> None:
    """Run the coroutines until stopped (by `stop`, else by SIGINT or SIGTERM), or until one of
    them fails."""
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
