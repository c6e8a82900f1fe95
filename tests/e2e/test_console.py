"""The real `urbanbell` command, driven over stdin and stdout as a person would in a terminal."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

URBANBELL = Path(sys.executable).with_name("urbanbell")


def run(
    env: dict[str, str], *args: str, lines: list[str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(URBANBELL), *args],
        cwd=cwd,
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
  - {{ward: e2e-ward, role: officer, telegram_id: 9001, console_id: "9001", name: Chị Lan}}
""",
        encoding="utf-8",
    )
    return path


def test_a_resident_subscribes_sees_the_schedule_and_switches_language(
    env: dict[str, str], seed_file: Path
) -> None:
    seeded = run(env, "seed", str(seed_file))
    assert seeded.returncode == 0, seeded.stderr
    assert "created 1 ward, 2 alleys, 1 officer" in seeded.stdout

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


def test_an_officer_at_the_console_previews_a_skip_confirms_it_and_a_repeat_tells_no_one(
    env: dict[str, str], seed_file: Path
) -> None:
    run(env, "seed", str(seed_file))
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    monday = today + timedelta(days=7 - today.weekday())  # e2e-mau-than: Mon, Thu 06:30
    tuesday = monday + timedelta(days=1)
    typed = f"{monday.day}/{monday.month}/{monday.year}"

    officer = run(
        env,
        "console",
        "--user",
        "9001",
        "--lang",
        "en",
        lines=[
            f"/skip e2e-mau-than {tuesday.day}-{tuesday.month}-{tuesday.year}",
            f"/skip e2e-mau-than {typed}",
            "1",
            f"/skip e2e-mau-than {typed}",
        ],
    )

    out = officer.stdout
    assert officer.returncode == 0, officer.stderr
    assert "its truck comes Monday, Thursday at 06:30." in out
    assert "Residents will read:" in out and "  1. Tell them" in out
    assert "Done: no collection in Hẻm 14 Đường Mậu Thân" in out
    assert "It is already so:" in out and "No one is told again." in out
    assert "Traceback" not in out + officer.stderr


REPORT_LAMP = ["/report", "2", "Đèn đường hỏng trước nhà số 12", "1", "hem 51", "1", "1", "1"]


def test_the_demo_officer_gets_new_report_notices_in_the_console_and_acts_on_them(
    env: dict[str, str],
) -> None:
    resident = run(env, "demo", "--lang", "en", lines=REPORT_LAMP)
    assert "Your report is #1" in resident.stdout, resident.stdout

    officer = run(env, "console", "--user", "9001", "--lang", "en", lines=["1"])
    assert officer.returncode == 0, officer.stderr
    notice = officer.stdout.split("📣", 1)[1]
    assert "#1 · " in notice and "Đèn đường hỏng trước nhà số 12" in notice
    assert "\n  1. Tiếp nhận\n" in notice  # the options, numbered
    assert "#1 · Street lighting · " in officer.stdout.split("  1. Tiếp nhận")[1]
    assert "is now: Acknowledged. The reporter is told." in officer.stdout

    told = run(env, "console", "--lang", "en", lines=[])
    assert "Your report #1 · Street lighting · " in told.stdout, told.stdout
    assert "is now: Acknowledged." in told.stdout


def test_files_are_saved_to_a_folder_and_their_paths_printed(
    env: dict[str, str], tmp_path: Path
) -> None:
    run(env, "demo", "--lang", "en", lines=REPORT_LAMP)
    files = tmp_path / "exports"
    officer = run(
        env,
        "console",
        "--user",
        "9001",
        "--lang",
        "en",
        "--files",
        str(files),
        lines=["/export", "/export"],
    )
    saved = re.findall(r"^  \[(.+\.csv), (\d+) bytes\]$", officer.stdout, re.MULTILINE)
    assert len(saved) == 4, officer.stdout
    for path, size in saved:
        assert Path(path).parent == files and Path(path).stat().st_size == int(size)
    # Asked twice, the second files are kept next to the first.
    assert len({path for path, _ in saved}) == 4
    assert "Đèn đường hỏng trước nhà số 12" in Path(saved[0][0]).read_text(encoding="utf-8-sig")

    # Without --files, into ./urbanbell-files/ of the working folder.
    work = tmp_path / "work"
    work.mkdir()
    default = run(env, "console", "--user", "9001", cwd=work, lines=["/stats 30d"])
    [chart] = re.findall(r"^  \[(.+\.png), \d+ bytes\]$", default.stdout, re.MULTILINE)
    assert Path(chart).parent == Path("urbanbell-files")
    assert (work / chart).read_bytes().startswith(b"\x89PNG")


def in_a_terminal(env: dict[str, str], key: bytes) -> tuple[int, str]:
    """`urbanbell console` in a terminal of its own: once it prompts, press `key`; its exit
    status and everything it showed."""
    pid, terminal = pty.fork()
    if pid == 0:  # the child, whose controlling terminal it is
        os.execve(URBANBELL, [str(URBANBELL), "console", "--lang", "en"], env)
    shown = b""
    pressed = False
    while True:
        ready, _, _ = select.select([terminal], [], [], 60)
        if not ready:  # hung: end it, and tell
            os.kill(pid, signal.SIGKILL)
            shown += b"\n[no answer in a minute]"
            break
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # the child ended and its terminal closed
            break
        if not chunk:
            break
        shown += chunk
        if not pressed and b"> " in shown:
            os.write(terminal, key)
            pressed = True
    _, status = os.waitpid(pid, 0)
    os.close(terminal)
    return os.waitstatus_to_exitcode(status), shown.decode(errors="replace")


@pytest.mark.parametrize("key", [b"\x03", b"\x04"], ids=["ctrl-c", "ctrl-d"])
def test_ctrl_c_and_ctrl_d_leave_cleanly(env: dict[str, str], key: bytes) -> None:
    status, shown = in_a_terminal(env, key)
    assert status == 0, shown
    assert "Traceback" not in shown and "Error" not in shown, shown


def test_ctrl_c_leaves_cleanly_when_input_is_piped(env: dict[str, str]) -> None:
    process = subprocess.Popen(
        [str(URBANBELL), "console", "--lang", "en"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith("Urban Bell in the terminal.")
    process.send_signal(signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()  # only if it did not leave
    assert process.returncode == 0, stderr
    assert stderr == "", stderr


def test_no_input_leaves_cleanly(env: dict[str, str]) -> None:
    result = subprocess.run(
        [str(URBANBELL), "console"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0
    assert result.stderr == "", result.stderr


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
