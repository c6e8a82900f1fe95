"""Officers: who works for which ward, in which role."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.model import Officer, Role, SeededOfficer, Ward
from storage.models import OfficerRow, WardRow
from storage.shared import apply_changes, ward_from


class OfficerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_person(self, channel: str, external_id: str) -> list[Officer]:
        ward = aliased(WardRow)
        query = (
            select(OfficerRow, ward)
            .join(ward, OfficerRow.ward_id == ward.id)
            .where(
                OfficerRow.channel == channel,
                OfficerRow.external_id == external_id,
                OfficerRow.revoked.is_(False),
            )
            .order_by(ward.name)
        )
        return [
            Officer(row.id, ward_from(ward_row), Role(row.role), row.name)
            for row, ward_row in await self.session.execute(query)
        ]

    async def of_ward(self, ward_id: int, roles: Collection[Role] = ()) -> list[tuple[str, str]]:
        query = select(OfficerRow.channel, OfficerRow.external_id).where(
            OfficerRow.ward_id == ward_id, OfficerRow.revoked.is_(False)
        )
        if roles:
            query = query.where(OfficerRow.role.in_([role.value for role in roles]))
        rows = await self.session.execute(
            query.group_by(OfficerRow.channel, OfficerRow.external_id).order_by(
                func.min(OfficerRow.id)
            )
        )
        return [(channel, external_id) for channel, external_id in rows]

    async def roles_on(self, channel: str) -> dict[str, set[Role]]:
        found: dict[str, set[Role]] = {}
        rows = await self.session.execute(
            select(OfficerRow.external_id, OfficerRow.role).where(
                OfficerRow.channel == channel, OfficerRow.revoked.is_(False)
            )
        )
        for external_id, role in rows:
            found.setdefault(external_id, set()).add(Role(role))
        return found

    async def upsert(
        self, ward: Ward, channel: str, external_id: str, role: Role, name: str
    ) -> tuple[Officer, bool]:
        row = await self.session.scalar(
            select(OfficerRow).where(
                OfficerRow.ward_id == ward.id,
                OfficerRow.channel == channel,
                OfficerRow.external_id == external_id,
            )
        )
        if row is None:
            row = OfficerRow(ward_id=ward.id, channel=channel, external_id=external_id)
            self.session.add(row)
        changed = apply_changes(row, role=role.value, name=name, revoked=False)
        await self.session.flush()
        return Officer(row.id, ward, role, name), changed

    async def of_wards(self, ward_ids: Collection[int]) -> list[SeededOfficer]:
        ward = aliased(WardRow)
        query = (
            select(OfficerRow, ward)
            .join(ward, OfficerRow.ward_id == ward.id)
            .where(OfficerRow.ward_id.in_(list(ward_ids)), OfficerRow.revoked.is_(False))
            .order_by(ward.code, OfficerRow.id)
        )
        return [
            SeededOfficer(
                Officer(row.id, ward_from(ward_row), Role(row.role), row.name),
                row.channel,
                row.external_id,
            )
            for row, ward_row in await self.session.execute(query)
        ]

    async def revoke(self, officer_ids: Collection[int]) -> None:
        await self.session.execute(
            update(OfficerRow).where(OfficerRow.id.in_(list(officer_ids))).values(revoked=True)
        )
