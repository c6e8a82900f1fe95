"""Use cases of partners: their API keys, the reports they file, and what anyone may read."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime

from core.errors import AlleyNotFound, ApiKeyNotFound, PartnerHasKey, PlaceNotFound, WardNotFound
from core.geo import nearest
from core.model import Ward
from core.partners import SHOWN, ApiKey, Requester, hash_secret, new_secret
from core.ports import UnitOfWork
from core.public_reports import PublicFilter, PublicReport
from core.reports import Category, Report
from core.triage import Draft, Triage, record_report

CHANNEL = "open311"  # the residents a partner files for are kept on a channel of their own
NEAR_ENOUGH_METRES = 300.0  # a pin this close to an alley is taken to be on it


async def issue_key(uow: UnitOfWork, partner: str, now: datetime) -> tuple[ApiKey, str]:
    """A new key for the partner, and the secret itself, shown this once."""
    if any(key.active and key.partner == partner for key in await uow.api_keys.all()):
        raise PartnerHasKey()
    secret = new_secret()
    key = await uow.api_keys.add(partner, hash_secret(secret), secret[:SHOWN], now)
    return key, secret


async def issued_keys(uow: UnitOfWork) -> list[ApiKey]:
    """Every key issued, revoked ones included, oldest first."""
    return await uow.api_keys.all()


async def revoke_key(uow: UnitOfWork, partner: str, now: datetime) -> ApiKey:
    """Stop the partner's active key from filing anything more."""
    for key in await uow.api_keys.all():
        if key.active and key.partner == partner:
            await uow.api_keys.revoke(key.id, now)
            return key
    raise ApiKeyNotFound()


async def partner_of(uow: UnitOfWork, secret: str) -> ApiKey:
    """The active key this secret is, or ApiKeyNotFound."""
    key = await uow.api_keys.by_hash(hash_secret(secret)) if secret else None
    if key is None or not key.active:
        raise ApiKeyNotFound()
    return key


async def place(
    uow: UnitOfWork,
    ward_code: str | None,
    alley_code: str | None,
    location: tuple[float, float] | None,
) -> tuple[Ward, int | None]:
    """The ward (and alley, if known) a partner's report belongs to: the alley named, else the
    one nearest the pin, else the ward named, else the only ward there is."""
    ward = await uow.wards.by_code(ward_code) if ward_code else None
    if ward_code and ward is None:
        raise WardNotFound(ward_code)
    if alley_code:
        alley = await uow.alleys.by_code(alley_code)
        if alley is None or (ward is not None and alley.ward.id != ward.id):
            raise AlleyNotFound(alley_code)
        return alley.ward, alley.id
    if location is not None:
        candidates = await uow.alleys.in_ward(ward.id) if ward else await uow.alleys.located()
        alley = nearest(candidates, location, NEAR_ENOUGH_METRES)
        if alley is not None:
            return alley.ward, alley.id
    if ward is not None:
        return ward, None
    wards = await uow.wards.all()
    if len(wards) == 1:
        return wards[0], None
    raise PlaceNotFound()


async def file_for_partner(
    uow: UnitOfWork,
    key: ApiKey,
    requester: Requester,
    draft: Draft,
    now: datetime,
    triage: Triage,
) -> Report:
    """File as a chat report is filed, for the person the partner names, or anonymously."""
    who = "|".join(part or "" for part in (requester.name, requester.email, requester.phone))
    # One resident per partner and person named; the partner cannot be written to, so they are
    # kept inactive and nothing waits in the outbox for them.
    external_id = f"{key.id}:{hashlib.sha256(who.encode()).hexdigest()[:32]}"
    resident = await uow.residents.seen(CHANNEL, external_id, requester.name, None)
    await uow.residents.deactivate(resident.id)
    if requester.phone:
        await uow.residents.set_phone(resident.id, requester.phone)
    anonymous = draft.anonymous or not requester.named
    return await record_report(uow, resident, replace(draft, anonymous=anonymous), now, triage)


async def public_reports(
    uow: UnitOfWork, filters: PublicFilter, offset: int, limit: int
) -> list[PublicReport]:
    """One page of the reports that match, newest first, as anyone may read them."""
    return await uow.reports.public(filters, offset, limit)


async def public_report(uow: UnitOfWork, report_id: int) -> PublicReport | None:
    found = await uow.reports.public(PublicFilter(ids=frozenset({report_id})), 0, 1)
    return found[0] if found else None


def services() -> tuple[Category, ...]:
    """What a partner may report: the report categories."""
    return tuple(Category)
