"""What the core needs from the outside world, as Protocols; `storage/` implements them."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import TracebackType
from typing import Any, Protocol, Self

from core.mobilisation import (
    Announcement,
    Attendance,
    CallDraft,
    Delivered,
    Measure,
    Offer,
    OfferKind,
    Recipient,
    Signup,
    SignupStatus,
    VolunteerCall,
    VolunteerFigures,
)
from core.model import (
    Alley,
    AlleySchedule,
    Bells,
    CollectionException,
    CollectionRule,
    Delivery,
    DialogueState,
    HolidayPolicy,
    NewMessage,
    Officer,
    OutboxItem,
    OutboxStatus,
    Resident,
    Role,
    SeededOfficer,
    Subscription,
    Ward,
)
from core.partners import ApiKey
from core.public_reports import PublicFilter, PublicReport
from core.reminders import Follower
from core.report_export import ExportedEvent, ExportedReport
from core.report_figures import ReportFacts
from core.reports import InboxFilter, NewReport, Report, ReportEvent


@dataclass(frozen=True)
class Memory:
    """What the bot remembers of a conversation between two messages."""

    dialogue: DialogueState | None = None


class WardRepository(Protocol):
    async def all(self) -> list[Ward]: ...
    async def get(self, ward_id: int) -> Ward | None: ...
    async def by_code(self, code: str) -> Ward | None: ...
    async def officer_chat(self, ward_id: int) -> tuple[str, str] | None:
        """The group chat (channel, id) where the ward's officers work together, if linked."""
        ...

    async def link_officer_chat(self, ward_id: int, channel: str, chat_id: str) -> None: ...
    async def upsert(
        self,
        code: str,
        name: str,
        timezone: str,
        holiday_policy: HolidayPolicy,
        evening_at: time | None = None,
    ) -> tuple[Ward, bool]:
        """Create or update the ward with this code; say whether anything changed."""
        ...


class AlleyRepository(Protocol):
    async def by_code(self, code: str) -> Alley | None: ...
    async def in_ward(self, ward_id: int) -> list[Alley]: ...
    async def located(self) -> list[Alley]:
        """The alleys whose place on the map is known."""
        ...

    async def containing(self, folded_words: Sequence[str]) -> list[tuple[Alley, str]]:
        """Alleys whose folded name holds every word, each with that folded name."""
        ...

    async def schedule(self, alley: Alley) -> AlleySchedule: ...
    async def link_group(self, alley_id: int, channel: str, chat_id: str) -> None:
        """Let the bell of the alley ring in this group chat too (in place of any before)."""
        ...

    async def groups(self, alley_id: int | None = None, lead_minutes: int = 15) -> list[Follower]:
        """The group chats linked to alleys (to one, if given), as followers of them."""
        ...

    async def set_exception(self, alley_id: int, exception: CollectionException) -> None:
        """Skip or move the collection of one day, replacing any change made for that day."""
        ...

    async def remove_exception(self, alley_id: int, day: date) -> None:
        """Give the day back its collection as the alley's rules have it."""
        ...

    async def schedules(self, alley_ids: Collection[int]) -> dict[int, AlleySchedule]:
        """The schedules of many alleys at once, by alley id."""
        ...

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
    async def set_phone(self, resident_id: int, phone: str) -> None: ...
    async def deactivate(self, resident_id: int) -> None:
        """Stop writing to a resident who blocked the bot, until they write again."""
        ...


class SubscriptionRepository(Protocol):
    async def of_resident(self, resident_id: int) -> list[Subscription]: ...
    async def get(self, subscription_id: int) -> Subscription | None: ...
    async def find(self, resident_id: int, alley_id: int) -> Subscription | None: ...
    async def add(self, resident_id: int, alley: Alley, lead_minutes: int) -> Subscription: ...
    async def remove(self, subscription_id: int) -> None: ...
    async def set_lead(self, subscription_id: int, lead_minutes: int) -> None: ...
    async def set_bells(self, subscription_id: int, bells: Bells) -> None: ...
    async def followers(self, alley_id: int | None = None) -> list[Follower]:
        """Every subscription (of one alley, if given) of a resident who can be written to."""
        ...


class OfficerRepository(Protocol):
    async def of_person(self, channel: str, external_id: str) -> list[Officer]: ...
    async def of_ward(self, ward_id: int, roles: Collection[Role] = ()) -> list[tuple[str, str]]:
        """Where to write to each officer of a ward (with one of `roles`, if given):
        (channel, their id there)."""
        ...

    async def roles_on(self, channel: str) -> dict[str, set[Role]]:
        """Everyone with a role on a channel: their id there, and their roles in any ward."""
        ...

    async def upsert(
        self, ward: Ward, channel: str, external_id: str, role: Role, name: str
    ) -> tuple[Officer, bool]:
        """Give the person the role in the ward (back, if it had been taken away)."""
        ...

    async def of_wards(self, ward_ids: Collection[int]) -> list[SeededOfficer]:
        """The officers who hold a role in any of these wards, with their identities."""
        ...

    async def revoke(self, officer_ids: Collection[int]) -> None:
        """Take these roles away; the reports' trail keeps their names."""
        ...


