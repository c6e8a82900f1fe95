"""Copies of a SQLite database taken while the bot runs, and putting one back while it does not.

The copy goes through SQLite's online backup API in one step: it reads one consistent snapshot
(in WAL mode writers go on meanwhile), whatever is being written at that moment. Every process
that uses the database holds a shared lock on a file beside it; a restore needs that lock alone.
PostgreSQL has its own tools (`pg_dump`, `pg_restore`).
"""

from __future__ import annotations

import contextlib
import fcntl
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """A copy cannot be taken or put back; the message is one line saying why."""


def sqlite_path(database_url: str) -> Path | None:
    """The database's file, or None when it is not a SQLite file (PostgreSQL, or in memory)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database or "")


def _lock_file(database: Path) -> Path:
    return database.with_name(database.name + ".in-use")


@contextlib.contextmanager
def in_use(database_url: str) -> Iterator[None]:
    """Mark the database as in use by this process until the block ends (SQLite only)."""
    database = sqlite_path(database_url)
    if database is None:
        yield
        return
    with _lock_file(database).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def backup(database_url: str, target: Path) -> int:
    """Copy the database to `target` (which must not exist); returns the copy's size in bytes."""
    database = _existing(database_url)
    if target.exists():
        raise BackupError(f"{target} exists already: choose a new file name")
    partial = target.with_name(target.name + ".partial")
    try:
        with _connect(database) as source, _connect(partial) as copy:
            source.backup(copy)  # one step: one consistent snapshot
        _check(partial)
        partial.rename(target)
    except sqlite3.Error as error:
        raise BackupError(f"cannot copy {database} to {target}: {error}") from None
    except OSError as error:
        raise BackupError(f"cannot write {target}: {error.strerror}") from None
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size


def restore(database_url: str, source: Path) -> None:
    """Put the copy in `source` in place of the database; refused while a process uses it."""
    database = sqlite_path(database_url)
    if database is None:
        raise BackupError(_not_sqlite(database_url))
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    try:
        _check(source)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a sound SQLite database: {error}") from None
    database.parent.mkdir(parents=True, exist_ok=True)
    with _lock_file(database).open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(
                f"{database} is in use (urbanbell run, or a console): stop it first"
            ) from None
        try:
            with _connect(source) as copy, _connect(database) as target:
                copy.backup(target)
        except sqlite3.Error as error:
            raise BackupError(f"cannot restore {source} to {database}: {error}") from None
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _existing(database_url: str) -> Path:
    database = sqlite_path(database_url)
    if database is None:
        raise BackupError(_not_sqlite(database_url))
    if not database.is_file():
        raise BackupError(f"no database at {database} (URBANBELL_DATABASE_URL)")
    return database


def _not_sqlite(database_url: str) -> str:
    if make_url(database_url).get_backend_name() == "postgresql":
        return "the database is PostgreSQL: use pg_dump and pg_restore (see README.md, Backups)"
    return "URBANBELL_DATABASE_URL names no SQLite file"


@contextlib.contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(path, timeout=30)
    try:
        yield connection
    finally:
        connection.close()


def _check(path: Path) -> None:
    """Raise unless the file is a SQLite database that passes `PRAGMA integrity_check`."""
    with _connect(path) as connection:
        [(verdict,)] = connection.execute("PRAGMA integrity_check").fetchall()
    if verdict != "ok":
        raise sqlite3.DatabaseError(f"integrity check: {verdict}")
