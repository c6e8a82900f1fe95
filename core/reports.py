"""Reports: what a resident says is wrong, the states it moves through, and its audit trail."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from core.model import Alley, Role, Ward


class ReportState(enum.StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


class Category(enum.StrEnum):
    LITTER = "litter"  # litter, illegal dumping, a missed collection
    LIGHTING = "lighting"
    DRAINAGE = "drainage"
    ROAD = "road"
    OTHER = "other"


class EventKind(enum.StrEnum):
    FILED = "filed"
    STATE = "state"
    REOPENED = "reopened"
    NOTE = "note"  # internal: officers only
    REPLY = "reply"  # an officer's message to the reporter
    ASSIGNED = "assigned"
    RATING = "rating"
    PHOTO = "photo"
    LOCATION = "location"
    ESCALATED = "escalated"


OPEN = frozenset({ReportState.NEW, ReportState.ACKNOWLEDGED, ReportState.IN_PROGRESS})
CLOSING = frozenset({ReportState.RESOLVED, ReportState.REJECTED, ReportState.DUPLICATE})

# Where officers may move a report from each open state. A resolved report goes back to
# `REOPENED_TO` only when its reporter says it is not fixed.
OFFICER_MOVES: Mapping[ReportState, frozenset[ReportState]] = {
    ReportState.NEW: frozenset({ReportState.ACKNOWLEDGED, ReportState.IN_PROGRESS} | CLOSING),
    ReportState.ACKNOWLEDGED: frozenset({ReportState.IN_PROGRESS} | CLOSING),
    ReportState.IN_PROGRESS: CLOSING,
}
REOPENED_TO = ReportState.ACKNOWLEDGED

# Who triages a ward's reports.
MAY_TRIAGE = frozenset({Role.OFFICER, Role.ADMIN})


def officer_may_move(current: ReportState, to: ReportState) -> bool:
    return to in OFFICER_MOVES.get(current, frozenset())


@dataclass(frozen=True)
class Reporter:
    """The resident behind a report; personal data, for the ward's officers only."""

    resident_id: int
    channel: str
    external_id: str
    display_name: str | None
    phone: str | None
    language: str | None
    platform_language: str | None
    active: bool


@dataclass(frozen=True)
class Report:
    id: int
    ward: Ward
    alley: Alley | None
    reporter: Reporter
    category: Category
    description: str
    state: ReportState
    anonymous: bool
    location: tuple[float, float] | None
    created_at: datetime
    collection_at: datetime | None = None  # the collection a "missed collection" is about
    assigned_officer_id: int | None = None
    duplicate_of: int | None = None
    rating: int | None = None
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    acknowledge_by: datetime | None = None
    resolve_by: datetime | None = None
    due_at: datetime | None = None  # the next target of an open report
    photos: tuple[str, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.state in OPEN

    def overdue(self, now: datetime) -> bool:
        return self.due_at is not None and self.due_at < now


@dataclass(frozen=True)
class NewReport:
    ward_id: int
    alley_id: int | None
    resident_id: int
    category: Category
    description: str
    anonymous: bool
    location: tuple[float, float] | None
    created_at: datetime
    acknowledge_by: datetime
    resolve_by: datetime
    collection_at: datetime | None = None
    photos: tuple[tuple[str, str], ...] = ()  # (channel, file reference)


@dataclass(frozen=True)
class ReportEvent:
    report_id: int
    at: datetime
    kind: EventKind
    from_state: ReportState | None = None
    to_state: ReportState | None = None
    officer_id: int | None = None
    resident_id: int | None = None
    note: str | None = None
    officer_name: str | None = None  # filled in when read back


@dataclass(frozen=True)
class InboxFilter:
    states: frozenset[ReportState] = frozenset()
    categories: frozenset[Category] = frozenset()
    alley_id: int | None = None
    overdue: bool = False
    assigned_to: frozenset[int] | None = None  # an officer's ids, one a ward they work in


@dataclass(frozen=True)
class Targets:
    """How long, in working hours, a ward has to acknowledge and to resolve a report."""

    acknowledge_hours: float
    resolve_hours: float


@dataclass(frozen=True)
class ReportPolicy:
    targets: Targets
    by_category: Mapping[Category, Targets] = field(default_factory=dict)
    per_hour: int = 5  # reports one resident may file in an hour
    max_photo_bytes: int = 20 * 1024 * 1024
    feedback_again_after_days: int = 3

    def targets_for(self, category: Category) -> Targets:
        return self.by_category.get(category, self.targets)
