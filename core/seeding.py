"""The seed file: wards, alleys, collection times and officers, all checked before writing."""

from __future__ import annotations

import codecs
import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Literal
from zoneinfo import available_timezones

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from core.model import (
    WEEKDAYS,
    WEEKS_OF_MONTH,
    Alley,
    AlleySchedule,
    CollectionException,
    CollectionRule,
    ExceptionAction,
    HolidayPolicy,
    Role,
    SeededOfficer,
)
from core.ports import UnitOfWork
from core.schedule_changes import Notice, ScheduleChange, tell_followers

Code = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,48}$")]
# Telegram's user ids fit in 52 bits; a Zalo id is a string the officers' column holds.
TelegramId = Annotated[int, Field(gt=0, lt=2**52)]
ZaloId = Annotated[str, Field(min_length=1, max_length=64)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
ConsoleId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _hh_mm(value: object) -> object:
    if isinstance(value, int):  # YAML reads an unquoted 18:00 as sexagesimal 1080
        return f"{value // 60:02d}:{value % 60:02d}"
    return value


class RuleEntry(_Strict):
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "daily"]] = Field(
        min_length=1
    )
    time: dt.time
    until: dt.time | None = None  # the end of a time window; `time: "17:00-18:00"` says both
    every_weeks: int = Field(default=1, ge=1, le=52)
    starting: dt.date | None = Field(default=None, validate_default=True)
    of_month: Literal["first", "second", "third", "fourth", "last"] | None = Field(
        default=None, validate_default=True
    )
    kinds: list[Literal["general", "recyclable", "organic", "bulky"]] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _window(cls, value: object) -> object:
        """`time: "17:00-18:00"` (or with an en dash) is a window: its start and `until`."""
        if isinstance(value, dict) and isinstance(value.get("time"), str):
            start, dash, end = value["time"].replace("\N{EN DASH}", "-").partition("-")
            if dash:
                return {**value, "time": start.strip(), "until": end.strip()}
        return value

    @field_validator("time", "until", mode="before")
    @classmethod
    def _times(cls, value: object) -> object:
        return _hh_mm(value)

    @field_validator("until")
    @classmethod
    def _window_ends_later(cls, value: dt.time | None, info: ValidationInfo) -> dt.time | None:
        opens = info.data.get("time")
        if value is not None and opens is not None and value <= opens:
            raise ValueError(f"the time window must end after it opens at {opens:%H:%M}")
        return value

    @field_validator("starting")
    @classmethod
    def _counted_from(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        every = info.data.get("every_weeks", 1)
        if value is None and every > 1:
            raise ValueError(f"every_weeks: {every} needs the date of a collection week")
        return value

    @field_validator("of_month")
    @classmethod
    def _monthly_or_every(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("every_weeks", 1) > 1:
            raise ValueError("a rule is either monthly (of_month) or every_weeks, not both")
        return value

    @field_validator("kinds")
    @classmethod
    def _kinds_once(cls, value: list[str]) -> list[str]:
        if len(value) != len(set(value)):
            raise ValueError("a kind is named twice")
        return value

    def rule(self) -> CollectionRule:
        days = range(7) if "daily" in self.days else (WEEKDAYS.index(d) for d in self.days)
        return CollectionRule(
            frozenset(days),
            self.time,
            until=self.until,
            every_weeks=self.every_weeks,
            starting=self.starting,
            of_month=None if self.of_month is None else WEEKS_OF_MONTH[self.of_month],
            kinds=tuple(self.kinds),
        )


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
    ward_change: bool = False  # the alley may move here from the ward it belongs to

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
    evening_bell: dt.time | None = None  # when residents who ask are told of tomorrow's truck
    alleys: list[AlleyEntry] = Field(default_factory=list)

    @field_validator("evening_bell", mode="before")
    @classmethod
    def _evening_hh_mm(cls, value: object) -> object:
        return _hh_mm(value)

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
    telegram_id: TelegramId | None = None
    zalo_id: ZaloId | None = None
    # Who they are in `urbanbell console --user ID`, to work from the terminal.
    console_id: ConsoleId | None = None

    @model_validator(mode="after")
    def _reachable(self) -> OfficerEntry:
        if self.telegram_id is None and self.zalo_id is None and self.console_id is None:
            raise ValueError("an officer needs a telegram_id, a zalo_id or a console_id")
        return self

    def identities(self) -> list[tuple[str, str]]:
        found = []
        if self.telegram_id is not None:
            found.append(("telegram", str(self.telegram_id)))
        if self.zalo_id is not None:
            found.append(("zalo", self.zalo_id))
        if self.console_id is not None:
            found.append(("console", self.console_id))
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
    revoked: list[SeededOfficer] = field(default_factory=list)  # roles the file took away

    def count(self, kind: str, created: bool, changed: bool) -> None:
        bucket = self.created if created else self.updated if changed else self.unchanged
        bucket[kind] = bucket.get(kind, 0) + 1


class _Loader(yaml.SafeLoader):
    """YAML as written: dates and times stay text, for the schema to check and name."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_seed(raw: bytes) -> SeedFile:
    """Check a seed file's bytes: UTF-8 text, YAML, then the schema."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SeedError("file: the text is UTF-16; save it as UTF-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SeedError(
            f"line {line}: byte {raw[error.start]:#04x} is not UTF-8; save the file as UTF-8"
        ) from None
    try:
        document = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "file"
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise SeedError(f"{where}: {problem}") from None
    return parse_seed(document)


def parse_seed(data: object) -> SeedFile:
    """Check a loaded YAML document; raise `SeedError` naming the first entries at fault."""
    if data is None:
        raise SeedError("file: empty; it needs `wards:` and `officers:`")
    if not isinstance(data, dict):
        raise SeedError(f"file: expected `wards:` and `officers:`, found a {type(data).__name__}")
    try:
        return SeedFile.model_validate(data)
    except ValidationError as error:
        raise SeedError(_describe(data, error)) from None


async def apply_seed(
    uow: UnitOfWork,
    seed: SeedFile,
    default_timezone: str,
    notice: Notice | None = None,
    keep_officers: bool = False,
) -> SeedSummary:
    """Create or update every entry by its code; what is already as written stays untouched.

    The file is the truth for access: in its wards, officers it does not list lose their roles
    (unless `keep_officers`). An alley moves to another ward only with `ward_change: true`.
    With `notice`, the followers of every alley whose collection times change are told.
    """
    await _check_ward_changes(uow, seed)
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
            entry.evening_bell,
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
        # One person, however many platforms they are known on.
        created, changed = True, False
        for channel, external_id in officer.identities():
            known = await uow.officers.of_person(channel, external_id)
            _, changed_here = await uow.officers.upsert(
                home, channel, external_id, officer.role, officer.name
            )
            created = created and not any(o.ward.id == home.id for o in known)
            changed = changed or changed_here
        summary.count("officers", created, changed)
    if not keep_officers:
        summary.revoked = await _revoke_unlisted(uow, seed)
    if notice is not None:
        for alley in changed_calendars:
            told = await tell_followers(uow, ScheduleChange(alley, None, None), notice)
            summary.told += told.told
    return summary


async def _check_ward_changes(uow: UnitOfWork, seed: SeedFile) -> None:
    """Refuse, before anything is written, to move alleys between wards unless asked to."""
    problems = []
    for w, ward in enumerate(seed.wards):
        for a, entry in enumerate(ward.alleys):
            existing = await uow.alleys.by_code(entry.code)
            if (
                existing is not None
                and existing.ward.code.casefold() != ward.code.casefold()
                and not entry.ward_change
            ):
                problems.append(
                    f"wards[{w}] ({ward.code}) → alleys[{a}] ({entry.code}) → ward_change: the "
                    f"alley belongs to {existing.ward.code}; write ward_change: true on it to "
                    f"move it to {ward.code}"
                )
    if problems:
        raise SeedError("\n".join(problems))


async def _revoke_unlisted(uow: UnitOfWork, seed: SeedFile) -> list[SeededOfficer]:
    """Take away the roles, in the file's wards, of everyone the file does not list."""
    listed = {
        (officer.ward, channel, external_id)
        for officer in seed.officers
        for channel, external_id in officer.identities()
    }
    wards = [await uow.wards.by_code(entry.code) for entry in seed.wards]
    holders = await uow.officers.of_wards([w.id for w in wards if w is not None])
    gone = [h for h in holders if (h.officer.ward.code, h.channel, h.external_id) not in listed]
    if gone:
        await uow.officers.revoke([h.officer.id for h in gone])
    return gone


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
        # Our own validators' messages read as sentences: pydantic's "Value error, " goes.
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"{_where(data, problem['loc'])}: {message}")
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
