"""The real `urbanbell` command, driven over stdin and stdout as a person would in a terminal."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

URBANBELL = Path(sys.executable).with_name("urbanbell")


def run(
    env: dict[str, str], *args: str, lines: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(URBANBELL), *args],
        input="".join(f"{line}\n" for line in lines or []),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("URBANBELL_")}
    clean["URBANBELL_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'bell.db'}"
    return clean


@pytest.fixture
def seed_file(tmp_path: Path) -> Path:
    """A ward whose calendar has a skip tomorrow and a move the day after, wherever today is."""
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    tomorrow, after = today + timedelta(days=1), today + timedelta(days=2)
    path = tmp_path / "ward.yaml"
    path.write_text(
        f"""
wards:
  - code: e2e-ward
    name: Phường Kiểm Thử
    holidays: skip
    alleys:
      - code: e2e-hem-51
        name: Hẻm 51 Đường 3 Tháng 2
        collections: [{{days: [daily], time: "18:00"}}]
        exceptions:
          - {{date: {tomorrow}, action: skip}}
          - {{date: {after}, action: move, to: "{after} 05:30"}}
      - code: e2e-mau-than
        name: Hẻm 14 Đường Mậu Thân
        collections: [{{days: [mon, thu], time: "06:30"}}]
officers:
  - {{ward: e2e-ward, role: officer, telegram_id: 9001, name: Chị Lan}}
""",
        encoding="utf-8",
    )
    return path


def test_a_resident_subscribes_sees_the_schedule_and_switches_language(
    env: dict[str, str], seed_file: Path
) -> None:
    seeded = run(env, "seed", str(seed_file))
    assert seeded.returncode == 0, seeded.stderr
    assert "created 1 wards, 2 alleys, 1 officers" in seeded.stdout

    first = run(
        env,
        "console",
        "--lang",
        "en",
        lines=[
            "/start e2e-hem-51",
            "/subscribe hem 14 mau than",
            "1",
            "/schedule",
            "/language",
            "1",
            "/help",
            "/subscribe",
        ],
    )
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "You now follow Hẻm 51 Đường 3 Tháng 2 (Phường Kiểm Thử)" in out
    assert re.search(r"Next collection: \w+ \d\d/\d\d at \d\d:\d\d\.", out)
    assert "  1. Hẻm 14 Đường Mậu Thân (Phường Kiểm Thử)" in out
    assert "You now follow Hẻm 14 Đường Mậu Thân" in out
    assert "no collection (cancelled by the ward)" in out
    assert "at 05:30 (moved from" in out
    after = out.split("Which language should I speak?")[1]
    assert "  1. Tiếng Việt" in after
    # After choosing Tiếng Việt, the bot answers in Vietnamese.
    assert "/subscribe" in after and "/schedule" in after
    assert "Here is what I can do" not in after
    assert "Traceback" not in out + first.stderr

    # A new process, as after a restart: the search begun above goes on.
    second = run(env, "console", "--lang", "en", lines=["hem 51", "1", "/mine"])
    assert second.returncode == 0, second.stderr
    assert "  1. Hẻm 51 Đường 3 Tháng 2 (Phường Kiểm Thử)" in second.stdout
    assert "Hẻm 14 Đường Mậu Thân" in second.stdout.split("/subscribe")[-1]
    assert "Traceback" not in second.stdout + second.stderr


def test_a_seeded_officer_is_recognised_in_the_console(
    env: dict[str, str], seed_file: Path
) -> None:
    run(env, "seed", str(seed_file))
    officer = run(env, "console", "--user", "9001", "--lang", "en", lines=["/help"])
    assert "Your role in Phường Kiểm Thử: officer." in officer.stdout


def test_a_bad_setting_stops_start_up_with_one_line_naming_it(env: dict[str, str]) -> None:
    env["URBANBELL_TIMEZONE"] = "Mars/Olympus"
    result = run(env, "console")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "urbanbell: setting URBANBELL_TIMEZONE: unknown time zone 'Mars/Olympus'"
    ]


def test_demo_loads_the_demo_wards_once(env: dict[str, str]) -> None:
    first = run(env, "demo", "--lang", "en", lines=["/subscribe hem 51"])
    assert "demo wards loaded: created 3 wards, 12 alleys, 4 officers" in first.stdout
    assert "Hẻm 51 Đường 3 Tháng 2 (Phường Ninh Kiều)" in first.stdout
    again = run(env, "demo", "--lang", "en", lines=[])
    assert "demo wards loaded" not in again.stdout
    assert again.returncode == 0


def test_options_are_answered_in_words_and_a_wrong_answer_gets_them_again(
    env: dict[str, str], seed_file: Path
) -> None:
    run(env, "seed", str(seed_file))
    chat = run(
        env,
        "console",
        "--lang",
        "en",
        lines=["/start E2E-HEM-51", "30 phút", "/language", "9", "english", "/subscribe hẻm"],
    )
    assert chat.returncode == 0, chat.stderr
    out = chat.stdout
    assert "You now follow Hẻm 51 Đường 3 Tháng 2" in out
    assert "Done: I will ring 30 minutes before the truck reaches" in out
    hint = out.split("Which language should I speak?")[1]
    assert "Please type the number of one of these options:" in hint
    assert "Hello! I am Urban Bell" not in hint
    assert "From now on I will speak English with you." in hint
    assert "Traceback" not in out + chat.stderr
