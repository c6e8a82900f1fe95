"""The `urbanbell` command."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from importlib.resources import files
from pathlib import Path

from bot.channels.channel import Channel
from bot.channels.console.channel import ConsoleChannel
from bot.channels.console.messenger import CHANNEL, FILES
from bot.channels.console.terminal import chat
from bot.chat.events import Sender
from bot.features.bell.wording import NoticeWording
from bot.features.general.seed_summary import revoked_lines, seed_summary
from core.errors import ApiKeyNotFound, PartnerHasKey, WardNotFound
from core.open_reports import issue_key, issued_keys, revoke_key
from core.seeding import SeedError, SeedSummary, apply_seed, read_seed
from locales import LANGUAGES
from storage.backup import BackupError, backup, restore
from urbanbell.app import App, check_channels, open_app, serve
from urbanbell.logs import configure_logging
from urbanbell.settings import Settings, SettingsError, bot_username, load_settings
from urbanbell.startup import ServiceError

DEMO_SEED = files("urbanbell") / "demo" / "seed.yaml"
LEAVING_WAIT = 10.0  # seconds the terminal waits, on leaving, for the replies on their way

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    # The long-running bot tells what it does; in the terminal only problems show.
    level = logging.INFO if args.command is _run else logging.WARNING
    configure_logging(level)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"urbanbell: {error}", file=sys.stderr)
        return 2
    configure_logging(level, settings.secrets(), form=settings.log_format)
    try:
        code: int = asyncio.run(args.command(settings, args))
    except ServiceError as error:  # a setting to change, or a service not reached
        print(f"urbanbell: {error}", file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        return 130
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="urbanbell", description="Urban Bell, a ward's chat bot for residents."
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run the bot on its channels until stopped")
    run.set_defaults(command=_run)

    seed = commands.add_parser("seed", help="create or update wards, alleys and officers")
    seed.add_argument("file", type=Path, metavar="FILE.yaml")
    seed.add_argument(
        "--keep-officers",
        action="store_true",
        help="keep the roles of officers the file does not list (default: they lose them)",
    )
    seed.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="the language of the summary"
    )
    seed.set_defaults(command=_seed)

    posters = commands.add_parser(
        "posters", help="write a printable A4 poster per alley of a ward"
    )
    posters.add_argument("--ward", required=True, metavar="CODE", help="the ward's code")
    posters.add_argument("--out", required=True, type=Path, metavar="DIR", help="where to write")
    posters.add_argument(
        "--bot",
        type=_bot_username,
        metavar="USERNAME",
        help="the Telegram bot's username (default: URBANBELL_TELEGRAM_BOT_USERNAME)",
    )
    posters.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="the posters' language (default: URBANBELL_DEFAULT_LOCALE)",
    )
    posters.set_defaults(command=_posters)

    for name, command, about in (
        ("console", _console, "chat with the bot in the terminal"),
        ("demo", _demo, "load the demo wards if the database is empty, then chat"),
    ):
        sub = commands.add_parser(name, help=about)
        sub.add_argument("--user", default="1", help="your id; a seeded officer's console_id")
        sub.add_argument("--lang", choices=LANGUAGES, help="your platform's language")
        sub.add_argument(
            "--files",
            type=Path,
            default=FILES,
            metavar="DIR",
            help=f"where the files the bot sends are saved (default: ./{FILES}/)",
        )
        sub.set_defaults(command=command)

    for name, command, about in (
        ("backup", _backup, "copy the SQLite database to FILE, even while the bot runs"),
        ("restore", _restore, "put a copy made by backup in place of the SQLite database"),
    ):
        sub = commands.add_parser(name, help=about)
        sub.add_argument("file", type=Path, metavar="FILE")
        sub.set_defaults(command=command)

    apikey = commands.add_parser("apikey", help="manage partners' keys for Open311")
    apikey_commands = apikey.add_subparsers(required=True, metavar="ACTION")
    add = apikey_commands.add_parser("add", help="issue a key to a partner, shown once")
    add.add_argument("partner", type=_partner, help="the partner's name")
    add.set_defaults(command=_apikey_add)
    apikey_commands.add_parser("list", help="list the keys issued").set_defaults(
        command=_apikey_list
    )
    revoke = apikey_commands.add_parser("revoke", help="stop a partner's key from filing")
    revoke.add_argument("partner", type=_partner, help="the partner's name")
    revoke.set_defaults(command=_apikey_revoke)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="bring the schema up to date").set_defaults(
        command=_db_upgrade
    )
    return parser


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    check_channels(settings)
    async with open_app(settings) as app:
        await serve(app)
    return 0


async def _seed(settings: Settings, args: argparse.Namespace) -> int:
    try:
        raw = args.file.read_bytes()
    except OSError as error:
        print(f"urbanbell: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 1
    async with open_app(settings) as app:
        try:
            summary = await _load_seed(app, raw, args.keep_officers)
        except SeedError as error:
            print(
                f"urbanbell: {args.file} is not a valid seed file, nothing was written:",
                file=sys.stderr,
            )
            print(error, file=sys.stderr)
            return 1
        # A changed calendar can crowd a slot beyond what the platform carries: say so now.
        crowded = await app.planner().crowded_ahead()
        translations = app.catalogues.get(args.lang)
    print(f"{args.file}: {seed_summary(summary, translations)}")
    for line in revoked_lines(summary, translations):
        print(line)
    for slot in crowded:
        print(
            f"warning: on {slot.channel} at {slot.minute:%Y-%m-%d %H:%M}, {slot.late} of "
            f"{slot.reminders} reminders cannot land on time at the platform's rate",
            file=sys.stderr,
        )
    return 0


async def _load_seed(app: App, raw: bytes, keep_officers: bool = False) -> SeedSummary:
    seed = read_seed(raw)
    notice = NoticeWording(app.catalogues, app.settings.default_locale)
    async with app.uow() as uow:
        summary = await apply_seed(uow, seed, app.settings.timezone, notice, keep_officers)
        await uow.commit()
    return summary


async def _posters(settings: Settings, args: argparse.Namespace) -> int:
    # Imported here: matplotlib takes a while to load, and only this command draws.
    from bot.features.bell.posters import ward_posters, write_poster

    bot = args.bot or settings.telegram_bot_username
    if bot is None:
        print(
            "urbanbell: posters need the bot's Telegram username: "
            "pass --bot USERNAME or set URBANBELL_TELEGRAM_BOT_USERNAME",
            file=sys.stderr,
        )
        return 2
    async with open_app(settings) as app:
        translations = app.catalogues.get(args.lang or settings.default_locale)
        async with app.uow() as uow:
            try:
                posters = await ward_posters(uow, args.ward, bot, translations)
            except WardNotFound:
                known = ", ".join(sorted(ward.code for ward in await uow.wards.all()))
                print(
                    f"urbanbell: no ward has the code {args.ward!r} (known: {known or 'none'})",
                    file=sys.stderr,
                )
                return 1
    if not posters:
        print(f"{args.ward} has no alleys: no poster written")
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        for poster in posters:
            path = args.out / f"{poster.alley_code}.pdf"
            write_poster(poster, path)
            print(f"{path}: {poster.alley}")
    except OSError as error:
        print(f"urbanbell: cannot write to {args.out}: {error.strerror}", file=sys.stderr)
        return 1
    return 0


async def _console(settings: Settings, args: argparse.Namespace) -> int:
    async with open_app(settings) as app:
        await _chat(app, args)
    return 0


async def _demo(settings: Settings, args: argparse.Namespace) -> int:
    async with open_app(settings) as app:
        async with app.uow() as uow:
            empty = not await uow.wards.all()
        if empty:
            summary = await _load_seed(app, DEMO_SEED.read_bytes())
            print(f"demo wards loaded: {seed_summary(summary, app.catalogues.get('en'))}")
        await _chat(app, args)
    return 0


async def _db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    async with open_app(settings):
        print("database schema is up to date")
    return 0


async def _apikey_add(settings: Settings, args: argparse.Namespace) -> int:
    async with open_app(settings) as app, app.uow() as uow:
        try:
            key, secret = await issue_key(uow, args.partner, app.clock.now())
        except PartnerHasKey:
            print(
                f"urbanbell: {args.partner} already has a key: revoke it first",
                file=sys.stderr,
            )
            return 1
        await uow.commit()
    print(f"key for {key.partner} (shown once, keep it safe): {secret}")
    return 0


async def _apikey_list(settings: Settings, args: argparse.Namespace) -> int:
    async with open_app(settings) as app, app.reads() as uow:
        keys = await issued_keys(uow)
    for key in keys:
        state = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "active"
        print(f"{key.partner}\t{key.shown}…\tissued {key.created_at:%Y-%m-%d %H:%M}\t{state}")
    if not keys:
        print("no keys issued")
    return 0


async def _apikey_revoke(settings: Settings, args: argparse.Namespace) -> int:
    async with open_app(settings) as app, app.uow() as uow:
        try:
            key = await revoke_key(uow, args.partner, app.clock.now())
        except ApiKeyNotFound:
            print(f"urbanbell: {args.partner} has no active key", file=sys.stderr)
            return 1
        await uow.commit()
    print(f"revoked the key of {key.partner} ({key.shown}…)")
    return 0


def _partner(value: str) -> str:
    name = value.strip()
    if not 1 <= len(name) <= 100 or not name.isprintable():
        raise argparse.ArgumentTypeError("a partner's name: 1 to 100 printable characters")
    return name


async def _backup(settings: Settings, args: argparse.Namespace) -> int:
    try:
        size = await asyncio.to_thread(backup, settings.database_url, args.file)
    except BackupError as error:
        print(f"urbanbell: {error}", file=sys.stderr)
        return 1
    print(f"{args.file}: {size / 1_000_000:.1f} MB, integrity checked")
    return 0


async def _restore(settings: Settings, args: argparse.Namespace) -> int:
    try:
        await asyncio.to_thread(restore, settings.database_url, args.file)
    except BackupError as error:
        print(f"urbanbell: {error}", file=sys.stderr)
        return 1
    async with open_app(settings):  # a copy from an older version gets the current schema
        pass
    print(f"restored {args.file}; the database schema is up to date")
    return 0


async def _chat(app: App, args: argparse.Namespace) -> None:
    sender = Sender(CHANNEL, str(args.user), None, args.lang)
    console: list[Channel] = [ConsoleChannel(files=args.files)]
    dispatcher = app.dispatcher(console, only_chat=sender.id)
    language = app.catalogues.pick(None, args.lang, app.settings.default_locale)
    _ = app.catalogues.get(language).gettext
    greeting = _(
        "Urban Bell in the terminal. Type /start to begin, answer options with their number, "
        "and press Ctrl-D to leave."
    )
    # The bell rings in the terminal too: plan it, and send what comes due while chatting.
    scheduler = app.scheduler(console)
    scheduler.start()
    leaving = asyncio.Event()
    ringing = asyncio.create_task(dispatcher.run(leaving))
    try:
        await chat(app.inbox, dispatcher.send_due, sender, greeting=greeting)
    finally:
        # Let the dispatcher finish what it holds: cut off mid-send, a reply would wait out its
        # lease, and with it every later message of this person, the next time they chat.
        leaving.set()
        dispatcher.wake()
        try:
            await asyncio.wait_for(ringing, LEAVING_WAIT)
        except TimeoutError:
            log.warning("left with messages still on their way; they go out next time")
        # The scheduler's shutdown cancels the jobs it runs: let them finish first.
        scheduler.pause()
        running = asyncio.all_tasks() - {asyncio.current_task()}
        if running:
            await asyncio.wait(running, timeout=LEAVING_WAIT)
        scheduler.shutdown(wait=False)


def _bot_username(value: str) -> str:
    try:
        return bot_username(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
