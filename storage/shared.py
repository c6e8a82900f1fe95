"""What the repositories share: the clock they are given, a few rows read as core types, and
the dialect's INSERT."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from core.model import Alley, HolidayPolicy, Ward
from storage.models import AlleyRow, WardRow

Now = Callable[[], datetime]


def ward_from(row: WardRow) -> Ward:
    return Ward(
        row.id,
        row.code,
        row.name,
        row.timezone,
        HolidayPolicy(row.holiday_policy),
        row.evening_at,
    )


def point(latitude: float | None, longitude: float | None) -> tuple[float, float] | None:
    """A place on the map, when a row holds both of its halves."""
    if latitude is None or longitude is None:
        return None
    return (latitude, longitude)


def alley_from(row: AlleyRow, ward: WardRow) -> Alley:
    return Alley(row.id, row.code, row.name, ward_from(ward), point(row.latitude, row.longitude))


def apply_changes(row: object, **values: object) -> bool:
    """Set the values that differ; say whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def insert_for(session: AsyncSession) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT DO NOTHING on SQLite and PostgreSQL."""
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert
