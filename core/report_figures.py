"""The figures by which residents and officers judge the ward's work on reports.

Computed in plain Python from a narrow projection of the period's reports. Times are
wall-clock hours from filing (nights and holidays included), as a resident waits them; the
targets they are judged against were set in working hours when each report was filed.
"""

from __future__ import annotations

import enum
import re
import statistics
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.errors import DomainError
from core.model import Alley, Ward
from core.reports import OPEN, Category, ReportState

HOUR = timedelta(hours=1)
MAX_DAYS = 3660
# Years a period may name: any other is a typo (year 1 in Vietnam is before year 1 in UTC).
FIRST_YEAR, LAST_YEAR = 2000, 2999
WEEK_WORDS = frozenset({"week", "tuan", "tuần"})
DAYS_PATTERN = re.compile(r"(\d{1,4})d")
MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})")
MONTH_FIRST_PATTERN = re.compile(r"(\d{1,2})[/-](\d{4})")  # 11/2026, as the ward writes it
YEAR_PATTERN = re.compile(r"\d{4}")


class BadPeriod(DomainError):
    """A period that is none of: nothing, `YYYY-MM`, `MM/YYYY`, `YYYY`, `week`, `<N>d`."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    YEAR = "year"
    DAYS = "days"  # the last days up to now


@dataclass(frozen=True)
class Period:
    """The instants [since, until), in a ward's time zone."""

    kind: PeriodKind
    since: datetime
    until: datetime

    @property
    def days(self) -> int:
        return round((self.until - self.since) / timedelta(days=1))


def period_of(text: str, now: datetime, zone: ZoneInfo) -> Period:
    """The period an officer names; nothing means this month, in the ward's time zone."""
    asked = text.strip().lower()
    now = now.astimezone(zone)  # so that the days' ends carry the ward's dates
    today = now.date()
    if not asked:
        return _month(today.year, today.month, zone)
    if asked in WEEK_WORDS:
        return Period(PeriodKind.DAYS, now - timedelta(days=7), now)
    if found := DAYS_PATTERN.fullmatch(asked):
        days = int(found[1])
        if not 1 <= days <= MAX_DAYS:
            raise BadPeriod(text)
        return Period(PeriodKind.DAYS, now - timedelta(days=days), now)
    if found := MONTH_PATTERN.fullmatch(asked):
        return _named_month(text, int(found[1]), int(found[2]), zone)
    if found := MONTH_FIRST_PATTERN.fullmatch(asked):
        return _named_month(text, int(found[2]), int(found[1]), zone)
    if YEAR_PATTERN.fullmatch(asked) and FIRST_YEAR <= int(asked) <= LAST_YEAR:
        year = int(asked)
        return Period(PeriodKind.YEAR, _midnight(date(year, 1, 1), zone), _year_end(year, zone))
    raise BadPeriod(text)


def _named_month(text: str, year: int, month: int, zone: ZoneInfo) -> Period:
    if not (1 <= month <= 12 and FIRST_YEAR <= year <= LAST_YEAR):
        raise BadPeriod(text)
    return _month(year, month, zone)


def _month(year: int, month: int, zone: ZoneInfo) -> Period:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return Period(PeriodKind.MONTH, _midnight(first, zone), _midnight(following, zone))


def _year_end(year: int, zone: ZoneInfo) -> datetime:
    return _midnight(date(year + 1, 1, 1), zone)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone)


@dataclass(frozen=True)
class ReportFacts:
    """What the figures need of one report: no description, no reporter."""

    ward_id: int
    alley_id: int | None
    category: Category
    state: ReportState
    created_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    resolve_by: datetime | None
    due_at: datetime | None
    rating: int | None


@dataclass(frozen=True)
class Figures:
    """One group of reports over a period.

    Received and resolved count the reports filed and resolved in the period. The time to
    acknowledge is the median over the received ones that an officer answered; the time to
    resolve, the on-time share and the satisfaction are over the resolved ones. The overdue
    share is of the received ones: still open past their target, or resolved after it.
    """

    received: int = 0
    resolved: int = 0
    hours_to_acknowledge: float | None = None
    hours_to_resolve: float | None = None
    resolved_on_time: int = 0
    overdue: int = 0
    rating: float | None = None
    ratings: int = 0

    @property
    def on_time_share(self) -> float | None:
        return self.resolved_on_time / self.resolved if self.resolved else None

    @property
    def overdue_share(self) -> float | None:
        return self.overdue / self.received if self.received else None


def figures_of(facts: Iterable[ReportFacts], period: Period, now: datetime) -> Figures:
    received = [f for f in facts if period.since <= f.created_at < period.until]
    resolved = [
        f
        for f in facts
        if f.resolved_at is not None and period.since <= f.resolved_at < period.until
    ]
    ratings = [f.rating for f in resolved if f.rating is not None]
    return Figures(
        received=len(received),
        resolved=len(resolved),
        hours_to_acknowledge=_median(
            (f.acknowledged_at - f.created_at) / HOUR
            for f in received
            if f.acknowledged_at is not None
        ),
        hours_to_resolve=_median(
            (f.resolved_at - f.created_at) / HOUR for f in resolved if f.resolved_at is not None
        ),
        resolved_on_time=sum(1 for f in resolved if not _late(f)),
        overdue=sum(1 for f in received if _overdue(f, now)),
        rating=statistics.fmean(ratings) if ratings else None,
        ratings=len(ratings),
    )


def _median(hours: Iterable[float]) -> float | None:
    found = list(hours)
    return statistics.median(found) if found else None


def _late(fact: ReportFacts) -> bool:
    """Resolved after its target; a report filed without one is never late."""
    return (
        fact.resolved_at is not None
        and fact.resolve_by is not None
        and fact.resolved_at > fact.resolve_by
    )


def _overdue(fact: ReportFacts, now: datetime) -> bool:
    if fact.state in OPEN:
        return fact.due_at is not None and fact.due_at < now
    return _late(fact)


@dataclass(frozen=True)
class WardFigures:
    ward: Ward
    period: Period
    total: Figures
    by_category: tuple[tuple[Category, Figures], ...]  # every category, in its order
    # Alleys with a report in the period, by name; None holds the reports of no alley.
    by_alley: tuple[tuple[Alley | None, Figures], ...]


def ward_figures_of(
    ward: Ward,
    alleys: Collection[Alley],
    facts: Sequence[ReportFacts],
    period: Period,
    now: datetime,
) -> WardFigures:
    named: dict[int | None, Alley] = {alley.id: alley for alley in alleys}
    by_category: dict[Category, list[ReportFacts]] = defaultdict(list)
    by_alley: dict[Alley | None, list[ReportFacts]] = defaultdict(list)
    for fact in facts:
        by_category[fact.category].append(fact)
        by_alley[named.get(fact.alley_id)].append(fact)
    alley_figures = [(alley, figures_of(group, period, now)) for alley, group in by_alley.items()]
    alley_figures.sort(key=lambda pair: (pair[0] is None, pair[0].name if pair[0] else ""))
    return WardFigures(
        ward=ward,
        period=period,
        total=figures_of(facts, period, now),
        by_category=tuple((c, figures_of(by_category[c], period, now)) for c in Category),
        by_alley=tuple(alley_figures),
    )
