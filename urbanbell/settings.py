"""Settings from the environment and `.env`, prefix `URBANBELL_`."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings import SettingsError as SourceError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from core.holidays import VietnamHolidays
from core.model import LEAD_TIMES, WEEKDAYS
from core.reports import Category, ReportPolicy, Targets
from core.working_time import WorkingHours, day_hours, parse_periods
from locales import LANGUAGES

PREFIX = "URBANBELL_"
# Telegram's rule for usernames; a bot's must end in "bot".
# What both platforms accept as a webhook's secret token.
SECRET = re.compile(r"[A-Za-z0-9_-]{8,256}")
BOT_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{1,28}[Bb][Oo][Tt]")


class CategoryTargets(BaseModel):
    """A category's own targets; what is left out follows the general ones."""

    model_config = ConfigDict(extra="forbid")

    acknowledge_hours: float | None = Field(default=None, gt=0)
    resolve_days: float | None = Field(default=None, gt=0)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=PREFIX, env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = "sqlite+aiosqlite:///./urbanbell.db"
    telegram_token: SecretStr | None = None
    telegram_bot_username: str | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    zalo_token: SecretStr | None = None
    zalo_api_url: str = "https://bot-api.zaloplatforms.com/bot"
    zalo_webhook_url: str | None = None
    timezone: str = "Asia/Ho_Chi_Minh"
    default_locale: str = "vi"
    # How long before a group's bell its reminder goes out: one of the times residents choose.
    reminder_lead_minutes: int = 15
    # `json` writes each log line as a JSON object, for a machine to read.
    log_format: Literal["text", "json"] = "text"
    # The web server: health, metrics, calendar feeds and the webhooks; a webhook needs it.
    http_enabled: bool = True
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=1, le=65535)
    # Calendar feeds one client may fetch a minute (a phone refreshes a few times a day).
    calendar_per_minute: int = Field(default=30, ge=1)
    # Telegram's limits; the dispatcher keeps under them.
    telegram_per_second: float = Field(default=30, gt=0, allow_inf_nan=False)
    telegram_per_chat_per_second: float = Field(default=1, gt=0, allow_inf_nan=False)
    telegram_per_group_per_minute: float = Field(default=20, gt=0, allow_inf_nan=False)
    # Telegram's paid broadcast: up to 1000 messages a second, 0.1 Star each, for every message.
    telegram_paid_broadcast: bool = False
    telegram_paid_per_second: float = Field(default=1000, gt=0, le=1000)
    # Zalo publishes no limits: a cautious pace until the platform says more.
    zalo_per_second: float = Field(default=5, gt=0, allow_inf_nan=False)
    zalo_per_chat_per_second: float = Field(default=1, gt=0, allow_inf_nan=False)
    # Days an ended outbox message (sent, failed, expired) is kept before the nightly purge.
    keep_outbox_days: int = Field(default=30, ge=1)
    # How long a dispatcher may hold a message before another may take it back.
    outbox_lease_seconds: int = Field(default=30, ge=1)
    # Reports: how many a resident may file in an hour, and the ward's targets, counted in
    # working time (public holidays are never working days).
    report_per_hour: int = Field(default=5, ge=1)
    report_acknowledge_hours: float = Field(default=8, gt=0)
    report_resolve_days: float = Field(default=3, gt=0)
    # Per category, e.g. {"lighting": {"acknowledge_hours": 4, "resolve_days": 5}}.
    # Read as JSON by the validator below, so a broken value is named like any other.
    report_targets: Annotated[dict[Category, CategoryTargets], NoDecode] = Field(
        default_factory=dict
    )
    working_hours: str = "07:30-11:30,13:30-17:30"
    working_days: str = "mon,tue,wed,thu,fri"
    # At start-up an unreachable database or Bot API is tried this many times, waiting
    # `startup_wait_seconds` after the first failure and twice as long after each next one.
    startup_tries: int = Field(default=6, ge=1, le=100)
    startup_wait_seconds: float = Field(default=2, gt=0, le=600, allow_inf_nan=False)

    @property
    def telegram_rate(self) -> float:
        """Messages a second the bot may send on Telegram, all chats together."""
        if self.telegram_paid_broadcast:
            return self.telegram_paid_per_second
        return self.telegram_per_second

    def secrets(self) -> tuple[str, ...]:
        """Every value set here that the logs must never show."""
        found = [self.telegram_token, self.zalo_token, self.webhook_secret]
        password = make_url(self.database_url).password
        return tuple(s.get_secret_value() for s in found if s is not None) + (
            (str(password),) if password else ()
        )

    @field_validator("database_url")
    @classmethod
    def _async_database(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("not a database URL") from None
        if url.drivername not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
            raise ValueError("use sqlite+aiosqlite://… or postgresql+asyncpg://…")
        return value

    @field_validator("reminder_lead_minutes")
    @classmethod
    def _lead_time(cls, value: int) -> int:
        if value not in LEAD_TIMES:
            raise ValueError(f"must be one of {', '.join(map(str, LEAD_TIMES))} (minutes)")
        return value

    @field_validator("report_targets", mode="before")
    @classmethod
    def _json_targets(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except json.JSONDecodeError as error:
            raise ValueError(
                f"not valid JSON ({error.msg} at character {error.pos}); write it like "
                '{"lighting": {"acknowledge_hours": 4, "resolve_days": 5}}'
            ) from None

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None  # empty is the same as not set
        if not SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("use 8 to 256 of A-Z a-z 0-9 _ -")
        return value

    @field_validator("working_hours")
    @classmethod
    def _periods(cls, value: str) -> str:
        try:
            parse_periods(value)
        except ValueError as error:
            raise ValueError(f"{error}; write it like 07:30-11:30,13:30-17:30") from None
        return value

    @field_validator("working_days")
    @classmethod
    def _weekdays(cls, value: str) -> str:
        days = [day.strip().lower() for day in value.split(",") if day.strip()]
        if not days or any(day not in WEEKDAYS for day in days):
            raise ValueError("list days of the week like mon,tue,wed,thu,fri")
        return value

    def report_policy(self) -> ReportPolicy:
        day = day_hours(parse_periods(self.working_hours))  # a working day, in hours
        return ReportPolicy(
            Targets(self.report_acknowledge_hours, self.report_resolve_days * day),
            {
                category: Targets(
                    targets.acknowledge_hours or self.report_acknowledge_hours,
                    (targets.resolve_days or self.report_resolve_days) * day,
                )
                for category, targets in self.report_targets.items()
            },
            per_hour=self.report_per_hour,
        )

    def working_time(self, holidays: VietnamHolidays) -> WorkingHours:
        weekdays = frozenset(
            WEEKDAYS.index(day.strip().lower())
            for day in self.working_days.split(",")
            if day.strip()
        )
        return WorkingHours(parse_periods(self.working_hours), weekdays, holidays)

    @field_validator("telegram_bot_username")
    @classmethod
    def _bot_username(cls, value: str | None) -> str | None:
        return bot_username(value) if value and value.strip() else None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("default_locale")
    @classmethod
    def _supported_locale(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
        return value


def bot_username(value: str) -> str:
    """A Telegram bot's username without its "@", as deep links need it."""
    name = value.strip().removeprefix("@")
    if not BOT_USERNAME.fullmatch(name):
        raise ValueError("not a Telegram bot username (5 to 32 of A-Z a-z 0-9 _, ending in bot)")
    return name


class SettingsError(Exception):
    """A setting is missing or wrong; the message is one line naming the variable."""


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        problem = error.errors()[0]
        field, *inside = problem["loc"] or ("*",)
        name = PREFIX + str(field).upper()
        message = str(problem["msg"]).removeprefix("Value error, ")
        where = ".".join(str(part) for part in inside if part != "[key]")
        raise SettingsError(f"setting {name}: {where + ': ' if where else ''}{message}") from None
    except SourceError as error:  # e.g. an unreadable .env file
        raise SettingsError(f"settings: {error}") from None
