"""The figures' reads on both dialects: a ward's period, each report once, nothing of others."""

from __future__ import annotations

from datetime import datetime, timedelta

import yaml

from core.ports import UnitOfWorkFactory
from core.reports import Category, EventKind, NewReport, ReportEvent, ReportState
from core.seeding import apply_seed, parse_seed
from tests.conftest import WARD_ZONE
from urbanbell.cli import DEMO_SEED

NOVEMBER = (datetime(2026, 11, 1, tzinfo=WARD_ZONE), datetime(2026, 12, 1, tzinfo=WARD_ZONE))


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=WARD_ZONE)


async def file(
    uow_factory: UnitOfWorkFactory,
    ward_code: str,
    created: datetime,
    resolved: datetime | None = None,
    rating: int | None = None,
) -> int:
    async with uow_factory() as uow:
        ward = await uow.wards.by_code(ward_code)
        assert ward is not None
        resident = await uow.residents.seen("telegram", "42", "Cô Ba", "vi")
        number = await uow.reports.add(
            NewReport(
                ward_id=ward.id,
                alley_id=None,
                resident_id=resident.id,
                category=Category.ROAD,
                description="ổ gà",
                anonymous=False,
                location=None,
                created_at=created,
                acknowledge_by=created + timedelta(hours=8),
                resolve_by=created + timedelta(days=3),
            )
        )
        await uow.reports.add_event(
            ReportEvent(number, created, EventKind.FILED, to_state=ReportState.NEW)
        )
        if resolved is not None:
            await uow.reports.update(
                number,
                state=ReportState.RESOLVED,
                acknowledged_at=resolved,
                resolved_at=resolved,
                due_at=None,
                rating=rating,
            )
            await uow.reports.add_event(
                ReportEvent(
                    number, resolved, EventKind.STATE, ReportState.NEW, ReportState.RESOLVED
                )
            )
        await uow.commit()
        return number


async def seed(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await apply_seed(uow, parse_seed(yaml.safe_load(DEMO_SEED.read_text())), "UTC")
        await uow.commit()


async def test_the_period_brings_reports_filed_or_resolved_in_it_each_once(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await seed(uow_factory)
    await file(uow_factory, "ninh-kieu", at(10, 30), resolved=at(11, 2), rating=5)
    await file(uow_factory, "ninh-kieu", at(11, 5))
    await file(uow_factory, "ninh-kieu", at(11, 10), resolved=at(11, 12))
    await file(uow_factory, "ninh-kieu", at(10, 1), resolved=at(10, 3))  # before
    await file(uow_factory, "ninh-kieu", at(12, 1, 0))  # just after: 00:00 on 1 December
    await file(uow_factory, "ninh-kieu", at(11, 30, 23), resolved=at(12, 1, 1))
    await file(uow_factory, "soc-trang", at(11, 5))  # another ward

    async with uow_factory() as uow:
        ward = await uow.wards.by_code("ninh-kieu")
        assert ward is not None
        facts = await uow.figures.facts([ward.id], *NOVEMBER)

    assert sorted((f.created_at, f.resolved_at, f.rating) for f in facts) == [
        (at(10, 30), at(11, 2), 5),
        (at(11, 5), None, None),
        (at(11, 10), at(11, 12), None),
        (at(11, 30, 23), at(12, 1, 1), None),
    ]
    assert {f.ward_id for f in facts} == {ward.id}
    assert all(f.category is Category.ROAD for f in facts)
    opened = next(f for f in facts if f.resolved_at is None)
    assert opened.state is ReportState.NEW
    assert (opened.due_at, opened.resolve_by) == (at(11, 5, 17), at(11, 8))


async def test_the_export_has_the_periods_reports_with_their_reporter_and_trail(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await seed(uow_factory)
    await file(uow_factory, "ninh-kieu", at(10, 30), resolved=at(11, 2))  # filed before
    first = await file(uow_factory, "ninh-kieu", at(11, 5), resolved=at(11, 6))
    second = await file(uow_factory, "ninh-kieu", at(11, 7))
    await file(uow_factory, "soc-trang", at(11, 5))

    async with uow_factory() as uow:
        ward = await uow.wards.by_code("ninh-kieu")
        assert ward is not None
        reports = await uow.figures.reports(ward.id, *NOVEMBER)
        events = await uow.figures.events(ward.id, *NOVEMBER)

    assert [r.id for r in reports] == [first, second]
    assert (reports[0].reporter_name, reports[0].description) == ("Cô Ba", "ổ gà")
    assert reports[0].resolved_at == at(11, 6)
    assert [(e.report_id, e.kind, e.to_state) for e in events] == [
        (first, EventKind.FILED, ReportState.NEW),
        (first, EventKind.STATE, ReportState.RESOLVED),
        (second, EventKind.FILED, ReportState.NEW),
    ]
