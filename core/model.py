"""Domain types: plain values that cross the layers."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LEAD_TIMES = (10, 15, 30, 60)
# What a collection may take away, as the seed names it; none named means everything.
KINDS = ("general", "recyclable", "organic", "bulky")
# A monthly rule's week: the first..fourth such weekday of the month, or the last (-1).
WEEKS_OF_MONTH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}


class Bells(enum.StrEnum):
    """Which bells a subscription hears."""

    BEFORE = "before"  # minutes before the truck, at the subscription's lead time
    EVENING = "evening"  # the evening before, at the ward's evening time
    BOTH = "both"

    @property
    def before(self) -> bool:
        return self is not Bells.EVENING

    @property
    def evening(self) -> bool:
        return self is not Bells.BEFORE


class HolidayPolicy(enum.StrEnum):
    """What happens to a collection that falls on a public holiday."""

    SKIP = "skip"
    SHIFT = "shift"
    NONE = "none"


class ExceptionAction(enum.StrEnum):
    SKIP = "skip"
    MOVE = "move"


class Role(enum.StrEnum):
    OFFICER = "officer"
    ORGANISER = "organiser"
    ADMIN = "admin"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a dispatcher, under a lease
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    UNCERTAIN = "uncertain"  # the platform may or may not have delivered it


class Outcome(enum.StrEnum):
    """How one attempt to deliver a message ended, whatever the platform."""

    SENT = "sent"
    RETRY_AFTER = "retry_after"  # the platform asks the whole bot to wait
    BLOCKED = "blocked"  # the person blocked the bot, left, or the chat is gone
    RETRY = "retry"  # it never reached the platform; safe to send again
    UNCERTAIN = "uncertain"  # it may have arrived; sending again could repeat it
    FAILED = "failed"  # the platform refused this message for good


# How the record of a message refused because the person blocked the bot begins.
BLOCKED_NOTE = "blocked: "


@dataclass(frozen=True)
class Delivery:
    outcome: Outcome
    reason: str = ""
    retry_after: float = 0.0
    # Of a message sent in parts (long text, then attachments), how many arrived before the
    # failure: sent again, it starts after them, so that no part arrives twice.
    parts_sent: int = 0


# The payload key that says how many parts of a message went out on earlier attempts.
PARTS_SENT = "parts_sent"

# An option a message offers: its label, and the data pressing it sends back.
Option = tuple[str, str]


@dataclass(frozen=True)
class Worded:
    """A message as the bot words it: its payload, and the options a typed number presses."""

    payload: dict[str, Any]
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class NewMessage:
    """A message to put in the outbox; `payload` is a channel-neutral reply."""

    kind: str  # reply, bell, notice, broadcast
    channel: str
    chat_id: str
    payload: dict[str, Any]
    resident_id: int | None = None
    key: str | None = None  # unique: the same key is never queued twice
    not_before: datetime | None = None
    deadline: datetime | None = None  # sending after this is late
    expires_at: datetime | None = None  # after this it is pointless: skipped, never sent
    # What a number typed in answer to this message presses, kept apart from the payload so
    # that the outbox reads them without knowing how a reply is written down.
    options: tuple[Option, ...] = ()
    announcement_id: int | None = None  # a resident's copy of an announcement, counted by it

    @classmethod
    def worded(
        cls,
        kind: str,
        channel: str,
        chat_id: str,
        words: Worded,
        *,
        resident_id: int | None = None,
        key: str | None = None,
        not_before: datetime | None = None,
        deadline: datetime | None = None,
        expires_at: datetime | None = None,
        announcement_id: int | None = None,
    ) -> NewMessage:
        """The message the bot worded, offering the options its words show."""
        return cls(
            kind=kind,
            channel=channel,
            chat_id=chat_id,
            payload=words.payload,
            resident_id=resident_id,
            key=key,
            not_before=not_before,
            deadline=deadline,
            expires_at=expires_at,
            options=words.options,
            announcement_id=announcement_id,
        )


@dataclass(frozen=True)
class OutboxItem:
    id: int
    kind: str
    channel: str
    chat_id: str
    payload: dict[str, Any]
    resident_id: int | None
    attempts: int
    deadline: datetime | None = None
    queued_at: datetime | None = None


@dataclass(frozen=True)
class CollectionRule:
    """When the truck comes: on these weekdays (0 = Monday), at `at`.

    Weekly unless narrowed: every `every_weeks` weeks counted from the week of `starting`, or
    only the `of_month`-th such weekday of each month (-1 the last). With `until`, the truck
    comes some time between `at` and `until`, and the bell is timed from `at`.
    """

    weekdays: frozenset[int]
    at: time
    until: time | None = None
    every_weeks: int = 1
    starting: date | None = None
    of_month: int | None = None
    kinds: tuple[str, ...] = ()  # from KINDS; none named: whatever the ward collects


@dataclass(frozen=True)
class CollectionException:
    """One date's collection skipped, or moved to another local date and time."""

    on: date
    action: ExceptionAction
    moved_to: datetime | None = None  # naive, in the ward's time zone


@dataclass(frozen=True)
class Ward:
    id: int
    code: str
    name: str
    timezone: str
    holiday_policy: HolidayPolicy
    evening_at: time | None = None  # when the evening-before bell rings; None: no such bell


@dataclass(frozen=True)
class Alley:
    id: int
    code: str
    name: str
    ward: Ward
    location: tuple[float, float] | None = None


@dataclass(frozen=True)
class AlleySchedule:
    """Everything the calendar needs to know about one alley's collections."""

    alley: Alley
    rules: tuple[CollectionRule, ...]
    exceptions: tuple[CollectionException, ...]


@dataclass(frozen=True)
class Resident:
    id: int
    channel: str
    external_id: str
    display_name: str | None
    language: str | None  # the resident's own choice; None until they choose
    platform_language: str | None
    active: bool


@dataclass(frozen=True)
class Subscription:
    id: int
    resident_id: int
    alley: Alley
    lead_minutes: int
    bells: Bells = Bells.BEFORE


@dataclass(frozen=True)
class Officer:
    id: int
    ward: Ward
    role: Role
    name: str


@dataclass(frozen=True)
class SeededOfficer:
    """An officer with the identity the seed file names them by."""

    officer: Officer
    channel: str
    external_id: str


@dataclass
class DialogueState:
    """Where a resident is in a multi-step conversation; kept in the database."""

    name: str
    step: str
    data: dict[str, object]
