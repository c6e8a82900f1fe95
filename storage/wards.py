"""Wards and their alleys, with each alley's collection calendar."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, time

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core import search
from core.model import (
    Alley,
    AlleySchedule,
    CollectionException,
    CollectionRule,
    ExceptionAction,
    HolidayPolicy,
    Ward,
)
from core.reminders import Follower
from storage.models import AlleyRow, CollectionExceptionRow, CollectionRuleRow, WardRow
from storage.shared import alley_from, apply_changes, ward_from


def _mask(weekdays: frozenset[int]) -> int:
    return sum(1 << day for day in weekdays)


def _weekdays(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask & (1 << day))


def _rule(row: CollectionRuleRow) -> CollectionRule:
    return CollectionRule(
        _weekdays(row.weekdays),
        row.at,
        until=row.until,
        every_weeks=row.every_weeks,
        starting=row.starting,
        of_month=row.of_month,
        kinds=tuple(k for k in row.kinds.split(",") if k),
    )


def _rule_row(alley_id: int, rule: CollectionRule) -> CollectionRuleRow:
    return CollectionRuleRow(
        alley_id=alley_id,
        weekdays=_mask(rule.weekdays),
        at=rule.at,
        until=rule.until,
        every_weeks=rule.every_weeks,
        starting=rule.starting,
        of_month=rule.of_month,
        kinds=",".join(rule.kinds),
    )


class WardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self) -> list[Ward]:
        rows = await self.session.scalars(select(WardRow).order_by(WardRow.name))
        return [ward_from(row) for row in rows]

    async def get(self, ward_id: int) -> Ward | None:
        row = await self.session.get(WardRow, ward_id)
        return None if row is None else ward_from(row)

    async def by_code(self, code: str) -> Ward | None:
        row = await self.session.scalar(select(WardRow).where(WardRow.code == code))
        if row is None:  # in any letter case, as alleys' codes
            row = await self.session.scalar(
                select(WardRow).where(func.lower(WardRow.code) == code.lower()).limit(1)
            )
        return None if row is None else ward_from(row)

    async def officer_chat(self, ward_id: int) -> tuple[str, str] | None:
        row = await self.session.get(WardRow, ward_id)
        if row is None or row.officer_chat_channel is None or row.officer_chat_id is None:
            return None
        return row.officer_chat_channel, row.officer_chat_id

    async def link_officer_chat(self, ward_id: int, channel: str, chat_id: str) -> None:
        await self.session.execute(
            update(WardRow)
            .where(WardRow.id == ward_id)
            .values(officer_chat_channel=channel, officer_chat_id=chat_id)
        )

    async def upsert(
        self,
        code: str,
        name: str,
        timezone: str,
        holiday_policy: HolidayPolicy,
        evening_at: time | None = None,
    ) -> tuple[Ward, bool]:
        row = await self.session.scalar(select(WardRow).where(WardRow.code == code))
        if row is None:
            row = WardRow(code=code)
            self.session.add(row)
        changed = apply_changes(
            row,
            name=name,
            timezone=timezone,
            holiday_policy=holiday_policy.value,
            evening_at=evening_at,
        )
        await self.session.flush()
        return ward_from(row), changed


class AlleyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _select(self) -> Select[AlleyRow, WardRow]:
        return select(AlleyRow, WardRow).join(WardRow, AlleyRow.ward_id == WardRow.id)

    async def by_code(self, code: str) -> Alley | None:
        found = (await self.session.execute(self._select().where(AlleyRow.code == code))).first()
        if found is None:
            # Codes are typed in any letter case (phones capitalise, posters shout).
            query = self._select().where(func.lower(AlleyRow.code) == code.lower()).limit(1)
            found = (await self.session.execute(query)).first()
        return None if found is None else alley_from(*found)

    async def in_ward(self, ward_id: int) -> list[Alley]:
        query = self._select().where(AlleyRow.ward_id == ward_id).order_by(AlleyRow.name)
        return [alley_from(*found) for found in await self.session.execute(query)]

    async def located(self) -> list[Alley]:
        query = self._select().where(
            AlleyRow.latitude.is_not(None), AlleyRow.longitude.is_not(None)
        )
        return [alley_from(*found) for found in await self.session.execute(query)]

    async def containing(self, folded_words: Sequence[str]) -> list[tuple[Alley, str]]:
        query = self._select()
        for word in folded_words:
            query = query.where(AlleyRow.search_name.contains(word, autoescape=True))
        found = await self.session.execute(query.order_by(AlleyRow.name).limit(200))
        return [(alley_from(alley, ward), alley.search_name) for alley, ward in found]

    async def schedule(self, alley: Alley) -> AlleySchedule:
        rules = await self.session.scalars(
            select(CollectionRuleRow)
            .where(CollectionRuleRow.alley_id == alley.id)
            .order_by(CollectionRuleRow.at)
        )
        exceptions = await self.session.scalars(
            select(CollectionExceptionRow)
            .where(CollectionExceptionRow.alley_id == alley.id)
            .order_by(CollectionExceptionRow.day)
        )
        return AlleySchedule(
            alley,
            tuple(_rule(r) for r in rules),
            tuple(
                CollectionException(e.day, ExceptionAction(e.action), e.moved_to)
                for e in exceptions
            ),
        )

    async def link_group(self, alley_id: int, channel: str, chat_id: str) -> None:
        row = await self.session.get_one(AlleyRow, alley_id)
        row.group_channel, row.group_chat_id = channel, chat_id
        await self.session.flush()

    async def groups(self, alley_id: int | None = None, lead_minutes: int = 15) -> list[Follower]:
        query = select(AlleyRow.id, AlleyRow.group_channel, AlleyRow.group_chat_id).where(
            AlleyRow.group_chat_id.is_not(None)
        )
        if alley_id is not None:
            query = query.where(AlleyRow.id == alley_id)
        return [
            Follower(alley, None, alley, channel, chat, lead_minutes, None, None, group=True)
            for alley, channel, chat in await self.session.execute(query)
            if channel is not None and chat is not None
        ]

    async def set_exception(self, alley_id: int, exception: CollectionException) -> None:
        row = await self.session.scalar(
            select(CollectionExceptionRow).where(
                CollectionExceptionRow.alley_id == alley_id,
                CollectionExceptionRow.day == exception.on,
            )
        )
        if row is None:
            row = CollectionExceptionRow(alley_id=alley_id, day=exception.on)
            self.session.add(row)
        row.action = exception.action.value
        row.moved_to = exception.moved_to
        await self.session.flush()

    async def remove_exception(self, alley_id: int, day: date) -> None:
        await self.session.execute(
            delete(CollectionExceptionRow).where(
                CollectionExceptionRow.alley_id == alley_id, CollectionExceptionRow.day == day
            )
        )

    async def schedules(self, alley_ids: Collection[int]) -> dict[int, AlleySchedule]:
        if not alley_ids:
            return {}
        ids = list(alley_ids)
        alleys = {
            alley.id: alley_from(alley, ward)
            for alley, ward in await self.session.execute(
                self._select().where(AlleyRow.id.in_(ids))
            )
        }
        rules: dict[int, list[CollectionRule]] = {i: [] for i in alleys}
        for row in await self.session.scalars(
            select(CollectionRuleRow).where(CollectionRuleRow.alley_id.in_(ids))
        ):
            rules[row.alley_id].append(_rule(row))
        exceptions: dict[int, list[CollectionException]] = {i: [] for i in alleys}
        for exception in await self.session.scalars(
            select(CollectionExceptionRow).where(CollectionExceptionRow.alley_id.in_(ids))
        ):
            exceptions[exception.alley_id].append(
                CollectionException(
                    exception.day, ExceptionAction(exception.action), exception.moved_to
                )
            )
        return {
            i: AlleySchedule(alley, tuple(rules[i]), tuple(exceptions[i]))
            for i, alley in alleys.items()
        }

    async def upsert(
        self,
        ward: Ward,
        code: str,
        name: str,
        location: tuple[float, float] | None,
        rules: Sequence[CollectionRule],
        exceptions: Sequence[CollectionException],
    ) -> tuple[Alley, bool]:
        row = await self.session.scalar(select(AlleyRow).where(AlleyRow.code == code))
        if row is None:
            row = AlleyRow(code=code)
            self.session.add(row)
        latitude, longitude = location if location is not None else (None, None)
        changed = apply_changes(
            row,
            ward_id=ward.id,
            name=name,
            search_name=search.fold(f"{name} {code}"),
            latitude=latitude,
            longitude=longitude,
        )
        await self.session.flush()
        alley = Alley(row.id, code, name, ward, location)
        before = await self.schedule(alley)
        if set(before.rules) != set(rules) or set(before.exceptions) != set(exceptions):
            await self._replace_calendar(row.id, rules, exceptions)
            changed = True
        return alley, changed

    async def _replace_calendar(
        self,
        alley_id: int,
        rules: Sequence[CollectionRule],
        exceptions: Sequence[CollectionException],
    ) -> None:
        await self.session.execute(
            delete(CollectionRuleRow).where(CollectionRuleRow.alley_id == alley_id)
        )
        await self.session.execute(
            delete(CollectionExceptionRow).where(CollectionExceptionRow.alley_id == alley_id)
        )
        self.session.add_all(_rule_row(alley_id, rule) for rule in rules)
        self.session.add_all(
            CollectionExceptionRow(
                alley_id=alley_id, day=e.on, action=e.action.value, moved_to=e.moved_to
            )
            for e in exceptions
        )
        await self.session.flush()
