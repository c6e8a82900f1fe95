"""Reports of a period, read narrowly for the figures and whole for the exports."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from core.report_export import ExportedEvent, ExportedReport
from core.report_figures import ReportFacts
from core.reports import Category, EventKind, ReportState
from storage.models import AlleyRow, OfficerRow, ReportEventRow, ReportRow, ResidentRow
from storage.shared import point

FACT_COLUMNS = (
    ReportRow.ward_id,
    ReportRow.alley_id,
    ReportRow.category,
    ReportRow.state,
    ReportRow.created_at,
    ReportRow.acknowledged_at,
    ReportRow.resolved_at,
    ReportRow.resolve_by,
    ReportRow.due_at,
    ReportRow.rating,
)


class FiguresRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def facts(
        self, ward_ids: Collection[int], since: datetime, until: datetime
    ) -> list[ReportFacts]:
        wards = ReportRow.ward_id.in_(list(ward_ids))
        # Two range reads, each on its own index: filed in the period, and resolved in it
        # though filed before (nothing filed after `until` was resolved before it).
        filed = select(*FACT_COLUMNS).where(
            wards, ReportRow.created_at >= since, ReportRow.created_at < until
        )
        resolved = select(*FACT_COLUMNS).where(
            wards,
            ReportRow.resolved_at >= since,
            ReportRow.resolved_at < until,
            ReportRow.created_at < since,
        )
        rows = await self.session.execute(union_all(filed, resolved))
        return [
            ReportFacts(
                ward_id=row.ward_id,
                alley_id=row.alley_id,
                category=Category(row.category),
                state=ReportState(row.state),
                created_at=row.created_at,
                acknowledged_at=row.acknowledged_at,
                resolved_at=row.resolved_at,
                resolve_by=row.resolve_by,
                due_at=row.due_at,
                rating=row.rating,
            )
            for row in rows
        ]

    async def reports(
        self, ward_id: int, since: datetime, until: datetime
    ) -> list[ExportedReport]:
        rows = await self.session.execute(
            select(
                ReportRow,
                ResidentRow.display_name,
                ResidentRow.phone,
                AlleyRow.code,
                AlleyRow.name,
            )
            .join(ResidentRow, ReportRow.resident_id == ResidentRow.id)
            .outerjoin(AlleyRow, ReportRow.alley_id == AlleyRow.id)
            .where(
                ReportRow.ward_id == ward_id,
                ReportRow.created_at >= since,
                ReportRow.created_at < until,
            )
            .order_by(ReportRow.created_at, ReportRow.id)
        )
        return [
            ExportedReport(
                id=row.id,
                alley_code=alley_code,
                alley_name=alley_name,
                category=Category(row.category),
                state=ReportState(row.state),
                description=row.description,
                anonymous=row.anonymous,
                reporter_name=name,
                reporter_phone=phone,
                location=point(row.latitude, row.longitude),
                created_at=row.created_at,
                acknowledge_by=row.acknowledge_by,
                acknowledged_at=row.acknowledged_at,
                resolve_by=row.resolve_by,
                resolved_at=row.resolved_at,
                rating=row.rating,
                duplicate_of=row.duplicate_of_id,
            )
            for row, name, phone, alley_code, alley_name in rows
        ]

    async def events(self, ward_id: int, since: datetime, until: datetime) -> list[ExportedEvent]:
        of_period = select(ReportRow.id).where(
            ReportRow.ward_id == ward_id,
            ReportRow.created_at >= since,
            ReportRow.created_at < until,
        )
        rows = await self.session.execute(
            select(ReportEventRow, OfficerRow.name)
            .outerjoin(OfficerRow, ReportEventRow.officer_id == OfficerRow.id)
            .where(ReportEventRow.report_id.in_(of_period))
            .order_by(ReportEventRow.report_id, ReportEventRow.id)
        )
        return [
            ExportedEvent(
                report_id=row.report_id,
                at=row.at,
                kind=EventKind(row.kind),
                from_state=ReportState(row.from_state) if row.from_state else None,
                to_state=ReportState(row.to_state) if row.to_state else None,
                officer_name=officer,
                by_reporter=row.resident_id is not None,
                note=row.note,
            )
            for row, officer in rows
        ]
