"""Volunteer calls, their sign-ups and results, and residents' offers of help."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.mobilisation import (
    Attendance,
    CallDraft,
    CallKind,
    CallState,
    Measure,
    Offer,
    OfferKind,
    Recipient,
    Signup,
    SignupStatus,
    VolunteerCall,
    VolunteerFigures,
)
from storage.models import (
    OfferRow,
    OfficerRow,
    ResidentRow,
    SignupRow,
    VolunteerCallRow,
    WardRow,
)
from storage.shared import Now, point, ward_from


def _call(row: VolunteerCallRow, ward: WardRow) -> VolunteerCall:
    return VolunteerCall(
        id=row.id,
        ward=ward_from(ward),
        kind=CallKind(row.kind),
        title=row.title,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        slots=row.slots,
        state=CallState(row.state),
        place=row.place,
        location=point(row.latitude, row.longitude),
        signup_deadline=row.signup_deadline,
        bring=row.bring,
        organiser_id=row.organiser_id,
        report_id=row.report_id,
        results={Measure(k): float(v) for k, v in (row.results or {}).items()},
    )


def _recipient(row: ResidentRow) -> Recipient:
    return Recipient(
        row.id, row.channel, row.external_id, row.language, row.platform_language, row.display_name
    )


def _offer(row: OfferRow, resident: ResidentRow, ward: WardRow) -> Offer:
    return Offer(
        row.id,
        _recipient(resident),
        ward_from(ward),
        OfferKind(row.kind),
        row.description,
        row.available,
        row.created_at,
    )


class VolunteerRepository:
    def __init__(self, session: AsyncSession, now: Now) -> None:
        self.session = session
        self.now = now

    @staticmethod
    def _calls() -> Select[VolunteerCallRow, WardRow]:
        return select(VolunteerCallRow, WardRow).join(
            WardRow, VolunteerCallRow.ward_id == WardRow.id
        )

    async def add_call(self, draft: CallDraft, organiser_id: int | None) -> VolunteerCall:
        latitude, longitude = draft.location if draft.location is not None else (None, None)
        row = VolunteerCallRow(
            ward_id=draft.ward_id,
            organiser_id=organiser_id,
            report_id=draft.report_id,
            kind=draft.kind.value,
            title=draft.title,
            starts_at=draft.starts_at,
            ends_at=draft.ends_at,
            place=draft.place,
            latitude=latitude,
            longitude=longitude,
            slots=draft.slots,
            signup_deadline=draft.signup_deadline,
            bring=draft.bring,
            state=CallState.OPEN.value,
            created_at=self.now(),
        )
        self.session.add(row)
        await self.session.flush()
        called = await self.call(row.id)
        assert called is not None
        return called

    async def call(self, call_id: int, *, lock: bool = False) -> VolunteerCall | None:
        query = self._calls().where(VolunteerCallRow.id == call_id)
        if lock:
            query = query.with_for_update(of=VolunteerCallRow)
        found = (await self.session.execute(query)).first()
        return None if found is None else _call(*found)

    async def calls(
        self, ward_ids: Collection[int], *, open_only: bool, limit: int
    ) -> list[VolunteerCall]:
        query = self._calls().where(VolunteerCallRow.ward_id.in_(list(ward_ids)))
        if open_only:
            query = query.where(VolunteerCallRow.state == CallState.OPEN.value).order_by(
                VolunteerCallRow.starts_at, VolunteerCallRow.id
            )
        else:
            query = query.order_by(VolunteerCallRow.starts_at.desc(), VolunteerCallRow.id.desc())
        return [_call(*found) for found in await self.session.execute(query.limit(limit))]

    async def counts(self, call_ids: Collection[int]) -> dict[int, dict[SignupStatus, int]]:
        found: dict[int, dict[SignupStatus, int]] = {i: {} for i in call_ids}
        if not call_ids:
            return found
        rows = await self.session.execute(
            select(SignupRow.call_id, SignupRow.status, func.count())
            .where(SignupRow.call_id.in_(list(call_ids)))
            .group_by(SignupRow.call_id, SignupRow.status)
        )
        for call_id, status, count in rows:
            found[call_id][SignupStatus(status)] = int(count)
        return found

    async def signup(self, call_id: int, resident_id: int) -> Signup | None:
        found = await self.signups(call_id, resident_id=resident_id)
        return found[0] if found else None

    async def set_signup(self, call_id: int, resident_id: int, status: SignupStatus) -> None:
        row = await self.session.scalar(
            select(SignupRow).where(
                SignupRow.call_id == call_id, SignupRow.resident_id == resident_id
            )
        )
        now = self.now()
        if row is None:
            row = SignupRow(call_id=call_id, resident_id=resident_id, created_at=now)
            self.session.add(row)
        elif status in (SignupStatus.JOINED, SignupStatus.WAITLISTED) and row.status not in (
            SignupStatus.JOINED.value,
            SignupStatus.WAITLISTED.value,
        ):
            row.created_at = now  # one who comes back joins the end of the queue
        row.status = status.value
        await self.session.flush()

    async def signups(
        self,
        call_id: int,
        statuses: Collection[SignupStatus] = (),
        resident_id: int | None = None,
    ) -> list[Signup]:
        query = (
            select(SignupRow, ResidentRow)
            .join(ResidentRow, SignupRow.resident_id == ResidentRow.id)
            .where(SignupRow.call_id == call_id)
            .order_by(SignupRow.created_at, SignupRow.id)
        )
        if statuses:
            query = query.where(SignupRow.status.in_([s.value for s in statuses]))
        if resident_id is not None:
            query = query.where(SignupRow.resident_id == resident_id)
        return [
            Signup(
                call_id, _recipient(resident), SignupStatus(row.status), row.attended, row.hours
            )
            for row, resident in await self.session.execute(query)
        ]

    async def update_call(self, call: VolunteerCall) -> None:
        await self.session.execute(
            update(VolunteerCallRow)
            .where(VolunteerCallRow.id == call.id)
            .values(
                title=call.title,
                place=call.place,
                latitude=call.location[0] if call.location else None,
                longitude=call.location[1] if call.location else None,
                slots=call.slots,
                starts_at=call.starts_at,
                ends_at=call.ends_at,
            )
        )

    async def cancel(self, call_id: int) -> None:
        await self.session.execute(
            update(VolunteerCallRow)
            .where(VolunteerCallRow.id == call_id)
            .values(state=CallState.CANCELLED.value)
        )

    async def close(
        self, call_id: int, results: Mapping[Measure, float], attendance: Attendance
    ) -> None:
        await self.session.execute(
            update(VolunteerCallRow)
            .where(VolunteerCallRow.id == call_id)
            .values(
                state=CallState.CLOSED.value,
                results={measure.value: amount for measure, amount in results.items()},
            )
        )
        joined = SignupRow.status == SignupStatus.JOINED.value
        came = SignupRow.resident_id.in_(list(attendance.came))
        mine = SignupRow.call_id == call_id
        await self.session.execute(
            update(SignupRow)
            .where(mine, joined, came)
            .values(attended=True, hours=attendance.hours)
        )
        await self.session.execute(
            update(SignupRow).where(mine, joined, ~came).values(attended=False, hours=0.0)
        )

    async def figures(
        self, ward_ids: Collection[int], since: datetime, until: datetime
    ) -> VolunteerFigures:
        held = (
            select(VolunteerCallRow.id)
            .where(
                VolunteerCallRow.ward_id.in_(list(ward_ids)),
                VolunteerCallRow.state == CallState.CLOSED.value,
                VolunteerCallRow.starts_at >= since,
                VolunteerCallRow.starts_at < until,
            )
            .scalar_subquery()
        )
        signups, attended, hours = (
            await self.session.execute(
                select(
                    func.count(),
                    func.count().filter(SignupRow.attended.is_(True)),
                    func.coalesce(func.sum(SignupRow.hours), 0.0),
                ).where(
                    SignupRow.call_id.in_(held),
                    SignupRow.status == SignupStatus.JOINED.value,
                )
            )
        ).one()
        results: dict[Measure, float] = {}
        calls = 0
        # A ward holds a few calls a month: their results are summed here, not in SQL,
        # because JSON arithmetic differs between the dialects.
        for found in await self.session.scalars(
            select(VolunteerCallRow.results).where(VolunteerCallRow.id.in_(held))
        ):
            calls += 1
            for measure, amount in (found or {}).items():
                results[Measure(measure)] = results.get(Measure(measure), 0.0) + float(amount)
        return VolunteerFigures(calls, int(signups), int(attended), float(hours or 0), results)

    async def recipient(self, resident_id: int) -> Recipient | None:
        row = await self.session.get(ResidentRow, resident_id)
        return None if row is None else _recipient(row)

    async def officer_chat(self, officer_id: int) -> Recipient | None:
        found = (
            await self.session.execute(
                select(OfficerRow, ResidentRow)
                .outerjoin(
                    ResidentRow,
                    (ResidentRow.channel == OfficerRow.channel)
                    & (ResidentRow.external_id == OfficerRow.external_id),
                )
                .where(OfficerRow.id == officer_id)
            )
        ).first()
        if found is None:
            return None
        officer, resident = found
        if resident is None:
            return Recipient(None, officer.channel, officer.external_id, None, None, officer.name)
        return Recipient(
            resident.id,
            officer.channel,
            officer.external_id,
            resident.language,
            resident.platform_language,
            officer.name,
        )

    @staticmethod
    def _offers() -> Select[OfferRow, ResidentRow, WardRow]:
        return (
            select(OfferRow, ResidentRow, WardRow)
            .join(ResidentRow, OfferRow.resident_id == ResidentRow.id)
            .join(WardRow, OfferRow.ward_id == WardRow.id)
        )

    async def add_offer(
        self,
        resident_id: int,
        ward_id: int,
        kind: OfferKind,
        description: str,
        available: str | None,
    ) -> Offer:
        row = OfferRow(
            resident_id=resident_id,
            ward_id=ward_id,
            kind=kind.value,
            description=description,
            available=available,
            active=True,
            created_at=self.now(),
        )
        self.session.add(row)
        await self.session.flush()
        offer = await self.offer(row.id)
        assert offer is not None
        return offer

    async def offer(self, offer_id: int) -> Offer | None:
        query = self._offers().where(OfferRow.id == offer_id, OfferRow.active.is_(True))
        found = (await self.session.execute(query)).first()
        return None if found is None else _offer(*found)

    async def offers(
        self, ward_ids: Collection[int], kind: OfferKind | None, limit: int
    ) -> list[Offer]:
        query = self._offers().where(
            OfferRow.ward_id.in_(list(ward_ids)), OfferRow.active.is_(True)
        )
        if kind is not None:
            query = query.where(OfferRow.kind == kind.value)
        query = query.order_by(OfferRow.created_at.desc(), OfferRow.id.desc()).limit(limit)
        return [_offer(*found) for found in await self.session.execute(query)]

    async def offers_of(self, resident_id: int) -> list[Offer]:
        query = self._offers().where(
            OfferRow.resident_id == resident_id, OfferRow.active.is_(True)
        )
        return [
            _offer(*found) for found in await self.session.execute(query.order_by(OfferRow.id))
        ]

    async def withdraw_offer(self, offer_id: int, resident_id: int) -> bool:
        result = await self.session.execute(
            update(OfferRow)
            .where(
                OfferRow.id == offer_id,
                OfferRow.resident_id == resident_id,
                OfferRow.active.is_(True),
            )
            .values(active=False)
        )
        return bool(getattr(result, "rowcount", 0))
