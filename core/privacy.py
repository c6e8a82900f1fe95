"""Residents' rights over what the ward keeps about them (Law No. 91/2025/QH15)."""

from core.ports import UnitOfWork

# The kind of the last message to a resident who had themself erased: once it has gone, the
# outbox forgets where it went.
FAREWELL = "farewell"


async def erase_me(uow: UnitOfWork, resident_id: int) -> None:
    """Erase the resident's personal data: name, phone, subscriptions, offers, dialogue,
    messages; their reports stay for the ward's figures, without anything that names them."""
    await uow.privacy.erase(resident_id)
