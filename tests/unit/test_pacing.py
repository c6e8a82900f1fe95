"""The pacer keeps to a platform's limits, on a fake clock."""

from __future__ import annotations

import asyncio
import itertools

from scheduler.pacing import Pace, Pacer


class FakeTime:
    """Monotonic time that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def pacer(pace: Pace) -> tuple[Pacer, FakeTime]:
    time = FakeTime()
    return Pacer(pace, time.monotonic, time.sleep), time


async def test_no_second_holds_more_messages_than_the_overall_rate() -> None:
    paced, time = pacer(Pace(per_second=30))
    moments = []
    for chat in range(90):
        await paced.acquire(str(chat))
        moments.append(time.now)
    for index, moment in enumerate(moments):
        within_a_second = [m for m in moments[index:] if m < moment + 1]
        assert len(within_a_second) <= 30
    assert all(b - a >= 1 / 60 - 1e-9 for a, b in itertools.pairwise(moments))
    assert moments[-1] < 3.0  # 90 messages still take about three seconds


async def test_a_sender_held_up_catches_up_within_the_window() -> None:
    paced, time = pacer(Pace(per_second=30))
    await paced.acquire("1")
    time.now += 0.5  # the loop was busy for half a second
    for chat in range(2, 16):
        await paced.acquire(str(chat))
    assert time.now < 0.5 + 14 / 30  # faster than one slot each: the lost time is made up


async def test_a_slow_first_send_counts_from_when_it_ended() -> None:
    """Were the platform to receive the first message late, the 31st must not join its second."""
    paced, time = pacer(Pace(per_second=30))
    first = await paced.acquire("0")
    time.now = 0.15  # connecting took a while: the platform saw the first message only now
    paced.sent(first)
    for chat in range(1, 31):
        slot = await paced.acquire(str(chat))
        paced.sent(slot)
    assert time.now >= 0.15 + 1  # the 31st: a second after the first arrived


async def test_a_chats_next_message_waits_a_second_after_the_last_one_ended() -> None:
    paced, time = pacer(Pace(per_second=30, per_chat_per_second=1))
    slot = await paced.acquire("7")
    time.now = 0.4
    paced.sent(slot)
    await paced.acquire("7")
    assert abs(time.now - 1.4) < 1e-9  # a second from its end: it cannot arrive later


async def test_one_private_chat_gets_at_most_one_message_a_second() -> None:
    paced, time = pacer(Pace(per_second=30, per_chat_per_second=1))
    moments = []
    for _ in range(3):
        await paced.acquire("7")
        moments.append(time.now)
    assert moments == [0.0, 1.025, 2.05]  # a second and a margin for the network's jitter


async def test_a_group_gets_at_most_twenty_messages_a_minute() -> None:
    paced, time = pacer(Pace(per_chat_per_second=1, per_group_per_minute=20))
    await paced.acquire("-100", group=True)
    await paced.acquire("-100", group=True)
    assert time.now == 3.025


async def test_other_chats_are_not_held_up_by_a_busy_one() -> None:
    paced, time = pacer(Pace(per_chat_per_second=1))
    await paced.acquire("1")
    await paced.acquire("2")
    await paced.acquire("3")
    assert time.now == 0.0


async def test_a_pause_holds_every_chat_until_it_ends() -> None:
    paced, time = pacer(Pace(per_second=30))
    paced.pause(5)
    assert paced.paused_for == 5
    await paced.acquire("1")
    assert time.now == 5.0
    assert paced.paused_for == 0


async def test_no_limits_means_no_waiting() -> None:
    paced, time = pacer(Pace())
    for _ in range(100):
        await paced.acquire("1")
    assert time.now == 0.0
