"""What the core needs from the outside world, as Protocols; `storage/` implements them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self

from urbanbell.core.model import (
    Alley,
    AlleySchedule,
    CollectionException,
    CollectionRule,
    DialogueState,
    HolidayPolicy,
    Officer,
    Resident,
    Role,
    Subscription,
    Ward,
)


@dataclass(frozen=True)
class Memory:
    """What the bot remembers of a conversation between two messages."""

    dialogue: DialogueState | None = None
    # The options of the bot's last message, (label, data) each, so that a digit can answer.
    choices: tuple[tuple[str, str], ...] = ()


class WardRepository(Protocol):
    async def all(self) -> list[Ward]: ...
    async def by_code(self, code: str) -> Ward | None: ...
    async def upsert(
        self, code: str, name: str, timezone: str, holiday_policy: HolidayPolicy
    ) -> tuple[Ward, bool]:
        """Create or update the ward with this code; say whether anything changed."""
        ...


class AlleyRepository(Protocol):
    async def by_code(self, code: str) -> Alley | None: ...
    async def in_ward(self, ward_id: int) -> list[Alley]: ...
    async def containing(self, folded_words: Sequence[str]) -> list[tuple[Alley, str]]:
        """Alleys whose folded name holds every word, each with that folded name."""
        ...

    async def schedule(self, alley: Alley) -> AlleySchedule: ...
    async def upsert(
        self,
        ward: Ward,
        code: str,
        name: str,
        location: tuple[float, float] | None,
        rules: Sequence[CollectionRule],
        exceptions: Sequence[CollectionException],
    ) -> tuple[Alley, bool]:
        """Create or update the alley with this code, its rules and exceptions."""
        ...


class ResidentRepository(Protocol):
    async def seen(
        self,
        channel: str,
        external_id: str,
        display_name: str | None,
        platform_language: str | None,
    ) -> Resident:
        """Find or create the resident who just wrote; a resident who writes is active."""
        ...

    async def set_language(self, resident_id: int, language: str) -> None: ...


class SubscriptionRepository(Protocol):
    async def of_resident(self, resident_id: int) -> list[Subscription]: ...
    async def get(self, subscription_id: int) -> Subscription | None: ...
    async def find(self, resident_id: int, alley_id: int) -> Subscription | None: ...
    async def add(self, resident_id: int, alley: Alley, lead_minutes: int) -> Subscription: ...
    async def remove(self, subscription_id: int) -> None: ...
    async def set_lead(self, subscription_id: int, lead_minutes: int) -> None: ...


class OfficerRepository(Protocol):
    async def of_person(self, channel: str, external_id: str) -> list[Officer]: ...
    async def upsert(
        self, ward: Ward, channel: str, external_id: str, role: Role, name: str
    ) -> tuple[Officer, bool]: ...


class DialogueRepository(Protocol):
    async def recall(self, resident_id: int) -> Memory: ...
    async def remember(self, resident_id: int, memory: Memory) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: everything done through it is kept by `commit`, or by nothing."""

    @property
    def wards(self) -> WardRepository: ...
    @property
    def alleys(self) -> AlleyRepository: ...
    @property
    def residents(self) -> ResidentRepository: ...
    @property
    def subscriptions(self) -> SubscriptionRepository: ...
    @property
    def officers(self) -> OfficerRepository: ...
    @property
    def dialogues(self) -> DialogueRepository: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
