"""Tables. Every table the product needs is here from the start; later work adds behaviour."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime

# Stable constraint names keep migrations reproducible on both dialects.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets BIGINT.
Id = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class WardRow(Base):
    __tablename__ = "wards"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    holiday_policy: Mapped[str] = mapped_column(String(16))
    # When residents who ask for it hear of tomorrow's truck; none: no evening bell.
    evening_at: Mapped[time | None] = mapped_column(Time)
    # A chat (channel + id) where the ward's officers work together, once linked.
    officer_chat_channel: Mapped[str | None] = mapped_column(String(16))
    officer_chat_id: Mapped[str | None] = mapped_column(String(64))


class AlleyRow(Base):
    __tablename__ = "alleys"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # The name folded to plain lower-case ASCII words, for search without diacritics.
    search_name: Mapped[str] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # A group chat that hears the bell for the whole alley, once linked.
    group_channel: Mapped[str | None] = mapped_column(String(16))
    group_chat_id: Mapped[str | None] = mapped_column(String(64))


class CollectionRuleRow(Base):
    __tablename__ = "collection_rules"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    alley_id: Mapped[int] = mapped_column(ForeignKey("alleys.id", ondelete="CASCADE"), index=True)
    # Weekdays as a bit mask: bit 0 is Monday.
    weekdays: Mapped[int] = mapped_column(Integer)
    at: Mapped[time] = mapped_column(Time)
    until: Mapped[time | None] = mapped_column(Time)  # the end of a time window
    every_weeks: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    starting: Mapped[date | None] = mapped_column(Date)
    of_month: Mapped[int | None] = mapped_column(Integer)  # 1..4, or -1 for the last
    # What the truck takes, comma-separated (general,recyclable,organic,bulky); empty: all.
    kinds: Mapped[str] = mapped_column(String(64), default="", server_default="")


class CollectionExceptionRow(Base):
    __tablename__ = "collection_exceptions"
    __table_args__ = (UniqueConstraint("alley_id", "day"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    alley_id: Mapped[int] = mapped_column(ForeignKey("alleys.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(String(8))
    moved_to: Mapped[datetime | None] = mapped_column(DateTime)  # local time of the ward


class ResidentRow(Base):
    __tablename__ = "residents"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(8))
    platform_language: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    muted_announcements: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SubscriptionRow(Base):
    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("resident_id", "alley_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    alley_id: Mapped[int] = mapped_column(ForeignKey("alleys.id", ondelete="CASCADE"), index=True)
    lead_minutes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Which bells: before (the lead time), evening (the evening before), or both.
    bells: Mapped[str] = mapped_column(String(8), default="before", server_default="before")


class OfficerRow(Base):
    __tablename__ = "officers"
    __table_args__ = (UniqueConstraint("ward_id", "channel", "external_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    # Taken away by the seed file: no access any more, but the reports' trail still names them.
    revoked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ReportRow(Base):
    __tablename__ = "reports"
    __table_args__ = (
        Index("ix_reports_ward_state_created", "ward_id", "state", "created_at"),
        Index("ix_reports_ward_created", "ward_id", "created_at"),
        # An open report's next target; NULL once it is closed, so the inbox reads only these.
        Index("ix_reports_ward_due", "ward_id", "due_at"),
        Index("ix_reports_resident_created", "resident_id", "created_at"),
        Index("ix_reports_state_resolved", "state", "resolved_at"),
        Index("ix_reports_ward_resolved", "ward_id", "resolved_at"),  # a ward's period's fixes
        # Open311 reads newest first across wards, of all categories or of one.
        Index("ix_reports_created", "created_at"),
        Index("ix_reports_category_created", "category", "created_at"),
        Index(
            "ix_reports_escalation",
            "due_at",
            sqlite_where=text("escalated_at IS NULL AND due_at IS NOT NULL"),
            postgresql_where=text("escalated_at IS NULL AND due_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)  # the `#<number>` residents see
    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id", ondelete="CASCADE"))
    alley_id: Mapped[int | None] = mapped_column(ForeignKey("alleys.id", ondelete="SET NULL"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    collection_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # "missed collection"
    assigned_officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL")
    )
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    rating: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Targets, worked out in working hours when the report is filed.
    acknowledge_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolve_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the open report's next target
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # for that target
    feedback_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReportPhotoRow(Base):
    __tablename__ = "report_photos"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(16))
    file_ref: Mapped[str] = mapped_column(String(500))  # a platform file id or a URL


class ReportEventRow(Base):
    """The audit trail: who changed what on a report, when, and why."""

    __tablename__ = "report_events"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16))  # state, note, reply, assign, rating
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str | None] = mapped_column(String(16))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id", ondelete="SET NULL"))
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(Text)


class VolunteerCallRow(Base):
    __tablename__ = "volunteer_calls"
    __table_args__ = (Index("ix_volunteer_calls_ward_starts", "ward_id", "starts_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id", ondelete="CASCADE"))
    organiser_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL")
    )
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    slots: Mapped[int] = mapped_column(Integer)
    signup_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bring: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))  # open, closed, cancelled
    results: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # measure → amount
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SignupRow(Base):
    __tablename__ = "signups"
    __table_args__ = (UniqueConstraint("call_id", "resident_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("volunteer_calls.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))  # joined, waitlisted, declined, left
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attended: Mapped[bool | None] = mapped_column(Boolean)
    hours: Mapped[float | None] = mapped_column(Float)


class OfferRow(Base):
    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # labour, materials, money, transport, skill
    description: Mapped[str] = mapped_column(Text)
    available: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AnnouncementRow(Base):
    """An officer's message to a ward's residents; its messages are keyed `announce:<id>:…`."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id", ondelete="CASCADE"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    recipients: Mapped[int] = mapped_column(Integer)
    # Where, and in which language, the officer is told how the sending goes.
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last told how it goes
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class OutboxRow(Base):
    """A message waiting to be sent, or the record of how its sending ended."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_not_before", "status", "not_before"),
        Index("ix_outbox_chat", "channel", "chat_id", "id"),  # a chat's messages, in order
        Index("ix_outbox_kind_expires_at", "kind", "expires_at"),
        Index("ix_outbox_announcement_status", "announcement_id", "status"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    # Makes a message unique, e.g. "bell:<subscription>:<collection>"; NULL for plain replies.
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # reply, bell, notice, broadcast
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL")
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The options the message offers, [label, data] each: what a number typed next answers.
    options: Mapped[list[list[str]]] = mapped_column(JSON, server_default=text("'[]'"))
    status: Mapped[str] = mapped_column(String(16))
    not_before: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)  # on time until then
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # never sent after
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A resident's copy of an announcement: its outcomes are counted by this, through the index.
    announcement_id: Mapped[int | None] = mapped_column(Id)


class DialogueStateRow(Base):
    __tablename__ = "dialogue_states"

    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str | None] = mapped_column(String(32))
    step: Mapped[str | None] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProcessedUpdateRow(Base):
    """An update a channel delivered and the bot handled: delivered again, it is ignored."""

    __tablename__ = "processed_updates"
    __table_args__ = (UniqueConstraint("channel", "key"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class ApiKeyRow(Base):
    """A partner's key to file reports through Open311; only its hash is kept."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    partner: Mapped[str] = mapped_column(String(100), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    shown: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
