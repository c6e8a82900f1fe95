"""Use cases of the figures: officers' statistics and exports, residents' indicators."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from core.mobilisation import VolunteerFigures
from core.model import Alley, Officer, Ward
from core.ports import UnitOfWork
from core.report_export import ExportedEvent, ExportedReport
from core.report_figures import (
    Figures,
    Period,
    WardFigures,
    period_of,
    ward_figures_of,
)
from core.reports import MAY_TRIAGE
from core.volunteers import volunteer_figures

THIS_MONTH = ""


def triaged_wards(officers: Sequence[Officer]) -> list[Ward]:
    """The wards whose reports the person triages, each once."""
    return list({o.ward.id: o.ward for o in officers if o.role in MAY_TRIAGE}.values())


def _periods(wards: Sequence[Ward], period: str, now: datetime) -> list[tuple[Ward, Period]]:
    """Each ward's span of the period named; a bad name is refused before anything is read."""
    return [(ward, period_of(period, now, ZoneInfo(ward.timezone))) for ward in wards]


async def figures_for_wards(
    uow: UnitOfWork, wards: Sequence[Ward], period: str, now: datetime
) -> list[WardFigures]:
    """Each ward's figures over the period named: in total, per category, per alley."""
    found = []
    for ward, span in _periods(wards, period, now):
        facts = await uow.figures.facts([ward.id], span.since, span.until)
        alleys = await uow.alleys.in_ward(ward.id)
        found.append(ward_figures_of(ward, alleys, facts, span, now))
    return found


async def ward_volunteering(uow: UnitOfWork, figures: WardFigures) -> VolunteerFigures:
    """What volunteers did in the ward over the same period as its report figures."""
    span = figures.period
    return await volunteer_figures(uow, [figures.ward.id], span.since, span.until)


@dataclass(frozen=True)
class Indicators:
    """What a resident sees of a ward's work this month: figures only, never who reported
    or who volunteered."""

    figures: WardFigures
    followed: tuple[tuple[Alley, Figures], ...]  # the resident's alleys in this ward
    volunteering: VolunteerFigures


async def resident_indicators(
    uow: UnitOfWork, resident_id: int, now: datetime
) -> list[Indicators]:
    """This month's figures of the wards of the alleys the resident follows; of every ward,
    with no alley picked, for a resident who follows none."""
    followed = [s.alley for s in await uow.subscriptions.of_resident(resident_id)]
    wards = list({a.ward.id: a.ward for a in followed}.values()) or await uow.wards.all()
    indicators = []
    for figures in await figures_for_wards(uow, wards, THIS_MONTH, now):
        by_alley = {alley.id: f for alley, f in figures.by_alley if alley is not None}
        mine = tuple(
            (alley, by_alley.get(alley.id, Figures()))
            for alley in followed
            if alley.ward.id == figures.ward.id
        )
        volunteering = await ward_volunteering(uow, figures)
        indicators.append(Indicators(figures, mine, volunteering))
    return indicators


@dataclass(frozen=True)
class Export:
    ward: Ward
    period: Period
    reports: list[ExportedReport]  # filed in the period
    events: list[ExportedEvent]  # the whole trail of those reports


async def exports_for_wards(
    uow: UnitOfWork, wards: Sequence[Ward], period: str, now: datetime
) -> list[Export]:
    """Each ward's reports filed in the period, as its officers may see them, and their trail."""
    found = []
    for ward, span in _periods(wards, period, now):
        reports = await uow.figures.reports(ward.id, span.since, span.until)
        events = await uow.figures.events(ward.id, span.since, span.until)
        found.append(Export(ward, span, [r.for_officers() for r in reports], events))
    return found
