"""A ward's reports and their audit trail as officers export them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from core.reports import Category, EventKind, ReportState


@dataclass(frozen=True)
class ExportedReport:
    id: int
    alley_code: str | None
    alley_name: str | None
    category: Category
    state: ReportState
    description: str
    anonymous: bool
    reporter_name: str | None  # personal data: for the ward's officers, and never if anonymous
    reporter_phone: str | None
    location: tuple[float, float] | None
    created_at: datetime
    acknowledge_by: datetime | None
    acknowledged_at: datetime | None
    resolve_by: datetime | None
    resolved_at: datetime | None
    rating: int | None
    duplicate_of: int | None

    def for_officers(self) -> ExportedReport:
        """As the ward's officers may see it: an anonymous reporter stays unnamed."""
        if not self.anonymous:
            return self
        return replace(self, reporter_name=None, reporter_phone=None)


@dataclass(frozen=True)
class ExportedEvent:
    report_id: int
    at: datetime
    kind: EventKind
    from_state: ReportState | None
    to_state: ReportState | None
    officer_name: str | None
    by_reporter: bool
    note: str | None
