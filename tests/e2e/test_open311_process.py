"""`urbanbell apikey add|list|revoke` and the real `urbanbell run` process: a key issued on the
command line files a report through Open311, the same request is read back, and once revoked
the key files nothing."""

from __future__ import annotations

import asyncio
import signal

import httpx

from tests.e2e.conftest import urbanbell
from tests.fakes.telegram import FakeTelegram
from urbanbell.cli import DEMO_SEED

LAN_OFFICER = 9001


async def command(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    process = await urbanbell(env, *args)
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_a_key_from_the_command_line_files_through_the_running_bot_until_revoked(
    fake: FakeTelegram, bot_env: dict[str, str], unused_tcp_port: int
) -> None:
    env = {**bot_env, "URBANBELL_HTTP_PORT": str(unused_tcp_port)}
    assert (await command(env, "seed", str(DEMO_SEED)))[0] == 0
    code, issued, _ = await command(env, "apikey", "add", "Tổng đài 1022")
    assert code == 0, issued
    secret = issued.rsplit(" ", 1)[-1].strip()
    again = await command(env, "apikey", "add", "Tổng đài 1022")
    code, listed, _ = await command(env, "apikey", "list")

    assert again[0] == 1 and "already has a key" in again[2]
    assert code == 0 and "Tổng đài 1022" in listed and "active" in listed
    assert secret not in listed and secret[:6] in listed

    base = f"http://127.0.0.1:{unused_tcp_port}/open311/v2"
    form = {"api_key": secret, "service_code": "lighting", "address_id": "nk-hem-132"}
    bot = await urbanbell(env, "run")
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            for _ in range(600):  # the process takes a while to start on a busy machine
                try:
                    filed = await client.post(f"{base}/requests.json", data=form)
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.1)
            assert filed.status_code == 200, filed.text
            number = filed.json()[0]["service_request_id"]
            read = (await client.get(f"{base}/requests/{number}.json")).json()
            told = await fake.wait_for_messages(LAN_OFFICER, 1, timeout=60)

            code, revoked, _ = await command(env, "apikey", "revoke", "Tổng đài 1022")
            refused = await client.post(f"{base}/requests.json", data=form)
            listed_after = (await client.get(f"{base}/requests.json")).json()
    finally:
        bot.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(bot.communicate(), 60)
    assert bot.returncode == 0, stderr.decode()
    assert "Traceback" not in stderr.decode()

    assert read[0]["service_request_id"] == number
    assert read[0]["address_id"] == "nk-hem-132" and read[0]["service_code"] == "lighting"
    assert told[0].text is not None and f"#{number}" in told[0].text
    assert code == 0 and "revoked" in revoked
    assert refused.status_code == 403 and refused.json()[0]["code"] == 403
    assert [r["service_request_id"] for r in listed_after] == [number]
    assert "revoked" in (await command(env, "apikey", "list"))[1]
    assert (await command(env, "apikey", "revoke", "nobody"))[0] == 1
