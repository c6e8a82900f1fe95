"""Counts are worded with ngettext, so one of a thing reads right in English and Vietnamese."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.chat.i18n import Catalogues
from bot.features.bell.wording import CrowdedWording
from core.reminders import Crowded


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [
        ("en", "2 of the 1 bell due then", "2 of the 14 bells due then"),
        ("vi", "2 trong số 1 tin báo chuông", "2 trong số 14 tin báo chuông"),
    ],
)
def test_a_crowded_slot_names_its_bells_with_their_plural(
    language: str, one: str, many: str
) -> None:
    wording = CrowdedWording(Catalogues(), language)
    at = datetime(2026, 11, 30, 17, 45, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    texts = [str(wording(Crowded("telegram", at, count, 2)).payload["text"]) for count in (1, 14)]
    assert one in texts[0] and many in texts[1]
