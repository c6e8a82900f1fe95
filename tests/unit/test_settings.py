"""Settings that would break the bot later are refused at start-up, naming the variable."""

from __future__ import annotations

import pytest

from urbanbell.settings import SettingsError, load_settings


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
    ],
)
def test_a_bad_value_is_named(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=f"setting {variable}:"):
        load_settings()
