"""The words officers type for states and filters: English, or Vietnamese with or without
accents, one word or a few ("tiếp nhận", "đang xử lý", "quá hạn")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from bot.features.reports.filing import CATEGORY_WORDS
from core import search
from core.reports import OPEN, Category, ReportState

T = TypeVar("T")
LONGEST = 3  # words in the longest phrase below

STATE_WORDS: dict[str, ReportState] = {
    **{state.value.replace("_", ""): state for state in ReportState},
    "moi": ReportState.NEW,
    "tiepnhan": ReportState.ACKNOWLEDGED,
    "datiepnhan": ReportState.ACKNOWLEDGED,
    "dangxuly": ReportState.IN_PROGRESS,
    "daxuly": ReportState.RESOLVED,
    "tuchoi": ReportState.REJECTED,
    "trung": ReportState.DUPLICATE,
    "trunglap": ReportState.DUPLICATE,
}
OVERDUE, MINE = "overdue", "mine"
# What /inbox takes besides an alley code: open states, categories, overdue and mine.
FILTER_WORDS: dict[str, ReportState | Category | str] = {
    **{word: state for word, state in STATE_WORDS.items() if state in OPEN},
    **CATEGORY_WORDS,
    "overdue": OVERDUE,
    "quahan": OVERDUE,
    "mine": MINE,
    "cuatoi": MINE,
}


def leading(words: Sequence[str], table: Mapping[str, T]) -> tuple[T, int] | None:
    """The longest phrase of `table` that `words` begin with, and how many words it took."""
    for count in range(min(LONGEST, len(words)), 0, -1):
        key = "".join(search.fold(" ".join(words[:count])).split())
        if key in table:
            return table[key], count
    return None
