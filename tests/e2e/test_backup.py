"""`urbanbell backup` during a large send, and `urbanbell restore`, with the real processes."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.model import NewMessage
from storage import migrate
from storage.database import create_engine, session_factory
from storage.uow import SqlUnitOfWork
from tests.e2e.conftest import LAN, free_port, urbanbell
from tests.fakes.telegram import FakeTelegram
from tests.support import FixedClock
from urbanbell.cli import DEMO_SEED

MESSAGES = 1_000


async def queue_messages(database_url: str) -> None:
    """A thousand residents' bells, due now, as a crowded evening has them."""
    now = datetime.now(UTC)
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    async with SqlUnitOfWork(session_factory(engine), FixedClock(now)) as uow:
        await uow.outbox.add_new(
            [
                NewMessage(
                    "bell",
                    "telegram",
                    str(LAN + number),
                    {"text": f"bell {number}", "choices": []},
                    key=f"bell:backup-{number}",
                    deadline=now + timedelta(minutes=5),
                    expires_at=now + timedelta(hours=1),
                )
                for number in range(MESSAGES)
            ]
        )
        await uow.commit()
    await engine.dispose()


def statuses(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT status, count(*) FROM outbox GROUP BY status")
        return dict(rows.fetchall())


async def finished(process: asyncio.subprocess.Process) -> tuple[int, str, str]:
    stdout, stderr = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


async def test_a_backup_during_a_large_send_is_sound_and_a_restored_copy_serves(
    fake: FakeTelegram, bot_env: dict[str, str], tmp_path: Path
) -> None:
    database = tmp_path / "bell.db"
    env = {**bot_env, "URBANBELL_TELEGRAM_PER_SECOND": "100"}
    assert await (await urbanbell(env, "seed", str(DEMO_SEED))).wait() == 0
    await queue_messages(env["URBANBELL_DATABASE_URL"])
    copy = tmp_path / "copy.db"

    bot = await urbanbell(env, "run")
    try:
        await fake.wait_for_calls("sendMessage", MESSAGES // 10, timeout=120)
        backed_up = await finished(await urbanbell(env, "backup", str(copy)))
        sent_by_then = len(fake.sent)
        refused = await finished(await urbanbell(env, "restore", str(copy)))
    finally:
        bot.send_signal(signal.SIGTERM)
        stopped = await finished(bot)
    assert stopped[0] == 0, stopped[2]
    assert backed_up[0] == 0, backed_up[2]
    assert sent_by_then < MESSAGES  # the copy was taken in the middle of the send

    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    in_copy = statuses(copy)
    assert sum(in_copy.values()) == MESSAGES
    assert 0 < in_copy.get("sent", 0) < MESSAGES

    # While a process uses the database, nothing is put back over it.
    assert refused[0] == 1
    assert "in use" in refused[2] and "stop it first" in refused[2]
    after = statuses(database)
    assert sum(after.values()) == MESSAGES and after["sent"] > in_copy["sent"]

    restored = tmp_path / "restored" / "bell.db"
    elsewhere = {
        **env,
        "URBANBELL_DATABASE_URL": f"sqlite+aiosqlite:///{restored}",
        "URBANBELL_HTTP_PORT": str(free_port()),
    }
    put_back = await finished(await urbanbell(elsewhere, "restore", str(copy)))
    assert put_back[0] == 0, put_back[2]
    serving = await urbanbell(elsewhere, "run")
    try:
        fake.send_text(LAN - 1, "/start nk-hem-51", language_code="en")
        [answer] = await fake.wait_for_messages(LAN - 1, 1, timeout=60)
        for _ in range(600):  # what the copy still held goes out, the unfinished ones again
            if set(statuses(restored)) == {"sent"}:
                break
            await asyncio.sleep(0.1)
    finally:
        serving.send_signal(signal.SIGTERM)
        served = await finished(serving)
    assert served[0] == 0, served[2]
    assert answer.text is not None and answer.text.startswith("You now follow Hẻm 51")
    assert set(statuses(restored)) == {"sent"}


async def test_backup_and_restore_refuse_what_they_cannot_do_in_one_line(
    bot_env: dict[str, str], tmp_path: Path
) -> None:
    assert await (await urbanbell(bot_env, "db", "upgrade")).wait() == 0
    existing = tmp_path / "existing.db"
    existing.write_bytes(b"")
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("not a database at all\n" * 100)
    postgres = {**bot_env, "URBANBELL_DATABASE_URL": "postgresql+asyncpg://u@127.0.0.1/db"}
    for env, args, says in (
        (bot_env, ("backup", str(existing)), "exists already"),
        (bot_env, ("restore", str(not_a_database)), "is not a sound SQLite database"),
        (bot_env, ("restore", str(tmp_path / "missing.db")), "is not a file"),
        (postgres, ("backup", str(tmp_path / "pg.db")), "use pg_dump and pg_restore"),
    ):
        code, _, stderr = await finished(await urbanbell(env, *args))
        assert code == 1, stderr
        assert says in stderr and len(stderr.strip().splitlines()) == 1, stderr
