"""Repositories: data access that returns the core's plain types, never ORM rows."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core import search
from core.model import (
    Alley,
    AlleySchedule,
    CollectionException,
    CollectionRule,
    DialogueState,
    ExceptionAction,
    HolidayPolicy,
    Officer,
    Resident,
    Role,
    Subscription,
    Ward,
)
from core.ports import Memory
from core.reminders import Follower
from storage.models import (
    AlleyRow,
    CollectionExceptionRow,
    CollectionRuleRow,
    DialogueStateRow,
    OfficerRow,
    ResidentRow,
    SubscriptionRow,
    WardRow,
)

Now = Callable[[], datetime]
LAST_SEEN_PRECISION = timedelta(minutes=10)


def _ward(row: WardRow) -> Ward:
    return Ward(row.id, row.code, row.name, row.timezone, HolidayPolicy(row.holiday_policy))


def _point(latitude: float | None, longitude: float | None) -> tuple[float, float] | None:
    """A place on the map, when a row holds both of its halves."""
    if latitude is None or longitude is None:
        return None
    return (latitude, longitude)


def _alley(row: AlleyRow, ward: WardRow) -> Alley:
    return Alley(row.id, row.code, row.name, _ward(ward), _point(row.latitude, row.longitude))


def _resident(row: ResidentRow) -> Resident:
    return Resident(
        row.id,
        row.channel,
        row.external_id,
        row.display_name,
        row.language,
        row.platform_language,
        row.active,
    )


def _mask(weekdays: frozenset[int]) -> int:
    return sum(1 << day for day in weekdays)


def _weekdays(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask & (1 << day))


def _changed(row: object, **values: object) -> bool:
    """Set the values that differ; say whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


class WardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self) -> list[Ward]:
        rows = await self.session.scalars(select(WardRow).order_by(WardRow.name))
        return [_ward(row) for row in rows]

    async def get(self, ward_id: int) -> Ward | None:
        row = await self.session.get(WardRow, ward_id)
        return None if row is None else _ward(row)

    async def by_code(self, code: str) -> Ward | None:
        row = await self.session.scalar(select(WardRow).where(WardRow.code == code))
        return None if row is None else _ward(row)

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
        self, code: str, name: str, timezone: str, holiday_policy: HolidayPolicy
    ) -> tuple[Ward, bool]:
        row = await self.session.scalar(select(WardRow).where(WardRow.code == code))
        if row is None:
            row = WardRow(code=code)
            self.session.add(row)
        changed = _changed(row, name=name, timezone=timezone, holiday_policy=holiday_policy.value)
        await self.session.flush()
        return _ward(row), changed


class AlleyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _select(self) -> Select[AlleyRow, WardRow]:
        return select(AlleyRow, WardRow).join(WardRow, AlleyRow.ward_id == WardRow.id)

    async def by_code(self, code: str) -> Alley | None:
        found = (await self.session.execute(self._select().where(AlleyRow.code == code))).first()
        return None if found is None else _alley(*found)

    async def in_ward(self, ward_id: int) -> list[Alley]:
        query = self._select().where(AlleyRow.ward_id == ward_id).order_by(AlleyRow.name)
        return [_alley(*found) for found in await self.session.execute(query)]

    async def located(self) -> list[Alley]:
        query = self._select().where(
            AlleyRow.latitude.is_not(None), AlleyRow.longitude.is_not(None)
        )
        return [_alley(*found) for found in await self.session.execute(query)]

    async def containing(self, folded_words: Sequence[str]) -> list[tuple[Alley, str]]:
        query = self._select()
        for word in folded_words:
            query = query.where(AlleyRow.search_name.contains(word, autoescape=True))
        found = await self.session.execute(query.order_by(AlleyRow.name).limit(200))
        return [(_alley(alley, ward), alley.search_name) for alley, ward in found]

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
            tuple(CollectionRule(_weekdays(r.weekdays), r.at) for r in rules),
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

    async def schedules(self, alley_ids: Collection[int]) -> dict[int, AlleySchedule]:
        if not alley_ids:
            return {}
        ids = list(alley_ids)
        alleys = {
            alley.id: _alley(alley, ward)
            for alley, ward in await self.session.execute(
                self._select().where(AlleyRow.id.in_(ids))
            )
        }
        rules: dict[int, list[CollectionRule]] = {i: [] for i in alleys}
        for row in await self.session.scalars(
            select(CollectionRuleRow).where(CollectionRuleRow.alley_id.in_(ids))
        ):
            rules[row.alley_id].append(CollectionRule(_weekdays(row.weekdays), row.at))
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
        changed = _changed(
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
        self.session.add_all(
            CollectionRuleRow(alley_id=alley_id, weekdays=_mask(rule.weekdays), at=rule.at)
            for rule in rules
        )
        self.session.add_all(
            CollectionExceptionRow(
                alley_id=alley_id, day=e.on, action=e.action.value, moved_to=e.moved_to
            )
            for e in exceptions
        )
        await self.session.flush()


class ResidentRepository:
    def __init__(self, session: AsyncSession, now: Now) -> None:
        self.session = session
        self.now = now

    async def seen(
        self,
        channel: str,
        external_id: str,
        display_name: str | None,
        platform_language: str | None,
    ) -> Resident:
        # Locked until the unit of work ends, so that two updates from one resident (a double
        # tap, two instances) take turns on PostgreSQL as BEGIN IMMEDIATE makes them on SQLite.
        query = (
            select(ResidentRow)
            .where(ResidentRow.channel == channel, ResidentRow.external_id == external_id)
            .with_for_update()
        )
        row = await self.session.scalar(query)
        now = self.now()
        if row is None:
            row = ResidentRow(
                channel=channel,
                external_id=external_id,
                created_at=now,
                last_seen_at=now,
                active=True,
                muted_announcements=False,
            )
            try:
                async with self.session.begin_nested():
                    self.session.add(row)
            except IntegrityError:
                # Their first two messages raced and the other one created them: use that row.
                row = (await self.session.scalars(query)).one()
        row.active = True
        # Minutes are precise enough for "last seen", and most messages then write nothing.
        if now - row.last_seen_at >= LAST_SEEN_PRECISION:
            row.last_seen_at = now
        if display_name:
            row.display_name = display_name
        if platform_language:
            row.platform_language = platform_language
        await self.session.flush()
        return _resident(row)

    async def set_language(self, resident_id: int, language: str) -> None:
        row = await self.session.get_one(ResidentRow, resident_id)
        row.language = language
        await self.session.flush()

    async def deactivate(self, resident_id: int) -> None:
        row = await self.session.get(ResidentRow, resident_id)
        if row is not None:
            row.active = False
            await self.session.flush()


class SubscriptionRepository:
    def __init__(self, session: AsyncSession, now: Now) -> None:
        self.session = session
        self.now = now

    def _select(self) -> Select[SubscriptionRow, AlleyRow, WardRow]:
        return (
            select(SubscriptionRow, AlleyRow, WardRow)
            .join(AlleyRow, SubscriptionRow.alley_id == AlleyRow.id)
            .join(WardRow, AlleyRow.ward_id == WardRow.id)
        )

    @staticmethod
    def _subscription(row: SubscriptionRow, alley: AlleyRow, ward: WardRow) -> Subscription:
        return Subscription(row.id, row.resident_id, _alley(alley, ward), row.lead_minutes)

    async def of_resident(self, resident_id: int) -> list[Subscription]:
        query = (
            self._select()
            .where(SubscriptionRow.resident_id == resident_id)
            .order_by(AlleyRow.name, SubscriptionRow.id)
        )
        return [self._subscription(*found) for found in await self.session.execute(query)]

    async def get(self, subscription_id: int) -> Subscription | None:
        query = self._select().where(SubscriptionRow.id == subscription_id)
        found = (await self.session.execute(query)).first()
        return None if found is None else self._subscription(*found)

    async def find(self, resident_id: int, alley_id: int) -> Subscription | None:
        query = self._select().where(
            SubscriptionRow.resident_id == resident_id, SubscriptionRow.alley_id == alley_id
        )
        found = (await self.session.execute(query)).first()
        return None if found is None else self._subscription(*found)

    async def add(self, resident_id: int, alley: Alley, lead_minutes: int) -> Subscription:
        row = SubscriptionRow(
            resident_id=resident_id,
            alley_id=alley.id,
            lead_minutes=lead_minutes,
            created_at=self.now(),
        )
        self.session.add(row)
        await self.session.flush()
        return Subscription(row.id, resident_id, alley, lead_minutes)

    async def remove(self, subscription_id: int) -> None:
        await self.session.execute(
            delete(SubscriptionRow).where(SubscriptionRow.id == subscription_id)
        )

    async def set_lead(self, subscription_id: int, lead_minutes: int) -> None:
        row = await self.session.get_one(SubscriptionRow, subscription_id)
        row.lead_minutes = lead_minutes
        await self.session.flush()

    async def followers(self, alley_id: int | None = None) -> list[Follower]:
        query = (
            select(
                SubscriptionRow.id,
                SubscriptionRow.resident_id,
                SubscriptionRow.alley_id,
                ResidentRow.channel,
                ResidentRow.external_id,
                SubscriptionRow.lead_minutes,
                ResidentRow.language,
                ResidentRow.platform_language,
            )
            .join(ResidentRow, SubscriptionRow.resident_id == ResidentRow.id)
            .where(ResidentRow.active.is_(True))
        )
        if alley_id is not None:
            query = query.where(SubscriptionRow.alley_id == alley_id)
        return [Follower(*row) for row in await self.session.execute(query)]


class OfficerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_person(self, channel: str, external_id: str) -> list[Officer]:
        ward = aliased(WardRow)
        query = (
            select(OfficerRow, ward)
            .join(ward, OfficerRow.ward_id == ward.id)
            .where(OfficerRow.channel == channel, OfficerRow.external_id == external_id)
            .order_by(ward.name)
        )
        return [
            Officer(row.id, _ward(ward_row), Role(row.role), row.name)
            for row, ward_row in await self.session.execute(query)
        ]

    async def of_ward(self, ward_id: int, roles: Collection[Role] = ()) -> list[tuple[str, str]]:
        query = select(OfficerRow.channel, OfficerRow.external_id).where(
            OfficerRow.ward_id == ward_id
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
            select(OfficerRow.external_id, OfficerRow.role).where(OfficerRow.channel == channel)
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
        changed = _changed(row, role=role.value, name=name)
        await self.session.flush()
        return Officer(row.id, ward, role, name), changed


class DialogueRepository:
    def __init__(self, session: AsyncSession, now: Now) -> None:
        self.session = session
        self.now = now
        # Rows read by `recall`, held so that `remember` finds them without asking again
        # (the session only holds its rows weakly).
        self._rows: dict[int, DialogueStateRow | None] = {}

    async def recall(self, resident_id: int) -> Memory:
        row = self._rows[resident_id] = await self.session.get(DialogueStateRow, resident_id)
        if row is None:
            return Memory()
        dialogue = None
        if row.name is not None and row.step is not None:
            dialogue = DialogueState(row.name, row.step, dict(row.data))
        return Memory(dialogue)

    async def remember(self, resident_id: int, memory: Memory) -> None:
        if resident_id in self._rows:
            row = self._rows[resident_id]
        else:
            row = await self.session.get(DialogueStateRow, resident_id)
        dialogue = memory.dialogue
        values = {
            "name": dialogue.name if dialogue else None,
            "step": dialogue.step if dialogue else None,
            "data": dict(dialogue.data) if dialogue else {},
        }
        if row is None:
            row = DialogueStateRow(resident_id=resident_id)
            self.session.add(row)
        if _changed(row, **values):  # nothing new to remember: no write
            row.updated_at = self.now()
