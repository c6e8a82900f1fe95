"""A ward's reports and their trail as CSV files that spreadsheets open in Vietnamese.

The csv module quotes commas, quotes and line breaks; the files are UTF-8 with a byte order
mark, without which Excel reads them in the machine's code page. A cell of someone's text that
starts like a formula gets a leading apostrophe, so that a spreadsheet shows it and runs nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.chat.i18n import N_
from bot.features.reports.cards import CATEGORY_NAMES, EVENT_NAMES, STATE_NAMES
from core.indicators import Export
from core.reports import ReportState

Gettext = Callable[[str], str]
Cell = str | int | float | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

REPORT_COLUMNS = (
    N_("Number"),
    N_("Filed"),
    N_("Alley code"),
    N_("Alley"),
    N_("Category"),
    N_("State"),
    N_("Description"),
    N_("Anonymous"),
    N_("Reporter"),
    N_("Phone"),
    N_("Latitude"),
    N_("Longitude"),
    N_("Acknowledge by"),
    N_("Acknowledged"),
    N_("Resolve by"),
    N_("Resolved"),
    N_("Rating"),
    N_("Duplicate of"),
)
EVENT_COLUMNS = (
    N_("Report"),
    N_("Time"),
    N_("Event"),
    N_("From state"),
    N_("To state"),
    N_("Officer"),
    N_("By the reporter"),
    N_("Note"),
)


def reports_csv(_: Gettext, export: Export) -> bytes:
    zone = ZoneInfo(export.ward.timezone)
    rows = (
        (
            r.id,
            _local(r.created_at, zone),
            r.alley_code,
            _text(r.alley_name),
            _(CATEGORY_NAMES[r.category]),
            _state(_, r.state),
            _text(r.description),
            _yes_no(_, r.anonymous),
            _text(r.reporter_name),
            r.reporter_phone,
            r.location[0] if r.location else None,
            r.location[1] if r.location else None,
            _local(r.acknowledge_by, zone),
            _local(r.acknowledged_at, zone),
            _local(r.resolve_by, zone),
            _local(r.resolved_at, zone),
            r.rating,
            r.duplicate_of,
        )
        for r in export.reports
    )
    return _csv([_(c) for c in REPORT_COLUMNS], rows)


def events_csv(_: Gettext, export: Export) -> bytes:
    zone = ZoneInfo(export.ward.timezone)
    rows = (
        (
            e.report_id,
            _local(e.at, zone),
            _(EVENT_NAMES[e.kind]),
            _state(_, e.from_state),
            _state(_, e.to_state),
            _text(e.officer_name),
            _yes_no(_, e.by_reporter),
            _text(e.note),
        )
        for e in export.events
    )
    return _csv([_(c) for c in EVENT_COLUMNS], rows)


def _csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _text(text: str | None) -> str | None:
    """Someone's words, never read as a formula."""
    if text is not None and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _local(at: datetime | None, zone: ZoneInfo) -> str | None:
    return None if at is None else f"{at.astimezone(zone):%Y-%m-%d %H:%M}"


def _state(_: Gettext, state: ReportState | None) -> str | None:
    return None if state is None else _(STATE_NAMES[state])


def _yes_no(_: Gettext, value: bool) -> str:
    return _("yes") if value else _("no")
