"""The files that deploy the bot agree with the code: every setting it reads and no other,
the packages it is made of, the command that runs it and the path that says it lives."""

from __future__ import annotations

import configparser
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from dotenv import dotenv_values

from urbanbell.settings import PREFIX, Settings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = {PREFIX + name.upper() for name in Settings.model_fields}


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)


def env_example_names() -> list[str]:
    """Every variable .env.example lists, set or left commented out."""
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return re.findall(r"^#? ?(URBANBELL_[A-Z_]+)=", text, flags=re.MULTILINE)


def test_env_example_lists_exactly_the_settings_the_code_reads_each_once() -> None:
    names = env_example_names()
    assert sorted(names) == sorted(set(names)), "a setting listed twice"
    assert set(names) == SETTINGS


def test_env_example_says_each_settings_meaning_on_the_line_above() -> None:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^#? ?URBANBELL_[A-Z_]+=", line):
            above = lines[number - 1]
            assert above.startswith("# ") and "URBANBELL_" not in above.split("=")[0], line


def test_env_example_values_are_the_codes_defaults(clean_environment: None) -> None:
    listed = Settings(_env_file=ROOT / ".env.example")  # type: ignore[call-arg]
    assert listed == Settings(_env_file=None)  # type: ignore[call-arg]
    assert set(dotenv_values(ROOT / ".env.example")) <= SETTINGS


def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text("utf-8"))
    return document


def test_compose_runs_the_bot_on_postgresql_16_once_the_database_is_healthy() -> None:
    services = compose()["services"]
    db, bot = services["db"], services["bot"]
    assert db["image"] == "postgres:16"
    assert "healthcheck" in db
    volume = db["volumes"][0].split(":")
    assert volume[1] == "/var/lib/postgresql/data" and volume[0] in compose()["volumes"]
    assert bot["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert bot["build"] == "."
    assert bot["env_file"] == ".env"


def defaulted(value: str) -> str:
    """A compose value as Docker makes it when no variable is set: `${X:-d}` becomes d."""
    return re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", value)


def test_compose_names_only_real_settings_with_values_the_code_accepts(
    clean_environment: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = {
        name: defaulted(value)
        for name, value in compose()["services"]["bot"]["environment"].items()
    }
    assert set(bot) <= SETTINGS
    database = compose()["services"]["db"]["environment"]
    url = bot["URBANBELL_DATABASE_URL"]
    assert url.startswith(f"postgresql+asyncpg://{database['POSTGRES_USER']}:")
    assert url.endswith(f"@db:5432/{database['POSTGRES_DB']}")
    for name, value in bot.items():
        monkeypatch.setenv(name, value)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == url
    port = f"{settings.http_port}:{settings.http_port}"
    assert any(mapping.endswith(port) for mapping in compose()["services"]["bot"]["ports"])


def dockerfile() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def test_the_image_is_slim_runs_as_a_user_and_checks_healthz() -> None:
    lines = dockerfile()
    assert all(line.split()[1].endswith("-slim") for line in lines if line.startswith("FROM "))
    [user] = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert user not in ("root", "0")
    [check] = [line for line in lines if line.startswith("HEALTHCHECK ")]
    assert "/healthz" in check and "URBANBELL_HTTP_PORT" in check
    assert lines[-1] == 'CMD ["urbanbell", "run"]'
    assert any(re.search(r"pip install .*\.whl", line) for line in lines)


def test_the_image_builds_the_wheel_from_every_package_and_sets_only_real_settings() -> None:
    lines = dockerfile()
    copied = {
        source
        for line in lines
        if line.startswith("COPY ") and "--from" not in line
        for source in line.split()[1:-1]
    }
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found = project["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {name.rstrip("*") for name in found}
    assert packages <= copied
    assert {project["project"]["readme"], "pyproject.toml"} <= copied
    set_there = {
        name
        for line in lines
        if line.startswith("ENV ")
        for name in re.findall(r"(\w+)=", line)
        if name.startswith(PREFIX)
    }
    assert set_there and set_there <= SETTINGS


def test_the_systemd_unit_runs_the_bot_as_its_user_with_the_settings_file() -> None:
    unit = configparser.ConfigParser(interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(ROOT / "deploy" / "urbanbell.service", encoding="utf-8")
    service = unit["Service"]
    assert service["ExecStart"].endswith("/urbanbell run")
    assert service["User"] not in ("root", "0")
    assert service["EnvironmentFile"]
    # A bad setting exits 2: restarting cannot fix it.
    assert service["RestartPreventExitStatus"] == "2"
    assert unit["Install"]["WantedBy"] == "multi-user.target"
