"""The CSV of an export: Excel opens it in Vietnamese and runs no one's text as a formula."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from bot.features.figures.exports import reports_csv
from core.indicators import Export
from core.model import HolidayPolicy, Ward
from core.report_export import ExportedReport
from core.report_figures import Period, PeriodKind
from core.reports import Category, ReportState

WARD = Ward(1, "ninh-kieu", "Phường Ninh Kiều", "Asia/Ho_Chi_Minh", HolidayPolicy.SKIP)
FILED = datetime(2026, 11, 5, 2, 0, tzinfo=UTC)


def report(description: str, name: str | None, anonymous: bool = False) -> ExportedReport:
    return ExportedReport(
        id=7,
        alley_code=None,
        alley_name=None,
        category=Category.ROAD,
        state=ReportState.NEW,
        description=description,
        anonymous=anonymous,
        reporter_name=name,
        reporter_phone="+84 912 345 678",
        location=(10.03, 105.77),
        created_at=FILED,
        acknowledge_by=None,
        acknowledged_at=None,
        resolve_by=None,
        resolved_at=None,
        rating=None,
        duplicate_of=None,
    )


def exported(*reports: ExportedReport) -> list[dict[str, str]]:
    period = Period(PeriodKind.MONTH, FILED, FILED)
    content = reports_csv(str, Export(WARD, period, list(reports), []))
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_text_that_starts_like_a_formula_is_shown_not_run() -> None:
    [row] = exported(report('=HYPERLINK("http://x","bấm")', "@admin"))

    assert row["Description"] == '\'=HYPERLINK("http://x","bấm")'
    assert row["Reporter"] == "'@admin"
    assert row["Phone"] == "+84 912 345 678"  # a number the platform gave, never a formula


def test_times_are_the_wards_and_an_anonymous_reporter_is_hidden_from_officers() -> None:
    [row] = exported(report("ổ gà", "Cô Ba", anonymous=True).for_officers())

    assert row["Filed"] == "2026-11-05 09:00"
    assert (row["Anonymous"], row["Reporter"], row["Phone"]) == ("yes", "", "")
    assert (row["Latitude"], row["Longitude"]) == ("10.03", "105.77")
