"""Use cases about the resident themself: their language and their roles in wards."""

from urbanbell.core.errors import UnsupportedLanguage
from urbanbell.core.model import Officer
from urbanbell.core.ports import UnitOfWork


async def choose_language(
    uow: UnitOfWork, resident_id: int, language: str, supported: tuple[str, ...]
) -> None:
    if language not in supported:
        raise UnsupportedLanguage(language)
    await uow.residents.set_language(resident_id, language)


async def roles_of(uow: UnitOfWork, channel: str, external_id: str) -> list[Officer]:
    return await uow.officers.of_person(channel, external_id)
