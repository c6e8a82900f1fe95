"""Use cases about wards and their alleys: finding them, and where a ward's officers read."""

from __future__ import annotations

from collections.abc import Sequence

from core import geo
from core.errors import WardNotFound
from core.model import Alley, Officer, Role, Ward
from core.ports import UnitOfWork


async def every_ward(uow: UnitOfWork) -> list[Ward]:
    return await uow.wards.all()


async def alley_of_code(uow: UnitOfWork, code: str) -> Alley | None:
    return await uow.alleys.by_code(code)


async def alley_of_typed_code(uow: UnitOfWork, code: str) -> Alley | None:
    """The alley of a code as typed, in any letter case (phones capitalise)."""
    return await uow.alleys.by_code(code)


async def nearest_alley(
    uow: UnitOfWork, where: tuple[float, float], within: float
) -> Alley | None:
    """The located alley nearest to a pin, if one lies within `within` metres."""
    return geo.nearest(await uow.alleys.located(), where, within)


async def alleys_of_ward(uow: UnitOfWork, ward_code: str) -> tuple[Ward, list[Alley]]:
    """The ward and its alleys, in the order the ward lists them."""
    ward = await uow.wards.by_code(ward_code)
    if ward is None:
        raise WardNotFound(ward_code)
    return ward, await uow.alleys.in_ward(ward.id)


async def link_officer_chat(
    uow: UnitOfWork, officers: Sequence[Officer], channel: str, chat_id: str
) -> list[Ward]:
    """Send the new reports of the wards this person administers to a group chat."""
    wards = {o.ward.id: o.ward for o in officers if o.role is Role.ADMIN}
    for ward in wards.values():
        await uow.wards.link_officer_chat(ward.id, channel, chat_id)
    return list(wards.values())