class ReportRepository(Protocol):
    async def add(self, report: NewReport) -> int:
        """Store the report and its photos; its id is the number residents see."""
        ...

    async def get(self, report_id: int) -> Report | None: ...
    async def update(self, report_id: int, **values: object) -> None:
        """Set columns of the report by name."""
        ...

    async def add_photo(self, report_id: int, channel: str, ref: str) -> None: ...
    async def add_event(self, event: ReportEvent) -> None: ...
    async def events(self, report_id: int) -> list[ReportEvent]: ...
    async def count_since(self, resident_id: int, since: datetime) -> int:
        """How many reports the resident filed since the instant."""
        ...

    async def of_resident(self, resident_id: int, limit: int) -> list[Report]:
        """The resident's latest reports, newest first."""
        ...

    async def inbox(
        self,
        ward_ids: Collection[int],
        filters: InboxFilter,
        now: datetime,
        offset: int,
        limit: int,
    ) -> tuple[list[Report], int]:
        """One page of the wards' open reports, the most pressing target first, and the
        number of reports that match."""
        ...

    async def overdue(self, now: datetime, limit: int) -> list[Report]:
        """Open reports past their target and not yet escalated for it."""
        ...

    async def awaiting_feedback(self, resolved_before: datetime, limit: int) -> list[Report]:
        """Resolved reports whose reporter has not said whether it is fixed, asked once."""
        ...

    async def public(self, filters: PublicFilter, offset: int, limit: int) -> list[PublicReport]:
        """A page of the reports that match, newest first, with only what anyone may read."""
        ...


class ApiKeyRepository(Protocol):
    async def all(self) -> list[ApiKey]: ...
    async def add(self, partner: str, key_hash: str, shown: str, now: datetime) -> ApiKey: ...
    async def by_hash(self, key_hash: str) -> ApiKey | None: ...
    async def revoke(self, key_id: int, now: datetime) -> None: ...


class VolunteerRepository(Protocol):
    async def add_call(self, draft: CallDraft, organiser_id: int | None) -> VolunteerCall: ...
    async def call(self, call_id: int, *, lock: bool = False) -> VolunteerCall | None:
        """The call; with `lock`, held until the transaction ends, so that changes to its
        sign-ups take turns (on SQLite, BEGIN IMMEDIATE already makes every writer wait)."""
        ...

    async def calls(
        self, ward_ids: Collection[int], *, open_only: bool, limit: int
    ) -> list[VolunteerCall]:
        """The wards' calls, the soonest first when `open_only`, else the latest first."""
        ...

    async def counts(self, call_ids: Collection[int]) -> dict[int, dict[SignupStatus, int]]:
        """How many sign-ups each call has, by status."""
        ...

    async def signup(self, call_id: int, resident_id: int) -> Signup | None: ...
    async def set_signup(self, call_id: int, resident_id: int, status: SignupStatus) -> None:
        """Record the resident's answer to the call; joining or queueing starts their turn."""
        ...

    async def signups(self, call_id: int, statuses: Collection[SignupStatus] = ()) -> list[Signup]:
        """The call's sign-ups (with these statuses, if given), in the order they were made."""
        ...

    async def update_call(self, call: VolunteerCall) -> None:
        """Write the call's title, place, location, places and times as given."""
        ...

    async def cancel(self, call_id: int) -> None:
        """Mark the call cancelled; its sign-ups stay as they were."""
        ...

    async def close(
        self, call_id: int, results: Mapping[Measure, float], attendance: Attendance
    ) -> None:
        """Close the call with what it achieved, who came and the hours each gave."""
        ...

    async def figures(
        self, ward_ids: Collection[int], since: datetime, until: datetime
    ) -> VolunteerFigures: ...
    async def recipient(self, resident_id: int) -> Recipient | None: ...
    async def officer_chat(self, officer_id: int) -> Recipient | None:
        """Where and in which language to write to an officer."""
        ...

    async def add_offer(
        self,
        resident_id: int,
        ward_id: int,
        kind: OfferKind,
        description: str,
        available: str | None,
    ) -> Offer: ...
    async def offer(self, offer_id: int) -> Offer | None: ...
    async def offers(
        self, ward_ids: Collection[int], kind: OfferKind | None, limit: int
    ) -> list[Offer]:
        """Active offers in the wards (of one kind, if given), the newest first."""
        ...

    async def offers_of(self, resident_id: int) -> list[Offer]: ...
    async def withdraw_offer(self, offer_id: int, resident_id: int) -> bool:
        """Take back the resident's own offer; False when it is not theirs or gone."""
        ...


