"""The share of a city's bells that land inside their window, beside firing each at its due time.

A simulated day, no network: 100,000 subscribers on 2,000 alleys whose trucks come between
17:00 and 19:00 (5-minute marks clustered around 18:00), a lead of 15 minutes, one channel
that carries 30 messages a second. `reminders_between` and `plan` time the bells; a simulated
dispatcher then sends at exactly the rate, in deadline order, never before a bell's planned
start (one server, a message every 1/30 s, the earliest deadline among the released first,
those already past their deadline after those still on time, as the dispatcher claims them,
nothing sent once its collection has passed). A bell is on time when it is sent inside
`[due - 10 min, due + 1 min]`. The baseline starts every bell at its due time and goes through
the same simulated server. "Best possible" is the most bells any schedule could land on time
at this rate (earliest deadline first from each window's opening, giving up on the hopeless:
optimal for messages of equal length); the slots that `crowded` reports are printed with their
numbers, and any miss outside them is counted. The server's clock is exact (fractions of a
microsecond), so it keeps exactly to the rate whatever rounding the plan made.

    .venv/bin/python -m benchmarks.bell_city_scale [--subscribers 100000] [--alleys 2000]
        [--wards 5] [--spread 20] [--rate 30] [--lead 15] [--day 2026-12-01] [--seed 1]
"""

from __future__ import annotations

import argparse
import enum
import heapq
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from fractions import Fraction
from zoneinfo import ZoneInfo

from benchmarks.city import ZONE, add_city_options, make_city, schedules_and_followers
from core.holidays import VietnamHolidays
from core.reminders import Crowded, Planned, crowded, plan, reminders_between

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def micros(moment: datetime) -> int:
    return (moment - EPOCH) // MICROSECOND


@dataclass(frozen=True)
class Job:
    """One bell as the simulated server sees it, in whole microseconds."""

    release: int  # not sent before this
    opens: int  # its window
    deadline: int
    expires: int  # the collection: never sent from then on


class Landing(enum.Enum):
    ON_TIME = "on time"
    EARLY = "early"
    LATE = "late"
    UNSENT = "never sent"


def serve(
    jobs: Sequence[Job], per_second: Fraction, give_up_when_late: bool = False
) -> list[Fraction | None]:
    """When a single server sending one message every `1/per_second` s sends each job, taking
    the earliest deadline among the released ones still on time, and those already past their
    deadline only after them, as the dispatcher's claim orders the outbox; None for a job it
    never sends."""
    service = Fraction(1_000_000) / per_second
    order = sorted(range(len(jobs)), key=lambda j: jobs[j].release)
    sent: list[Fraction | None] = [None] * len(jobs)
    ready: list[tuple[int, int]] = []
    late: list[tuple[int, int]] = []
    clock = Fraction(0)
    position = 0
    while position < len(order) or ready or late:
        if not ready and not late and clock < jobs[order[position]].release:
            clock = Fraction(jobs[order[position]].release)
        while position < len(order) and jobs[order[position]].release <= clock:
            job = order[position]
            heapq.heappush(ready, (jobs[job].deadline, job))
            position += 1
        while ready and ready[0][0] < clock:
            heapq.heappush(late, heapq.heappop(ready))
        deadline, job = heapq.heappop(ready) if ready else heapq.heappop(late)
        if clock >= jobs[job].expires or (give_up_when_late and clock > deadline):
            continue  # not sent, and it takes no sending slot
        sent[job] = clock
        clock += service
    return sent


def landing(job: Job, sent: Fraction | None) -> Landing:
    if sent is None:
        return Landing.UNSENT
    if sent < job.opens:
        return Landing.EARLY
    return Landing.LATE if sent > job.deadline else Landing.ON_TIME


def job_of(item: Planned, release: datetime) -> Job:
    opens, deadline = item.reminder.window
    return Job(
        micros(release), micros(opens), micros(deadline), micros(item.reminder.collection.at)
    )


def describe(counts: Counter[Landing], total: int) -> str:
    share = 100 * counts[Landing.ON_TIME] / total
    misses = ", ".join(f"{kind.value} {counts[kind]:,}" for kind in list(Landing)[1:])
    return f"{share:8.3f} % on time  ({misses})"


def print_crowded(slots: Sequence[Crowded], zone: ZoneInfo, limit: int = 40) -> None:
    if not slots:
        print("crowded slots reported by crowded(): none")
        return
    late = sum(s.late for s in slots)
    print(f"crowded slots reported by crowded(): {len(slots)}, with {late:,} bells that cannot")
    print("land on time at this rate (due minute, ward time: bells due, of which cannot):")
    for slot in slots[:limit]:
        minute = slot.minute.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        print(f"  {slot.channel} {minute}: {slot.reminders:6,} due, {slot.late:6,} cannot")
    if len(slots) > limit:
        print(f"  ... and {len(slots) - limit} more")


