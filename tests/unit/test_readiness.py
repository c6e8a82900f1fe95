"""An instance whose platform has not answered for three minutes is not ready."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.support import FixedClock
from urbanbell.readiness import Reachability


class Platform:
    """A channel whose platform answers until told otherwise."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.down = False

    async def reach(self) -> None:
        if self.down:
            raise ConnectionError("no route to host")


async def test_a_platform_silent_for_three_minutes_makes_the_instance_unready() -> None:
    clock = FixedClock(datetime(2026, 12, 5, 1, 0, tzinfo=UTC))
    telegram, zalo = Platform("telegram"), Platform("zalo")
    reachability = Reachability(clock)
    assert reachability.problems(["telegram"]) == ["telegram: not reached yet"]

    await reachability.check(telegram)
    await reachability.check(zalo)
    telegram.down = True
    for _ in range(4):
        clock.move(timedelta(minutes=1))
        await reachability.check(telegram)
        await reachability.check(zalo)
    assert reachability.problems(["telegram", "zalo"]) == [
        "telegram: no answer from the platform for 240 s"
    ]

    telegram.down = False
    await reachability.check(telegram)
    assert reachability.problems(["telegram", "zalo"]) == []


async def test_a_short_outage_does_not_make_the_instance_unready() -> None:
    clock = FixedClock(datetime(2026, 12, 5, 1, 0, tzinfo=UTC))
    telegram = Platform("telegram")
    reachability = Reachability(clock)
    await reachability.check(telegram)
    telegram.down = True
    clock.move(timedelta(minutes=2))
    await reachability.check(telegram)
    assert reachability.problems(["telegram"]) == []
