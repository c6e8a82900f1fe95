"""Use cases of residents' offers of help: a resident offers what they can give, organisers
of the ward find the offers and invite the residents behind them to a call."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core import limits
from core.errors import AlreadySignedUp, InvalidCall, NotAllowed, OfferNotFound, SignupsClosed
from core.mobilisation import MAX_TEXT, Offer, OfferKind, SignupStatus, VolunteerCall
from core.model import NewMessage, Officer, Ward
from core.ports import UnitOfWork
from core.volunteers import NOTICE, CallNotices, call_to_manage, organiser_in


async def offer_help(
    uow: UnitOfWork,
    resident_id: int,
    ward_id: int,
    kind: OfferKind,
    description: str,
    available: str | None,
) -> Offer:
    """Record what the resident can give the ward, and when they are free."""
    if available is not None:
        limits.bounded(available, limits.AVAILABLE)
    if not description.strip() or len(description) > MAX_TEXT:
        raise InvalidCall("description")
    if not await is_ward(uow, ward_id):
        raise InvalidCall("ward")
    offer = await uow.volunteers.add_offer(resident_id, ward_id, kind, description, available)
    return offer


async def offers_of(uow: UnitOfWork, resident_id: int) -> list[Offer]:
    """The resident's own offers of help."""
    return await uow.volunteers.offers_of(resident_id)


async def wards_to_offer_in(uow: UnitOfWork, resident_id: int) -> tuple[list[Ward], bool]:
    """The wards of the alleys the resident follows, by name, and True; every ward, and False,
    when they follow none."""
    followed = {s.alley.ward for s in await uow.subscriptions.of_resident(resident_id)}
    if followed:
        return sorted(followed, key=lambda ward: ward.name), True
    return await uow.wards.all(), False


async def is_ward(uow: UnitOfWork, ward_id: int) -> bool:
    return ward_id in {ward.id for ward in await uow.wards.all()}


async def withdraw_offer(uow: UnitOfWork, resident_id: int, offer_id: int) -> None:
    if not await uow.volunteers.withdraw_offer(offer_id, resident_id):
        raise OfferNotFound()


async def find_offers(
    uow: UnitOfWork, officers: Sequence[Officer], ward_id: int, kind: OfferKind | None
) -> list[Offer]:
    """The ward's offers of help (of one kind, if given), for its organisers."""
    organiser_in(officers, ward_id)
    return await uow.volunteers.offers([ward_id], kind, limit=30)


async def calls_for_offer(
    uow: UnitOfWork, officers: Sequence[Officer], offer_id: int, now: datetime
) -> tuple[Offer, list[VolunteerCall]]:
    """An offer and the calls of its ward taking sign-ups, for an organiser of that ward; to
    anyone else the offer does not exist."""
    offer = await uow.volunteers.offer(offer_id)
    if offer is None:
        raise OfferNotFound()
    try:
        organiser_in(officers, offer.ward.id)
    except NotAllowed:
        raise OfferNotFound() from None
    calls = await uow.volunteers.calls([offer.ward.id], open_only=True, limit=20)
    return offer, [call for call in calls if call.open_for_signups(now)]


async def invite_from_offer(
    uow: UnitOfWork,
    officers: Sequence[Officer],
    offer_id: int,
    call_id: int,
    now: datetime,
    notices: CallNotices,
) -> tuple[Offer, VolunteerCall, bool]:
    """Invite the resident behind an offer to a call of the same ward; say whether this is
    the first time they are invited so. Someone who already has a place, or is on the waiting
    list, is not invited."""
    offer = await uow.volunteers.offer(offer_id)
    if offer is None:
        raise OfferNotFound()
    call = await call_to_manage(uow, officers, call_id)
    if offer.ward.id != call.ward.id:
        raise OfferNotFound()
    if not call.open_for_signups(now):
        raise SignupsClosed()
    to = offer.resident
    signup = (
        None if to.resident_id is None else await uow.volunteers.signup(call.id, to.resident_id)
    )
    if signup is not None and signup.status in (SignupStatus.JOINED, SignupStatus.WAITLISTED):
        raise AlreadySignedUp(to.name, call.title, signup.status is SignupStatus.WAITLISTED)
    invited = await uow.outbox.add(
        NewMessage.worded(
            NOTICE,
            to.channel,
            to.chat_id,
            notices.invitation(call, to),
            resident_id=to.resident_id,
            key=f"call:{call.id}:offer:{to.resident_id}",
            expires_at=call.signup_deadline or call.starts_at,
        )
    )
    return offer, call, invited is not None