class AnnouncementRepository(Protocol):
    async def audience(self, alley_ids: Collection[int]) -> list[Recipient]:
        """Each resident who follows one of the alleys, once, whom the bot may write to and
        who has not muted announcements."""
        ...

    async def audience_size(self, alley_ids: Collection[int]) -> tuple[int, int]:
        """How many followers of the alleys can be written to: (listening, muted)."""
        ...

    async def muted(self, resident_id: int) -> bool: ...
    async def set_muted(self, resident_id: int, muted: bool) -> None: ...
    async def add(
        self,
        ward_id: int,
        officer_id: int | None,
        text: str,
        recipients: int,
        where: tuple[str, str],
        language: str,
    ) -> Announcement:
        """Record an announcement; `where` is the officer's chat, (channel, id)."""
        ...

    async def unfinished(self) -> list[Announcement]: ...
    async def outcomes(self, announcement_id: int) -> Delivered:
        """How the residents' copies of the announcement have ended, so far."""
        ...

    async def mark(
        self,
        announcement_id: int,
        *,
        progress_at: datetime | None = None,
        finished_at: datetime | None = None,
    ) -> None: ...


class FiguresRepository(Protocol):
    """Reports of a period, read for the figures and the exports; nothing is written."""

    async def facts(
        self, ward_ids: Collection[int], since: datetime, until: datetime
    ) -> list[ReportFacts]:
        """The reports of the wards filed or resolved in [since, until), each once."""
        ...

    async def reports(
        self, ward_id: int, since: datetime, until: datetime
    ) -> list[ExportedReport]:
        """The ward's reports filed in [since, until), oldest first, with their reporters."""
        ...

    async def events(self, ward_id: int, since: datetime, until: datetime) -> list[ExportedEvent]:
        """The trail of the ward's reports filed in [since, until), in order."""
        ...


class DialogueRepository(Protocol):
    async def recall(self, resident_id: int) -> Memory: ...
    async def remember(self, resident_id: int, memory: Memory) -> None: ...
    async def forget_unseen(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` dialogue states of residents last seen before then; say how
        many."""
        ...


class InboxRepository(Protocol):
    """Updates already handled, so that one delivered twice is answered once."""

    async def first_time(self, channel: str, key: str) -> bool:
        """Record the update as handled; False when it had been already."""
        ...

    async def forget_before(self, instant: datetime) -> int:
        """Drop the records of updates handled before; Telegram resends none that old."""
        ...


class OutboxRepository(Protocol):
    async def add(self, message: NewMessage) -> int | None:
        """Queue a message; None when one with the same key was queued before."""
        ...

    async def claim(
        self,
        channels: Sequence[str],
        now: datetime,
        lease: timedelta,
        limit: int,
        chat_id: str | None = None,
    ) -> list[OutboxItem]:
        """Take the most urgent due messages for sending (to one chat if given), under a lease."""
        ...

    async def add_new(self, messages: Sequence[NewMessage]) -> int:
        """Queue those whose key was never queued before; say how many."""
        ...

    async def last_choices(self, channel: str, chat_id: str) -> tuple[tuple[str, str], ...]:
        """The options, (label, data) each, that stand in the chat: those of the latest
        message delivered (or on its way now) to it that asked something, unless a reply
        delivered since answered nothing. Queued messages do not count: a number typed answers
        what the person saw."""
        ...

    async def keys_since(self, kind: str, expiring_after: datetime) -> set[str]:
        """The keys of the messages of a kind that expire after the given instant."""
        ...

    async def withdraw(self, key_prefix: str) -> int:
        """Take back unsent messages whose key starts so (a changed subscription's bells)."""
        ...

    async def purge_ended(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` messages that ended (sent, failed, skipped, uncertain) and were
        due before then, but none an unfinished announcement still counts; say how many."""
        ...

    async def lock_planning(self) -> bool:
        """Take the planner's lock for this transaction; False when another planner has it."""
        ...

    async def expire(self, now: datetime) -> int:
        """Skip unsent messages whose time has passed (a bell after its truck); say how many."""
        ...

    async def reap(self, now: datetime) -> int:
        """Put back messages whose sender died holding them; say how many."""
        ...

    async def finish(
        self, item_ids: Sequence[int], status: OutboxStatus, outcome: str, now: datetime
    ) -> None:
        """Record how these messages ended; an empty `outcome` keeps the note they had."""
        ...

    async def postpone(
        self,
        item_id: int,
        not_before: datetime,
        outcome: str,
        count: bool,
        payload: dict[str, Any] | None = None,
    ) -> None:
        """Send it later; `count` says whether this attempt counts as one; a `payload` given
        replaces the message's (to say which parts of it went out already)."""
        ...


class PrivacyRepository(Protocol):
    async def erase(self, resident_id: int) -> None:
        """Erase the resident's personal data, keeping their reports anonymised."""


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
    def reports(self) -> ReportRepository: ...
    @property
    def figures(self) -> FiguresRepository: ...
    @property
    def volunteers(self) -> VolunteerRepository: ...
    @property
    def announcements(self) -> AnnouncementRepository: ...
    @property
    def dialogues(self) -> DialogueRepository: ...
    @property
    def inbox(self) -> InboxRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def api_keys(self) -> ApiKeyRepository: ...
    @property
    def privacy(self) -> PrivacyRepository: ...

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


class Messenger(Protocol):
    """Delivers channel-neutral payloads on one platform; never raises for a platform error."""

    channel: str

    async def deliver(self, chat_id: str, payload: Mapping[str, Any]) -> Delivery: ...
