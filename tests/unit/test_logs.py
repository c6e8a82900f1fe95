"""Log lines for machines: one JSON object per event, ids included, tracebacks kept in it."""

from __future__ import annotations

import io
import json
import logging
import sys

from urbanbell.logs import JsonFormatter, configure_logging


def record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    entry = logging.LogRecord("scheduler.dispatcher", logging.INFO, "", 1, message, args, None)
    entry.__dict__.update(extra)
    return entry


def test_a_record_is_one_line_with_its_level_logger_event_and_ids() -> None:
    line = JsonFormatter().format(record("message %d ended: %s", 42, "sent", outbox_id=42))
    assert "\n" not in line
    fields = json.loads(line)
    assert fields["level"] == "INFO"
    assert fields["logger"] == "scheduler.dispatcher"
    assert fields["event"] == "message 42 ended: sent"
    assert fields["outbox_id"] == 42
    assert fields["timestamp"].endswith("+00:00")


def test_a_traceback_stays_inside_the_one_line() -> None:
    try:
        raise ValueError("broken")
    except ValueError:
        entry = logging.LogRecord("x", logging.ERROR, "", 1, "failed", None, sys.exc_info())
    line = JsonFormatter().format(entry)
    assert "\n" not in line
    assert "ValueError: broken" in json.loads(line)["exception"]


def test_json_lines_are_redacted_traceback_included() -> None:
    stream = io.StringIO()
    handler = configure_logging(logging.INFO, ["123456:secret-token-abc"], stream, form="json")
    try:
        try:
            raise RuntimeError("POST https://api.telegram.org/bot123456:secret-token-abc/getMe")
        except RuntimeError:
            logging.getLogger("bot.channels").exception("call failed for 0987654321")
    finally:
        logging.getLogger().removeHandler(handler)
    [line] = stream.getvalue().splitlines()
    fields = json.loads(line)
    assert fields["event"] == "call failed for <hidden>"
    assert "RuntimeError" in fields["exception"]
    assert "secret-token" not in line and "0987654321" not in line
