"""Settings that would break the bot later are refused at start-up, naming the variable."""

from __future__ import annotations

import pytest

from core.model import LEAD_TIMES
from urbanbell.app import check_channels
from urbanbell.settings import SettingsError, load_settings
from urbanbell.startup import ServiceError


def test_an_empty_webhook_secret_is_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("URBANBELL_WEBHOOK_SECRET", "")
    assert load_settings().webhook_secret is None


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("URBANBELL_WEBHOOK_SECRET", "short"),
        ("URBANBELL_WEBHOOK_SECRET", "has spaces in it"),
        ("URBANBELL_ZALO_PER_SECOND", "inf"),
        ("URBANBELL_TELEGRAM_PER_SECOND", "nan"),
        ("URBANBELL_REMINDER_LEAD_MINUTES", "7"),
        ("URBANBELL_REPORT_TARGETS", "{bad"),
        ("URBANBELL_REPORT_TARGETS", '{"parking": {"resolve_days": 2}}'),
        ("URBANBELL_STARTUP_WAIT_SECONDS", "-1"),
    ],
)
def test_a_bad_value_is_named(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=f"setting {variable}:"):
        load_settings()


def test_report_targets_are_read_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("URBANBELL_REPORT_TARGETS", '{"lighting": {"acknowledge_hours": 4}}')
    targets = load_settings().report_targets
    assert [(str(category), t.acknowledge_hours) for category, t in targets.items()] == [
        ("lighting", 4)
    ]


def test_every_lead_time_residents_may_choose_is_a_valid_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for minutes in LEAD_TIMES:
        monkeypatch.setenv("URBANBELL_REMINDER_LEAD_MINUTES", str(minutes))
        assert load_settings().reminder_lead_minutes == minutes


def channels_set(monkeypatch: pytest.MonkeyPatch, **variables: str) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(f"URBANBELL_{name}", value)
    check_channels(load_settings())


def test_without_a_channel_the_bot_says_what_turns_one_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ServiceError, match=r"URBANBELL_TELEGRAM_TOKEN .* or URBANBELL_ZALO_TOKEN"):
        channels_set(monkeypatch)


def test_a_webhook_needs_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ServiceError, match=r"URBANBELL_WEBHOOK_SECRET: required with .*ZALO"):
        channels_set(monkeypatch, ZALO_TOKEN="1:z", ZALO_WEBHOOK_URL="https://ward.vn/zalo")


def test_two_webhooks_on_one_path_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    both = {"TELEGRAM_TOKEN": "1:t", "ZALO_TOKEN": "1:z", "WEBHOOK_SECRET": "secret-of-ward"}
    with pytest.raises(ServiceError, match="URBANBELL_ZALO_WEBHOOK_URL: its path must differ"):
        channels_set(
            monkeypatch,
            **both,
            TELEGRAM_WEBHOOK_URL="https://ward.vn/hook",
            ZALO_WEBHOOK_URL="https://ward.vn/hook",
        )
    # Without a path each is served on its channel's own.
    channels_set(
        monkeypatch,
        **both,
        TELEGRAM_WEBHOOK_URL="https://ward.vn",
        ZALO_WEBHOOK_URL="https://bot.ward.vn",
    )


def test_the_web_server_listens_on_127_0_0_1_8080_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = load_settings()
    assert (settings.http_enabled, settings.http_host, settings.http_port) == (
        True,
        "127.0.0.1",
        8080,
    )
    monkeypatch.setenv("URBANBELL_HTTP_ENABLED", "false")
    assert load_settings().http_enabled is False


def test_a_webhook_with_the_web_server_turned_off_is_refused_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("URBANBELL_TELEGRAM_TOKEN", "123:abc")
    monkeypatch.setenv("URBANBELL_TELEGRAM_WEBHOOK_URL", "https://bot.example.org/telegram")
    monkeypatch.setenv("URBANBELL_WEBHOOK_SECRET", "right-secret")
    monkeypatch.setenv("URBANBELL_HTTP_ENABLED", "false")
    with pytest.raises(ServiceError, match="URBANBELL_HTTP_ENABLED"):
        check_channels(load_settings())
