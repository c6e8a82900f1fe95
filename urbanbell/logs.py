"""What the logs may carry (ids and reasons, never tokens or phone numbers), and their form:
one line per event, as text for people or as JSON for machines.

Drivers and HTTP clients put what they were given into their exceptions' texts (a statement's
values, a URL with the bot's token in its path). One filter on every handler passes each line,
its traceback included, through `redact` before any formatter sees it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

HIDDEN = "<hidden>"
LogFormat = Literal["text", "json"]
TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Libraries whose routine lines would drown the bot's: APScheduler announces every run of every
# job (one every ten seconds) at INFO; httpx logs every request's URL, which carries the token.
QUIET = ("apscheduler", "httpx")
# What every LogRecord carries; anything else was passed in `extra` (ids) and is written too.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}

# A bot token of either platform: `<bot id>:<secret>` (Telegram `123456:AA…`, Zalo
# `1234567890:abc…`), and whatever follows `/bot` in an API path.
_TOKEN = re.compile(r"(?<![\w])\d{6,}:[\w-]{8,}")
_TOKEN_IN_PATH = re.compile(r"/bot[^/\s'\"]+/")
# A Vietnamese phone number, written with or without spaces, dots or dashes: `0987654321`,
# `+84 987 654 321`, `0292.3821.234`.
_PHONE = re.compile(r"(?<![\w+])(?:\+84|0)(?:[ .-]?\d){8,10}(?![\w])")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """The text with every known secret, bot token and phone number replaced by `<hidden>`."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, HIDDEN)
    text = _TOKEN_IN_PATH.sub(f"/bot{HIDDEN}/", text)
    text = _TOKEN.sub(HIDDEN, text)
    return _PHONE.sub(HIDDEN, text)


class Redaction(logging.Filter):
    """Rewrites a record's message and traceback through `redact`, for every formatter."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self.secrets)
        record.args = None
        if record.exc_info:
            # The traceback is formatted here, once, so no formatter sees the raw exception.
            trace = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(trace, self.secrets)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: timestamp, level, logger, event, and the ids in `extra`."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        line.update((key, value) for key, value in vars(record).items() if key not in _STANDARD)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:  # formatted (and redacted) already by `Redaction`
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(
    level: int,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
    form: LogFormat = "text",
) -> logging.Handler:
    """Log to the stream (stderr) at the level, every line redacted, as text or JSON; return
    the handler."""
    handler = _Handler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if form == "json" else logging.Formatter(TEXT))
    handler.addFilter(Redaction(secrets))
    root = logging.getLogger()
    # Called again once the settings (and their secrets) are known: one handler, the newest.
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    return handler


class _Handler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler `configure_logging` installs, so that it replaces only its own."""
