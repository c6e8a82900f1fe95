"""What people read of reports: a resident's own, an officer's inbox, one report's trail."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core.indicators import triaged_wards
from core.model import Officer
from core.ports import UnitOfWork
from core.reports import InboxFilter, Report, ReportEvent
from core.triage import for_officer


@dataclass(frozen=True)
class InboxPage:
    reports: list[Report]
    total: int  # how many open reports match, on every page


@dataclass(frozen=True)
class ReportTrail:
    report: Report
    events: list[ReportEvent]  # the latest, oldest first


async def filed_by(uow: UnitOfWork, resident_id: int, limit: int) -> list[Report]:
    """The resident's latest reports, newest first."""
    return await uow.reports.of_resident(resident_id, limit)


async def inbox_page(
    uow: UnitOfWork,
    officers: Sequence[Officer],
    filters: InboxFilter,
    now: datetime,
    offset: int,
    limit: int,
) -> InboxPage:
    """One page of the open reports of every ward where the person triages, most pressing first."""
    ward_ids = [ward.id for ward in triaged_wards(officers)]
    found, total = await uow.reports.inbox(ward_ids, filters, now, offset, limit)
    return InboxPage(found, total)


async def with_trail(
    uow: UnitOfWork, officers: Sequence[Officer], report_id: int, latest: int
) -> ReportTrail:
    """The report, for an officer of its ward, with the latest events of its trail."""
    report = await for_officer(uow, officers, report_id)
    return ReportTrail(report, (await uow.reports.events(report_id))[-latest:])
