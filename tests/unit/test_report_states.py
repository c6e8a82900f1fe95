"""The report's state machine: every move officers may make, and every one they may not."""

from __future__ import annotations

import itertools

import pytest

from core.reports import CLOSING, OPEN, ReportState, officer_may_move

S = ReportState
ALLOWED = {
    (S.NEW, S.ACKNOWLEDGED),
    (S.NEW, S.IN_PROGRESS),
    (S.NEW, S.RESOLVED),
    (S.NEW, S.REJECTED),
    (S.NEW, S.DUPLICATE),
    (S.ACKNOWLEDGED, S.IN_PROGRESS),
    (S.ACKNOWLEDGED, S.RESOLVED),
    (S.ACKNOWLEDGED, S.REJECTED),
    (S.ACKNOWLEDGED, S.DUPLICATE),
    (S.IN_PROGRESS, S.RESOLVED),
    (S.IN_PROGRESS, S.REJECTED),
    (S.IN_PROGRESS, S.DUPLICATE),
}


@pytest.mark.parametrize(("current", "to"), list(itertools.product(S, S)))
def test_officers_move_forward_only_from_open_states(current: S, to: S) -> None:
    assert officer_may_move(current, to) == ((current, to) in ALLOWED)


def test_open_and_closing_states_cover_every_state_once() -> None:
    assert set(S) == OPEN | CLOSING and not OPEN & CLOSING
