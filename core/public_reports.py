"""What anyone may read of reports: their category, state, place to about 100 m, and times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.reports import Category, ReportState

# Three decimals of a degree are about 110 m of latitude: near enough to find the problem,
# too coarse to point at a house.
PUBLIC_DECIMALS = 3


def rounded(location: tuple[float, float] | None) -> tuple[float, float] | None:
    if location is None:
        return None
    return (round(location[0], PUBLIC_DECIMALS), round(location[1], PUBLIC_DECIMALS))


@dataclass(frozen=True)
class PublicReport:
    id: int
    category: Category
    state: ReportState
    ward_code: str
    ward_name: str
    alley_code: str | None
    alley_name: str | None
    location: tuple[float, float] | None  # already rounded
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class PublicFilter:
    ids: frozenset[int] = frozenset()
    categories: frozenset[Category] = frozenset()
    states: frozenset[ReportState] = frozenset()
    since: datetime | None = None
    until: datetime | None = None
