"""What a partner sends, read as plain values, and what it is answered, as GeoReport v2 items."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.web.open311.formats import Open311Error, stamp
from core.public_reports import PublicReport
from core.reports import OPEN, Category


def listed(value: str | None) -> list[str]:
    """A comma-separated parameter's parts."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def category(code: str, status: int) -> Category:
    try:
        return Category(code)
    except ValueError:
        raise Open311Error(
            status, f"service_code: no service has the code {code[:40]!r}"
        ) from None


def instant(query: Mapping[str, str], name: str) -> datetime | None:
    """An ISO 8601 date and time with its zone, as the specification asks."""
    given = query.get(name)
    if not given:
        return None
    try:
        found = datetime.fromisoformat(given)
    except ValueError:
        found = None
    if found is None or found.tzinfo is None:
        raise Open311Error(400, f"{name}: an ISO 8601 date and time with its zone") from None
    return found


def number(query: Mapping[str, str], name: str, default: int, most: int) -> int:
    given = query.get(name)
    if given is None:
        return default
    if not given.isdigit() or not 1 <= int(given[:10]) <= most:
        raise Open311Error(400, f"{name}: a whole number from 1 to {most}")
    return int(given)


def location(given: Mapping[str, str]) -> tuple[float, float] | None:
    """The pin a partner sends (lat and long), when it sends one."""
    lat, long = given.get("lat"), given.get("long")
    if not lat and not long:
        return None
    try:
        where = (float(lat or ""), float(long or ""))
    except ValueError:
        where = (math.nan, math.nan)
    if not (-90 <= where[0] <= 90 and -180 <= where[1] <= 180):
        raise Open311Error(400, "lat and long: a position in degrees (WGS84)")
    return where


def as_service(kind: Category, name: str) -> dict[str, Any]:
    return {
        "service_code": kind.value,
        "service_name": name,
        "description": name,
        "metadata": False,
        "type": "realtime",
        "keywords": kind.value,
        "group": "report",
    }


def as_request(report: PublicReport, service_name: str, state_name: str) -> dict[str, Any]:
    """A report as anyone may read it: no name, phone or description, the place rounded."""
    where = report.location
    return {
        "service_request_id": str(report.id),
        "status": "open" if report.state in OPEN else "closed",
        # An extension: the state as the ward's officers set it.
        "detailed_status": report.state.value,
        "detailed_status_name": state_name,
        "service_name": service_name,
        "service_code": report.category.value,
        "agency_responsible": report.ward_name,
        "jurisdiction_id": report.ward_code,
        "requested_datetime": stamp(report.created_at),
        "updated_datetime": stamp(report.updated_at),
        "address": report.alley_name,
        "address_id": report.alley_code,
        "lat": where[0] if where else None,
        "long": where[1] if where else None,
    }
