"""Use cases about the resident themself."""

from core.errors import UnsupportedLanguage
from core.ports import UnitOfWork


async def choose_language(
    uow: UnitOfWork, resident_id: int, language: str, supported: tuple[str, ...]
) -> None:
    if language not in supported:
        raise UnsupportedLanguage(language)
    await uow.residents.set_language(resident_id, language)
