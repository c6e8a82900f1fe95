"""Partners' API keys, found by their hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.partners import ApiKey
from storage.models import ApiKeyRow


def _key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(row.id, row.partner, row.shown, row.created_at, row.revoked_at)


class ApiKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self) -> list[ApiKey]:
        rows = await self.session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))
        return [_key(row) for row in rows]

    async def add(self, partner: str, key_hash: str, shown: str, now: datetime) -> ApiKey:
        row = ApiKeyRow(partner=partner, key_hash=key_hash, shown=shown, created_at=now)
        self.session.add(row)
        await self.session.flush()
        return _key(row)

    async def by_hash(self, key_hash: str) -> ApiKey | None:
        row = await self.session.scalar(select(ApiKeyRow).where(ApiKeyRow.key_hash == key_hash))
        return None if row is None else _key(row)

    async def revoke(self, key_id: int, now: datetime) -> None:
        await self.session.execute(
            update(ApiKeyRow).where(ApiKeyRow.id == key_id).values(revoked_at=now)
        )
