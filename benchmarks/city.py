"""A city for the bell's benchmarks: alleys whose trucks come between 17:00 and 19:00, and the
residents who follow them, drawn from a seeded generator so every run sees the same city."""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from datetime import date, time

from core.model import Alley, AlleySchedule, CollectionRule, HolidayPolicy, Ward
from core.reminders import Follower

ZONE = "Asia/Ho_Chi_Minh"
EVERY_DAY = frozenset(range(7))
FIRST, PEAK, LAST = 17 * 60, 18 * 60, 19 * 60  # minutes of the day
MARK = 5  # collection times fall on 5-minute marks


@dataclass(frozen=True)
class City:
    wards: int
    alley_ward: list[int]  # alley number -> ward number
    alley_time: list[time]  # alley number -> its daily collection time
    follows: list[int]  # subscriber number -> the alley number it follows

    @property
    def alleys(self) -> int:
        return len(self.alley_time)

    @property
    def subscribers(self) -> int:
        return len(self.follows)


def make_city(subscribers: int, alleys: int, wards: int, spread_minutes: float, seed: int) -> City:
    """Every alley is collected daily at a 5-minute mark drawn from a normal distribution
    around 18:00 (standard deviation `spread_minutes`, redrawn outside 17:00-19:00); every
    subscriber follows one alley chosen uniformly."""
    rng = random.Random(seed)
    times = []
    for _ in range(alleys):
        while True:
            minute = MARK * round(rng.gauss(PEAK, spread_minutes) / MARK)
            if FIRST <= minute <= LAST:
                break
        times.append(time(minute // 60, minute % 60))
    return City(
        wards=wards,
        alley_ward=[number % wards for number in range(alleys)],
        alley_time=times,
        follows=[rng.randrange(alleys) for _ in range(subscribers)],
    )


def ward_code(number: int) -> str:
    return f"ward-{number + 1}"


def alley_code(number: int) -> str:
    return f"hem-{number + 1}"


def chat_id(subscriber: int) -> str:
    return str(10_000_000 + subscriber)


def schedules_and_followers(
    city: City, lead_minutes: int, channel: str = "telegram"
) -> tuple[dict[int, AlleySchedule], list[Follower]]:
    """The city as the bell sees it, in memory; alley and subscription ids count from 1."""
    wards = [
        Ward(n + 1, ward_code(n), f"Phường {n + 1}", ZONE, HolidayPolicy.SKIP)
        for n in range(city.wards)
    ]
    schedules = {
        n + 1: AlleySchedule(
            Alley(n + 1, alley_code(n), f"Hẻm {n + 1}", wards[city.alley_ward[n]]),
            (CollectionRule(EVERY_DAY, at),),
            (),
        )
        for n, at in enumerate(city.alley_time)
    }
    followers = [
        Follower(s + 1, s + 1, alley + 1, channel, chat_id(s), lead_minutes, "vi", None)
        for s, alley in enumerate(city.follows)
    ]
    return schedules, followers


def add_city_options(parser: argparse.ArgumentParser) -> None:
    """The options that shape the city, the same in every benchmark that draws one."""
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--alleys", type=int, default=2_000)
    parser.add_argument("--wards", type=int, default=5)
    parser.add_argument("--spread", type=float, default=20.0, help="minutes around 18:00")
    parser.add_argument("--lead", type=int, default=15, help="minutes")
    parser.add_argument("--day", type=date.fromisoformat, default=date(2026, 12, 1))
    parser.add_argument("--seed", type=int, default=1)
