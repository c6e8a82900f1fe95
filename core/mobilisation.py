"""Mobilising residents: volunteer calls, sign-ups, offers of help and announcements."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.model import Role, Ward

# Who calls for volunteers, and who announces to a ward's residents.
MAY_ORGANISE = frozenset({Role.ORGANISER, Role.ADMIN})
MAY_ANNOUNCE = frozenset({Role.OFFICER, Role.ADMIN})

MAX_SLOTS = 1000
MAX_AHEAD = timedelta(days=366)  # a call further ahead is a typo in its year
MAX_TITLE = 200
MAX_PLACE = 300
MAX_TEXT = 3500  # an announcement or a note to volunteers, with room for the header
REMIND_DAY_BEFORE = timedelta(days=1)
REMIND_HOUR_BEFORE = timedelta(hours=1)


class CallKind(enum.StrEnum):
    CLEAN_UP = "clean_up"
    LIGHTING = "lighting"
    REPAIR = "repair"
    MEALS = "meals"
    OTHER = "other"


class CallState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"  # by its organiser, before it started


class SignupStatus(enum.StrEnum):
    JOINED = "joined"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    LEFT = "left"


class OfferKind(enum.StrEnum):
    LABOUR = "labour"
    MATERIALS = "materials"
    MONEY = "money"
    TRANSPORT = "transport"
    SKILL = "skill"


class Measure(enum.StrEnum):
    """What a call achieved, counted."""

    GARBAGE_KG = "garbage_kg"
    CANAL_METRES = "canal_m"
    LIGHTS = "lights"
    MEALS = "meals"


# What an organiser is asked to count when closing a call of each kind.
MEASURES_OF: Mapping[CallKind, tuple[Measure, ...]] = {
    CallKind.CLEAN_UP: (Measure.GARBAGE_KG, Measure.CANAL_METRES),
    CallKind.LIGHTING: (Measure.LIGHTS,),
    CallKind.REPAIR: (),
    CallKind.MEALS: (Measure.MEALS,),
    CallKind.OTHER: tuple(Measure),
}


@dataclass(frozen=True)
class Recipient:
    """A resident to write to, in their language."""

    resident_id: int | None  # None for an officer who never wrote to the bot
    channel: str
    chat_id: str
    language: str | None
    platform_language: str | None
    name: str | None = None


@dataclass(frozen=True)
class CallDraft:
    """A volunteer call as the organiser describes it, before it is sent."""

    ward_id: int
    kind: CallKind
    title: str
    starts_at: datetime
    ends_at: datetime
    slots: int
    place: str | None = None
    location: tuple[float, float] | None = None
    signup_deadline: datetime | None = None
    bring: str | None = None
    report_id: int | None = None

    def preview(self, ward: Ward) -> VolunteerCall:
        """The call as residents will read it, before it is open (and so has no number)."""
        return VolunteerCall(
            id=0,
            ward=ward,
            kind=self.kind,
            title=self.title,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            slots=self.slots,
            state=CallState.OPEN,
            place=self.place,
            location=self.location,
            signup_deadline=self.signup_deadline,
            bring=self.bring,
        )


@dataclass(frozen=True)
class VolunteerCall:
    id: int
    ward: Ward
    kind: CallKind
    title: str
    starts_at: datetime
    ends_at: datetime
    slots: int
    state: CallState
    place: str | None = None
    location: tuple[float, float] | None = None
    signup_deadline: datetime | None = None
    bring: str | None = None
    organiser_id: int | None = None
    report_id: int | None = None
    results: Mapping[Measure, float] = field(default_factory=dict)

    def open_for_signups(self, now: datetime) -> bool:
        closes = self.signup_deadline or self.starts_at
        return self.state is CallState.OPEN and now < closes

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


@dataclass(frozen=True)
class Signup:
    call_id: int
    volunteer: Recipient
    status: SignupStatus
    attended: bool | None = None
    hours: float | None = None


@dataclass(frozen=True)
class Roster:
    """A call and who answered it: joined and waitlisted in the order they signed up."""

    call: VolunteerCall
    joined: tuple[Signup, ...]
    waitlisted: tuple[Signup, ...]
    declined: int
    left: int


@dataclass(frozen=True)
class Offer:
    id: int
    resident: Recipient
    ward: Ward
    kind: OfferKind
    description: str
    available: str | None
    created_at: datetime


@dataclass(frozen=True)
class Attendance:
    """Who came to a call (resident ids) and the hours each gave."""

    came: frozenset[int]
    hours: float


@dataclass(frozen=True)
class VolunteerFigures:
    """What volunteering achieved in some wards over a period."""

    calls_held: int = 0  # closed with results, starting in the period
    signups: int = 0  # volunteers joined to those calls when they closed
    attended: int = 0
    hours: float = 0.0
    results: Mapping[Measure, float] = field(default_factory=dict)

    @property
    def turnout(self) -> float | None:
        """The share of those who joined who came; None without sign-ups."""
        return self.attended / self.signups if self.signups else None


@dataclass(frozen=True)
class Announcement:
    id: int
    ward: Ward
    text: str
    recipients: int
    channel: str  # where the officer who sent it is told how it goes
    chat_id: str
    language: str
    created_at: datetime
    progress_at: datetime | None = None
    finished_at: datetime | None = None


@dataclass(frozen=True)
class Delivered:
    """How the messages of one announcement have ended so far."""

    delivered: int = 0
    blocked: int = 0
    failed: int = 0
    uncertain: int = 0  # the platform may or may not have shown it
    waiting: int = 0  # not sent yet

    @property
    def done(self) -> bool:
        return self.waiting == 0
