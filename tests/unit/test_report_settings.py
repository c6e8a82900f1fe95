"""The report settings: targets per category in working time, and bad values named."""

from __future__ import annotations

import pytest

from core.reports import Category
from urbanbell.settings import SettingsError, load_settings


def test_category_targets_follow_the_general_ones_where_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("URBANBELL_REPORT_TARGETS", '{"lighting": {"resolve_days": 5}}')
    policy = load_settings().report_policy()
    assert policy.targets_for(Category.LITTER).resolve_hours == 24  # 3 days of 8 hours
    lighting = policy.targets_for(Category.LIGHTING)
    assert (lighting.acknowledge_hours, lighting.resolve_hours) == (8, 40)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("URBANBELL_REPORT_TARGETS", '{"lamps": {}}'),
        ("URBANBELL_REPORT_PER_HOUR", "0"),
        ("URBANBELL_WORKING_HOURS", "17:00-08:00"),
        ("URBANBELL_WORKING_DAYS", "monday"),
    ],
)
def test_a_bad_value_is_named(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=f"setting {variable}:"):
        load_settings()
