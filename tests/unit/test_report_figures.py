"""The figures of reports: periods, counts, medians, shares, groups."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.features.figures.wording import period_slug
from core.model import Alley, HolidayPolicy, Ward
from core.report_figures import (
    BadPeriod,
    Figures,
    Period,
    PeriodKind,
    ReportFacts,
    figures_of,
    period_of,
    ward_figures_of,
)
from core.reports import Category, ReportState

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOVEMBER = Period(
    PeriodKind.MONTH, datetime(2026, 11, 1, tzinfo=VN), datetime(2026, 12, 1, tzinfo=VN)
)
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=VN)
WARD = Ward(1, "ninh-kieu", "Phường Ninh Kiều", "Asia/Ho_Chi_Minh", HolidayPolicy.SKIP)


def filed(
    day: int,
    *,
    hour: int = 8,
    state: ReportState = ReportState.NEW,
    acknowledged_after: float | None = None,
    resolved_after: float | None = None,
    target_hours: float = 72,
    rating: int | None = None,
    category: Category = Category.LITTER,
    alley_id: int | None = None,
    month: int = 11,
) -> ReportFacts:
    """A report filed on a day of November (or `month`), its times given in hours after."""
    created = datetime(2026, month, day, hour, tzinfo=VN)
    resolved = created + timedelta(hours=resolved_after) if resolved_after is not None else None
    open_ = state in {ReportState.NEW, ReportState.ACKNOWLEDGED, ReportState.IN_PROGRESS}
    return ReportFacts(
        ward_id=1,
        alley_id=alley_id,
        category=category,
        state=ReportState.RESOLVED if resolved is not None else state,
        created_at=created,
        acknowledged_at=(
            created + timedelta(hours=acknowledged_after)
            if acknowledged_after is not None
            else None
        ),
        resolved_at=resolved,
        resolve_by=created + timedelta(hours=target_hours),
        due_at=created + timedelta(hours=target_hours) if open_ and resolved is None else None,
        rating=rating,
    )


def test_no_period_is_this_month_in_the_wards_time_zone() -> None:
    # 23:30 UTC on 30 November is already 1 December in Vietnam.
    now = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)

    period = period_of("", now, VN)

    assert period == Period(
        PeriodKind.MONTH, datetime(2026, 12, 1, tzinfo=VN), datetime(2027, 1, 1, tzinfo=VN)
    )


def test_a_month_a_year_a_week_and_days_are_periods() -> None:
    assert period_of("2026-02", NOW, VN) == Period(
        PeriodKind.MONTH, datetime(2026, 2, 1, tzinfo=VN), datetime(2026, 3, 1, tzinfo=VN)
    )
    assert period_of("2/2026", NOW, VN) == period_of("02-2026", NOW, VN)
    assert period_of("02/2026", NOW, VN) == period_of("2026-02", NOW, VN)
    assert period_of("2025", NOW, VN) == Period(
        PeriodKind.YEAR, datetime(2025, 1, 1, tzinfo=VN), datetime(2026, 1, 1, tzinfo=VN)
    )
    assert period_of(" Week ", NOW, VN) == Period(PeriodKind.DAYS, NOW - timedelta(days=7), NOW)
    assert period_of("tuần", NOW, VN).days == 7
    assert period_of("30d", NOW, VN) == Period(PeriodKind.DAYS, NOW - timedelta(days=30), NOW)


@pytest.mark.parametrize(
    "text",
    [
        "2026-13",
        "2026-00",
        "13/2026",
        "0/2026",
        "2026-1",
        "0d",
        "99999d",
        "month",
        "26",
        "0000",
        "0001",
        "0001-01",
        "9999",
        "-7d",
    ],
)
def test_anything_else_is_a_bad_period(text: str) -> None:
    with pytest.raises(BadPeriod) as refused:
        period_of(text, NOW, VN)
    assert refused.value.text == text


def test_an_empty_period_has_counts_of_zero_and_no_medians_or_shares() -> None:
    figures = figures_of([], NOVEMBER, NOW)

    assert figures == Figures()
    assert figures.on_time_share is None
    assert figures.overdue_share is None


def test_medians_are_wall_clock_hours_and_even_counts_take_the_middle_two() -> None:
    facts = [
        filed(2, acknowledged_after=1, resolved_after=10),
        filed(3, acknowledged_after=2, resolved_after=20),
        filed(4, acknowledged_after=4, resolved_after=40),
        filed(5, acknowledged_after=30, resolved_after=50),
        filed(6, state=ReportState.NEW),  # unanswered: in no median
    ]

    figures = figures_of(facts, NOVEMBER, NOW)

    assert figures.received == 5
    assert figures.resolved == 4
    assert figures.hours_to_acknowledge == 3.0
    assert figures.hours_to_resolve == 30.0


def test_on_time_is_resolved_by_the_target_and_late_ones_are_overdue() -> None:
    facts = [
        filed(2, resolved_after=72),  # exactly at the target: on time
        filed(3, resolved_after=73),  # late
        filed(4, resolved_after=5),
    ]

    figures = figures_of(facts, NOVEMBER, NOW)

    assert (figures.resolved, figures.resolved_on_time) == (3, 2)
    assert figures.on_time_share == pytest.approx(2 / 3)
    assert (figures.received, figures.overdue) == (3, 1)


def test_an_open_report_past_its_target_is_overdue_and_a_rejected_one_never() -> None:
    facts = [
        filed(20, state=ReportState.IN_PROGRESS),  # due 23 Nov: overdue now
        filed(29, state=ReportState.ACKNOWLEDGED),  # due 2 Dec: not yet
        filed(10, state=ReportState.REJECTED, acknowledged_after=1),
    ]

    figures = figures_of(facts, NOVEMBER, NOW)

    assert (figures.received, figures.overdue) == (3, 1)
    assert figures.overdue_share == pytest.approx(1 / 3)


def test_a_report_filed_before_the_period_counts_where_it_was_resolved() -> None:
    october = filed(30, month=10, resolved_after=72, rating=4)  # resolved 2 November
    december = filed(1, month=12, state=ReportState.NEW)

    figures = figures_of([october, december], NOVEMBER, NOW)

    assert (figures.received, figures.resolved) == (0, 1)
    assert figures.hours_to_resolve == 72.0
    assert (figures.rating, figures.ratings) == (4.0, 1)


def test_satisfaction_is_the_mean_of_the_ratings_given() -> None:
    facts = [
        filed(2, resolved_after=5, rating=5),
        filed(3, resolved_after=5, rating=4),
        filed(4, resolved_after=5),
    ]

    figures = figures_of(facts, NOVEMBER, NOW)

    assert (figures.rating, figures.ratings) == (4.5, 2)


def test_a_ward_has_every_category_in_order_and_its_alleys_by_name_unknown_last() -> None:
    hem_51 = Alley(51, "nk-hem-51", "Hẻm 51", WARD)
    hem_6 = Alley(6, "nk-hem-6", "Hẻm 6", WARD)
    facts = [
        filed(2, category=Category.ROAD, alley_id=51, resolved_after=5),
        filed(3, category=Category.ROAD, alley_id=6),
        filed(4, category=Category.LIGHTING, alley_id=None),
        filed(5, category=Category.ROAD, alley_id=51),
    ]

    figures = ward_figures_of(WARD, [hem_6, hem_51], facts, NOVEMBER, NOW)

    assert [c for c, _ in figures.by_category] == list(Category)
    by_category = dict(figures.by_category)
    assert (by_category[Category.ROAD].received, by_category[Category.ROAD].resolved) == (3, 1)
    assert by_category[Category.DRAINAGE] == Figures()
    assert [(a.name if a else None, f.received) for a, f in figures.by_alley] == [
        ("Hẻm 51", 2),
        ("Hẻm 6", 1),
        (None, 1),
    ]
    assert figures.total.received == 4


def test_a_report_of_an_alley_no_longer_known_counts_without_it() -> None:
    facts = [replace(filed(2), alley_id=999), filed(3)]

    figures = ward_figures_of(WARD, [], facts, NOVEMBER, NOW)

    assert [(a, f.received) for a, f in figures.by_alley] == [(None, 2)]


@pytest.mark.parametrize("text", ["30d", "week"])
def test_a_file_name_carries_the_wards_date(text: str) -> None:
    # 02:40 on 05/12 in the ward is still 04/12 in UTC.
    late_night = datetime(2026, 12, 4, 19, 40, tzinfo=UTC)
    days = period_of(text, late_night, VN)
    assert period_slug(days).endswith("-2026-12-05")
    assert days.until.date() == date(2026, 12, 5)
