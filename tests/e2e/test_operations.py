"""What an operator and a load balancer ask of the real `urbanbell run`: health, readiness,
metrics."""

from __future__ import annotations

import asyncio
import json
import signal
import socket

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.conftest import LAN, urbanbell
from tests.e2e.outage import postgres_behind_a_proxy
from tests.fakes.telegram import FakeTelegram
from urbanbell.cli import DEMO_SEED


async def answered(url: str) -> httpx.Response:
    """The first answer of the web server at `url`, once it listens (within a minute)."""
    async with httpx.AsyncClient(timeout=10) as client:
        for _ in range(240):
            try:
                return await client.get(url)
            except httpx.TransportError:
                await asyncio.sleep(0.25)
    raise AssertionError(f"nothing listens at {url}")


async def stop(process: asyncio.subprocess.Process) -> str:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    return stderr.decode()


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Each sample of a scrape by its name and labels, as Prometheus would read it."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_run_serves_health_readiness_and_metrics_that_prometheus_can_parse(
    fake: FakeTelegram, bot_env: dict[str, str]
) -> None:
    seeding = await urbanbell(bot_env, "seed", str(DEMO_SEED))
    assert await seeding.wait() == 0
    web = f"http://127.0.0.1:{bot_env['URBANBELL_HTTP_PORT']}"
    process = await urbanbell(bot_env, "run")
    try:
        health = await answered(f"{web}/healthz")
        ready = await answered(f"{web}/readyz")
        fake.send_text(LAN, "/start nk-hem-51", language_code="en")
        fake.send_text(LAN, "/report lighting The lamp at number 12 is out", language_code="en")
        await fake.wait_for_messages(LAN, 2, timeout=60)
        await asyncio.sleep(1)  # the second outcome is written just after its message leaves
        scrape = await answered(f"{web}/metrics")
    finally:
        stderr = await stop(process)
    assert process.returncode == 0, stderr

    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})
    assert scrape.status_code == 200
    assert scrape.headers["content-type"].startswith("text/plain; version=0.0.4")
    got = samples(scrape.text)

    def value(name: str, **labels: str) -> float:
        return got.get((name, frozenset(labels.items())), 0.0)

    assert value("urbanbell_updates_handled_total", channel="telegram", kind="command") == 2
    assert value("urbanbell_deliveries_total", channel="telegram", outcome="sent") >= 2
    assert value("urbanbell_reply_latency_seconds_count", channel="telegram") >= 2
    assert value("urbanbell_outbox_messages", channel="telegram", kind="reply", status="sent") >= 2
    assert value("urbanbell_reports_open", ward="ninh-kieu") == 1
    assert value("urbanbell_reports_open", ward="thuan-hung") == 0
    assert value("urbanbell_reports_overdue", ward="ninh-kieu") == 0
    assert value("urbanbell_planner_duration_seconds_count") >= 1
    assert ("urbanbell_planner_unserviceable_reminders", frozenset()) in got
    assert ("urbanbell_bell_lateness_seconds_count", frozenset()) in got
    assert value("urbanbell_throttled_total", channel="telegram") == 0


async def test_readyz_is_503_while_the_database_is_away_and_ready_again_after(
    fake: FakeTelegram, bot_env: dict[str, str]
) -> None:
    web = f"http://127.0.0.1:{bot_env['URBANBELL_HTTP_PORT']}"
    async with postgres_behind_a_proxy() as (url, proxy):
        env = {**bot_env, "URBANBELL_DATABASE_URL": url}
        process = await urbanbell(env, "run")
        try:
            before = await answered(f"{web}/readyz")
            await proxy.close()
            away = await answered(f"{web}/readyz")
            alive = await answered(f"{web}/healthz")
            await proxy.open()
            back = await answered(f"{web}/readyz")
        finally:
            stderr = await stop(process)
    assert before.status_code == 200, stderr
    assert away.status_code == 503
    assert away.json()["problems"][0].startswith("database unreachable")
    assert alive.status_code == 200  # the process lives: no supervisor should restart it
    assert back.status_code == 200


async def test_run_with_its_port_taken_says_which_setting_to_change_and_exits_2(
    fake: FakeTelegram, bot_env: dict[str, str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", int(bot_env["URBANBELL_HTTP_PORT"])))
        taken.listen()
        process = await urbanbell(bot_env, "run")
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    assert "setting URBANBELL_HTTP_PORT: cannot listen on 127.0.0.1:" in stderr.decode()
    assert "Traceback" not in stderr.decode()


async def test_json_logs_are_one_object_a_line_without_the_schedulers_routine(
    fake: FakeTelegram, bot_env: dict[str, str]
) -> None:
    env = {**bot_env, "URBANBELL_LOG_FORMAT": "json"}
    process = await urbanbell(env, "run")
    try:
        fake.send_text(LAN, "/start nk-hem-51", language_code="en")
        await fake.wait_for_messages(LAN, 1, timeout=60)
    finally:
        stderr = await stop(process)
    assert process.returncode == 0, stderr
    lines = [json.loads(line) for line in stderr.splitlines()]
    assert all({"timestamp", "level", "logger", "event"} <= line.keys() for line in lines)
    assert any(line["event"].startswith("Urban Bell is running on") for line in lines)
    routine = [line for line in lines if line["logger"].startswith("apscheduler")]
    assert all(line["level"] in ("WARNING", "ERROR", "CRITICAL") for line in routine), routine