def main(options: argparse.Namespace) -> None:
    zone = ZoneInfo(ZONE)
    per_second = Fraction(str(options.rate))
    city = make_city(
        options.subscribers, options.alleys, options.wards, options.spread, options.seed
    )
    schedules, followers = schedules_and_followers(city, options.lead)
    now = datetime.combine(options.day, dtime(6, 0), zone)

    started = time.perf_counter()
    reminders = reminders_between(
        schedules, followers, now, now + timedelta(hours=24), VietnamHolidays()
    )
    planned = plan(reminders, float(per_second), now)
    slots = crowded(planned)
    planning = time.perf_counter() - started

    naive_jobs = [job_of(p, p.reminder.due) for p in planned]
    planned_jobs = [job_of(p, p.start) for p in planned]
    best_jobs = [job_of(p, p.reminder.window[0]) for p in planned]
    naive = [landing(j, s) for j, s in zip(naive_jobs, serve(naive_jobs, per_second), strict=True)]
    planned_sent = serve(planned_jobs, per_second)
    timed = [landing(j, s) for j, s in zip(planned_jobs, planned_sent, strict=True)]
    best = Counter(
        landing(j, s)
        for j, s in zip(
            best_jobs, serve(best_jobs, per_second, give_up_when_late=True), strict=True
        )
    )
    total = len(planned)

    by_slot = Counter(p.reminder.collection.at for p in planned)
    busiest, busiest_count = by_slot.most_common(1)[0]
    hopeful = [t for t, p in zip(timed, planned, strict=True) if p.on_time]
    marked = total - len(hopeful)
    reported = {(s.channel, s.minute) for s in slots}
    unreported = sum(
        1
        for t, p in zip(timed, planned, strict=True)
        if t is not Landing.ON_TIME
        and (p.reminder.follower.channel, p.reminder.due.replace(second=0, microsecond=0))
        not in reported
    )
    worst_late = max(
        (
            s - j.deadline
            for s, j, p in zip(planned_sent, planned_jobs, planned, strict=True)
            if s is not None and s > j.deadline and p.on_time
        ),
        default=Fraction(0),
    )
    earliest_early = max(
        (j.opens - s for s, j in zip(planned_sent, planned_jobs, strict=True) if s is not None),
        default=Fraction(0),
    )
    earliest_early = max(earliest_early, Fraction(0))

    print(
        f"city: {city.subscribers:,} subscribers on {city.alleys:,} alleys in {city.wards} "
        f"wards, collections {options.day} 17:00-19:00 on 5-minute marks"
    )
    print(
        f"      (normal around 18:00, sd {options.spread:g} min, seed {options.seed}); "
        f"lead {options.lead} min; one channel at {options.rate:g} messages/s"
    )
    print(
        f"bells: {total:,}; busiest slot {busiest.astimezone(zone):%H:%M}: {busiest_count:,} "
        f"bells, {float(busiest_count / per_second) / 60:.1f} min of sending for an 11-min window"
    )
    print(f"reminders_between + plan + crowded: {planning:.2f} s")
    print(f"best possible at this rate:              {describe(best, total)}")
    print(f"naive, each starts at its due (baseline): {describe(Counter(naive), total)}")
    print(f"planned with plan():                     {describe(Counter(timed), total)}")
    naive_share = Counter(naive)[Landing.ON_TIME] / total
    timed_share = Counter(timed)[Landing.ON_TIME] / total
    print(f"ratio planned / naive: {timed_share / naive_share:.2f}")
    print(
        f"plan marked {marked:,} bells as unable to land on time; a best schedule misses "
        f"{total - best[Landing.ON_TIME]:,}"
    )
    hopeful_share = 100 * sum(t is Landing.ON_TIME for t in hopeful) / max(1, len(hopeful))
    print(
        f"on time among the {len(hopeful):,} bells plan marked on time: {hopeful_share:.3f} % "
        f"(goal >= 99.9 %); latest of them by {float(worst_late) / 1000:.3f} ms"
    )
    print(f"misses in slots crowded() did not report: {unreported:,} (goal 0)")
    if earliest_early:
        print(
            f"sent before their window opened: {Counter(timed)[Landing.EARLY]:,}, the earliest "
            f"{float(earliest_early) / 60e6:.1f} min before it"
        )
    print_crowded(slots, zone)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_city_options(parser)
    parser.add_argument("--rate", type=float, default=30.0, help="messages a second")
    main(parser.parse_args())
