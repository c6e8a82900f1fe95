"""The seed file: wards, alleys, collection times and officers, all checked before writing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Literal
from zoneinfo import available_timezones

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from core.model import (
    WEEKDAYS,
    Alley,
    AlleySchedule,
    CollectionException,
    CollectionRule,
    ExceptionAction,
    HolidayPolicy,
    Role,
)
from core.ports import UnitOfWork
from core.schedule_changes import Notice, ScheduleChange, tell_followers

Code = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,48}$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleEntry(_Strict):
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "daily"]] = Field(
        min_length=1
    )
    time: dt.time

    @field_validator("time", mode="before")
    @classmethod
    def _hh_mm(cls, value: object) -> object:
        if isinstance(value, int):  # YAML reads an unquoted 18:00 as sexagesimal 1080
            return f"{value // 60:02d}:{value % 60:02d}"
        return value

    def rule(self) -> CollectionRule:
        if "daily" in self.days:
            return CollectionRule(frozenset(range(7)), self.time)
        return CollectionRule(frozenset(WEEKDAYS.index(d) for d in self.days), self.time)


class ExceptionEntry(_Strict):
    date: dt.date
    action: ExceptionAction
    to: dt.datetime | None = None

    @model_validator(mode="after")
    def _move_needs_to(self) -> ExceptionEntry:
        if self.action is ExceptionAction.MOVE and self.to is None:
            raise ValueError("a move needs 'to: \"YYYY-MM-DD HH:MM\"'")
        if self.action is ExceptionAction.SKIP and self.to is not None:
            raise ValueError("a skip takes no 'to'")
        if self.to is not None and self.to.tzinfo is not None:
            raise ValueError("'to' is a local time of the ward, without a time zone")
        return self

    def exception(self) -> CollectionException:
        return CollectionException(self.date, self.action, self.to)


class AlleyEntry(_Strict):
    code: Code
    name: Name
    location: tuple[Latitude, Longitude] | None = None
    collections: list[RuleEntry] = Field(default_factory=list)
    exceptions: list[ExceptionEntry] = Field(default_factory=list)

    @field_validator("exceptions")
    @classmethod
    def _one_per_date(cls, value: list[ExceptionEntry]) -> list[ExceptionEntry]:
        dates = [e.date for e in value]
        if len(dates) != len(set(dates)):
            raise ValueError("two exceptions for the same date")
        return value


class WardEntry(_Strict):
    code: Code
    name: Name
    timezone: str | None = None  # the ward's zone when it differs from URBANBELL_TIMEZONE
    holidays: HolidayPolicy = HolidayPolicy.SKIP
    alleys: list[AlleyEntry] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None and value not in available_timezones():
            raise ValueError(f"unknown time zone {value!r}")
        return value


class OfficerEntry(_Strict):
    ward: Code
    role: Role
    name: Name
    telegram_id: int | None = None
    zalo_id: str | None = None

    @model_validator(mode="after")
    def _reachable(self) -> OfficerEntry:
        if self.telegram_id is None and self.zalo_id is None:
            raise ValueError("an officer needs a telegram_id or a zalo_id")
        return self

    def identities(self) -> list[tuple[str, str]]:
        found = []
        if self.telegram_id is not None:
            found.append(("telegram", str(self.telegram_id)))
        if self.zalo_id is not None:
            found.append(("zalo", self.zalo_id))
        return found


class SeedFile(_Strict):
    wards: list[WardEntry] = Field(default_factory=list)
    officers: list[OfficerEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _codes_unique(self) -> SeedFile:
        ward_codes = [w.code for w in self.wards]
        _no_repeats("ward", ward_codes)
        _no_repeats("alley", [a.code for w in self.wards for a in w.alleys])
        for officer in self.officers:
            if officer.ward not in ward_codes:
                raise ValueError(
                    f"officer {officer.name!r}: no ward {officer.ward!r} in this file"
                )
        return self


class SeedError(Exception):
    """The seed file cannot be used; the message names the entry and field."""


@dataclass
class SeedSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    told: int = 0  # followers told that their alley's collection times changed

    def count(self, kind: str, created: bool, changed: bool) -> None:
        bucket = self.created if created else self.updated if changed else self.unchanged
        bucket[kind] = bucket.get(kind, 0) + 1


def parse_seed(data: object) -> SeedFile:
    """Check a loaded YAML document; raise `SeedError` naming the first entries at fault."""
    try:
        return SeedFile.model_validate(data)
    except ValidationError as error:
        raise SeedError(_describe(data, error)) from None


async def apply_seed(
    uow: UnitOfWork, seed: SeedFile, default_timezone: str, notice: Notice | None = None
) -> SeedSummary:
    """Create or update every entry by its code; what is already as written stays untouched.

    With `notice`, the followers of every alley whose collection times change are told.
    """
    summary = SeedSummary()
    changed_calendars: list[Alley] = []
    for entry in seed.wards:
        before = await uow.wards.by_code(entry.code)
        # A code in another letter case names the same ward (and alley): it keeps its code.
        ward, changed = await uow.wards.upsert(
            before.code if before else entry.code,
            entry.name,
            entry.timezone or default_timezone,
            entry.holidays,
        )
        summary.count("wards", before is None, changed)
        for alley_entry in entry.alleys:
            existing = await uow.alleys.by_code(alley_entry.code)
            calendar_before = await uow.alleys.schedule(existing) if existing else None
            alley, changed = await uow.alleys.upsert(
                ward,
                existing.code if existing else alley_entry.code,
                alley_entry.name,
                alley_entry.location,
                [r.rule() for r in alley_entry.collections],
                [e.exception() for e in alley_entry.exceptions],
            )
            summary.count("alleys", existing is None, changed)
            if calendar_before is not None and _calendar(calendar_before) != _calendar(
                await uow.alleys.schedule(alley)
            ):
                changed_calendars.append(alley)
    for officer in seed.officers:
        home = await uow.wards.by_code(officer.ward)
        assert home is not None  # the file's own wards were written above
        for channel, external_id in officer.identities():
            known = await uow.officers.of_person(channel, external_id)
            _, changed = await uow.officers.upsert(
                home, channel, external_id, officer.role, officer.name
            )
            summary.count("officers", not any(o.ward.id == home.id for o in known), changed)
    if notice is not None:
        for alley in changed_calendars:
            told = await tell_followers(uow, ScheduleChange(alley, None, None), notice)
            summary.told += told.told
    return summary


def _calendar(schedule: AlleySchedule) -> tuple[object, ...]:
    """What decides an alley's collections: its rules, exceptions and ward's holidays."""
    ward = schedule.alley.ward
    return (
        frozenset(schedule.rules),
        frozenset(schedule.exceptions),
        ward.holiday_policy,
        ward.timezone,
    )


def _no_repeats(kind: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValueError(f"{kind} code {code!r} appears twice")
        seen.add(code)


def _describe(data: object, error: ValidationError) -> str:
    lines = []
    for problem in error.errors()[:5]:
        lines.append(f"{_where(data, problem['loc'])}: {problem['msg']}")
    more = error.error_count() - len(lines)
    if more > 0:
        lines.append(f"... and {more} more")
    return "\n".join(lines)


def _where(data: object, loc: tuple[int | str, ...]) -> str:
    """A path like `wards[0] (ninh-kieu) → alleys[2] (nk-hem-51) → collections[0].time`."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            parts[-1] += f"[{key}]"
            node = node[key] if isinstance(node, list) and key < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("code"), str):
                parts[-1] += f" ({node['code']})"
            elif isinstance(node, dict) and isinstance(node.get("name"), str):
                parts[-1] += f" ({node['name']})"
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return " → ".join(parts) if parts else "file"
