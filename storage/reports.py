"""Reports, their photos and their audit trail."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.public_reports import PublicFilter, PublicReport, rounded
from core.reports import (
    Category,
    EventKind,
    InboxFilter,
    NewReport,
    Report,
    Reporter,
    ReportEvent,
    ReportState,
)
from storage.models import (
    AlleyRow,
    OfficerRow,
    ReportEventRow,
    ReportPhotoRow,
    ReportRow,
    ResidentRow,
    WardRow,
)
from storage.shared import alley_from, point, ward_from

AlleyWard = aliased(WardRow)


def _report(
    row: ReportRow,
    ward: WardRow,
    resident: ResidentRow,
    alley: AlleyRow | None,
    alley_ward: WardRow | None,
    photos: tuple[str, ...] = (),
) -> Report:
    return Report(
        id=row.id,
        ward=ward_from(ward),
        alley=alley_from(alley, alley_ward)
        if alley is not None and alley_ward is not None
        else None,
        reporter=Reporter(
            resident.id,
            resident.channel,
            resident.external_id,
            resident.display_name,
            resident.phone,
            resident.language,
            resident.platform_language,
            resident.active,
        ),
        category=Category(row.category),
        description=row.description,
        state=ReportState(row.state),
        anonymous=row.anonymous,
        location=point(row.latitude, row.longitude),
        created_at=row.created_at,
        collection_at=row.collection_at,
        assigned_officer_id=row.assigned_officer_id,
        duplicate_of=row.duplicate_of_id,
        rating=row.rating,
        acknowledged_at=row.acknowledged_at,
        resolved_at=row.resolved_at,
        acknowledge_by=row.acknowledge_by,
        resolve_by=row.resolve_by,
        due_at=row.due_at,
        photos=photos,
    )


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @staticmethod
    def _select() -> Select[ReportRow, WardRow, ResidentRow, AlleyRow, WardRow]:
        return (
            select(ReportRow, WardRow, ResidentRow, AlleyRow, AlleyWard)
            .join(WardRow, ReportRow.ward_id == WardRow.id)
            .join(ResidentRow, ReportRow.resident_id == ResidentRow.id)
            .outerjoin(AlleyRow, ReportRow.alley_id == AlleyRow.id)
            .outerjoin(AlleyWard, AlleyRow.ward_id == AlleyWard.id)
        )

    async def _many(
        self, query: Select[ReportRow, WardRow, ResidentRow, AlleyRow, WardRow]
    ) -> list[Report]:
        return [_report(*found) for found in await self.session.execute(query)]

    async def add(self, report: NewReport) -> int:
        row = ReportRow(
            ward_id=report.ward_id,
            alley_id=report.alley_id,
            resident_id=report.resident_id,
            category=report.category.value,
            description=report.description,
            state=ReportState.NEW.value,
            anonymous=report.anonymous,
            latitude=report.location[0] if report.location else None,
            longitude=report.location[1] if report.location else None,
            collection_at=report.collection_at,
            created_at=report.created_at,
            acknowledge_by=report.acknowledge_by,
            resolve_by=report.resolve_by,
            due_at=report.acknowledge_by,
        )
        self.session.add(row)
        await self.session.flush()
        for channel, ref in report.photos:
            await self.add_photo(row.id, channel, ref)
        return row.id

    async def get(self, report_id: int) -> Report | None:
        found = (
            await self.session.execute(self._select().where(ReportRow.id == report_id))
        ).first()
        if found is None:
            return None
        photos = await self.session.scalars(
            select(ReportPhotoRow.file_ref)
            .where(ReportPhotoRow.report_id == report_id)
            .order_by(ReportPhotoRow.id)
        )
        return _report(*found, photos=tuple(photos))

    async def update(self, report_id: int, **values: object) -> None:
        await self.session.execute(
            update(ReportRow).where(ReportRow.id == report_id).values(**values)
        )

    async def add_photo(self, report_id: int, channel: str, ref: str) -> None:
        await self.session.execute(
            insert(ReportPhotoRow).values(report_id=report_id, channel=channel, file_ref=ref)
        )

    async def add_event(self, event: ReportEvent) -> None:
        await self.session.execute(
            insert(ReportEventRow).values(
                report_id=event.report_id,
                at=event.at,
                kind=event.kind.value,
                from_state=event.from_state,
                to_state=event.to_state,
                officer_id=event.officer_id,
                resident_id=event.resident_id,
                note=event.note,
            )
        )

    async def events(self, report_id: int) -> list[ReportEvent]:
        rows = await self.session.execute(
            select(ReportEventRow, OfficerRow.name)
            .outerjoin(OfficerRow, ReportEventRow.officer_id == OfficerRow.id)
            .where(ReportEventRow.report_id == report_id)
            .order_by(ReportEventRow.id)
        )
        return [
            ReportEvent(
                row.report_id,
                row.at,
                EventKind(row.kind),
                ReportState(row.from_state) if row.from_state else None,
                ReportState(row.to_state) if row.to_state else None,
                row.officer_id,
                row.resident_id,
                row.note,
                name,
            )
            for row, name in rows
        ]

    async def count_since(self, resident_id: int, since: datetime) -> int:
        counted = await self.session.scalar(
            select(func.count())
            .select_from(ReportRow)
            .where(ReportRow.resident_id == resident_id, ReportRow.created_at >= since)
        )
        return int(counted or 0)

    async def of_resident(self, resident_id: int, limit: int) -> list[Report]:
        return await self._many(
            self._select()
            .where(ReportRow.resident_id == resident_id)
            .order_by(ReportRow.created_at.desc(), ReportRow.id.desc())
            .limit(limit)
        )

    async def inbox(
        self,
        ward_ids: Collection[int],
        filters: InboxFilter,
        now: datetime,
        offset: int,
        limit: int,
    ) -> tuple[list[Report], int]:
        # An open report always has a target (`due_at`); a closed one never does.
        conditions: list[ColumnElement[bool]] = [
            ReportRow.ward_id.in_(list(ward_ids)),
            ReportRow.due_at.is_not(None),
        ]
        if filters.states:
            conditions.append(ReportRow.state.in_([s.value for s in filters.states]))
        if filters.categories:
            conditions.append(ReportRow.category.in_([c.value for c in filters.categories]))
        if filters.alley_id is not None:
            conditions.append(ReportRow.alley_id == filters.alley_id)
        if filters.overdue:
            conditions.append(ReportRow.due_at < now)
        if filters.assigned_to is not None:
            conditions.append(ReportRow.assigned_officer_id.in_(list(filters.assigned_to)))
        total = await self.session.scalar(
            select(func.count()).select_from(ReportRow).where(*conditions)
        )
        page = await self._many(
            self._select()
            .where(*conditions)
            .order_by(ReportRow.due_at, ReportRow.id)
            .offset(offset)
            .limit(limit)
        )
        return page, int(total or 0)

    async def overdue(self, now: datetime, limit: int) -> list[Report]:
        return await self._many(
            self._select()
            .where(
                ReportRow.due_at.is_not(None),
                ReportRow.escalated_at.is_(None),
                ReportRow.due_at < now,
            )
            .order_by(ReportRow.due_at)
            .limit(limit)
            # Claimed: a follow-up run beside this one (another instance's) skips these, and
            # finds them escalated once this commits.
            .with_for_update(skip_locked=True, of=ReportRow)
        )

    async def awaiting_feedback(self, resolved_before: datetime, limit: int) -> list[Report]:
        return await self._many(
            self._select()
            .where(
                ReportRow.state == ReportState.RESOLVED.value,
                ReportRow.resolved_at < resolved_before,
                ReportRow.rating.is_(None),
                ReportRow.feedback_reminded_at.is_(None),
            )
            .order_by(ReportRow.resolved_at)
            .limit(limit)
            .with_for_update(skip_locked=True, of=ReportRow)  # claimed, as in `overdue`
        )

    async def public(self, filters: PublicFilter, offset: int, limit: int) -> list[PublicReport]:
        conditions: list[ColumnElement[bool]] = []
        if filters.ids:
            conditions.append(ReportRow.id.in_(list(filters.ids)))
        if filters.categories:
            conditions.append(ReportRow.category.in_([c.value for c in filters.categories]))
        if filters.states:
            # `state || ''` keeps the planner off the state index: SQLite, never ANALYZEd, took
            # it for "closed" (nearly every report) and sorted them all, 5 s at 1,000,000
            # reports; read newest first, the first page's worth is found at once.
            unindexed = ReportRow.state.concat("")
            conditions.append(unindexed.in_([s.value for s in filters.states]))
        if filters.since is not None:
            conditions.append(ReportRow.created_at >= filters.since)
        if filters.until is not None:
            conditions.append(ReportRow.created_at < filters.until)
        page = (
            select(ReportRow.id)
            .where(*conditions)
            .order_by(ReportRow.created_at.desc(), ReportRow.id.desc())
            .offset(offset)
            .limit(limit)
            .subquery()
        )
        updated = (
            select(func.max(ReportEventRow.at))
            .where(ReportEventRow.report_id == ReportRow.id)
            .scalar_subquery()
        )
        rows = await self.session.execute(
            select(ReportRow, WardRow.code, WardRow.name, AlleyRow.code, AlleyRow.name, updated)
            .join(page, page.c.id == ReportRow.id)
            .join(WardRow, ReportRow.ward_id == WardRow.id)
            .outerjoin(AlleyRow, ReportRow.alley_id == AlleyRow.id)
            .order_by(ReportRow.created_at.desc(), ReportRow.id.desc())
        )
        return [
            PublicReport(
                id=row.id,
                category=Category(row.category),
                state=ReportState(row.state),
                ward_code=ward_code,
                ward_name=ward_name,
                alley_code=alley_code,
                alley_name=alley_name,
                location=rounded(point(row.latitude, row.longitude)),
                created_at=row.created_at,
                updated_at=last or row.created_at,
            )
            for row, ward_code, ward_name, alley_code, alley_name, last in rows
        ]
