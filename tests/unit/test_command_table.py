"""The command table: every command declared once, with help, translations and README rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.chat.context import Context
from bot.chat.dialogue import StaleDialogue, dump, load
from bot.chat.events import Incoming
from bot.chat.i18n import Catalogues
from bot.chat.router import Router
from bot.chat.table import Command, Feature, commands_for, help_line, menu_entries
from bot.features.general.table import FALLBACKS
from bot.features.registry import FEATURES
from core.model import Role
from locales import LANGUAGES

README = Path(__file__).resolve().parents[2] / "README.md"
COMMANDS = [c for feature in FEATURES for c in feature.commands]


def test_every_command_has_a_help_line_translated_in_every_language() -> None:
    catalogues = Catalogues()
    for command in COMMANDS:
        assert command.about, f"/{command.name} has no help line"
        for language in LANGUAGES:
            translations = catalogues.get(language)
            for text in filter(None, (command.about, command.usage)):
                translated = translations.gettext(text)
                assert translated and (translated != text or language == "en"), (
                    f"/{command.name}: {text!r} is not translated into {language}"
                )


def readme_commands() -> set[tuple[str, str]]:
    """(name, alias) of each command in the README's tables; alias "" when none is given."""
    found = set()
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `/"):
            first_cell = line.split(" | ")[0]
            for name, alias in re.findall(r"`/(\w+)[^`]*`(?: \(`/(\w+)`\))?", first_cell):
                found.add((name, alias))
    return found


def test_the_readme_lists_every_command_with_its_alias_and_nothing_else() -> None:
    listed = readme_commands()
    declared = {(c.name, c.alias) for c in COMMANDS}
    assert declared - listed == set(), "commands the README does not list"
    known = {c.name for c in COMMANDS}
    assert {name for name, _ in listed} - known == set(), "README rows for unknown commands"


def test_a_resident_is_offered_only_residents_commands() -> None:
    residents = commands_for(FEATURES, frozenset())
    assert residents == [c for c in COMMANDS if not c.roles]
    assert {"report", "subscribe", "help", "cancel"} <= {c.name for c in residents}


def test_each_role_adds_its_own_commands_after_the_residents() -> None:
    officer = {c.name for c in commands_for(FEATURES, {Role.OFFICER})}
    organiser = {c.name for c in commands_for(FEATURES, {Role.ORGANISER})}
    admin = {c.name for c in commands_for(FEATURES, {Role.ADMIN})}
    assert {"inbox", "status", "skip", "announce"} <= officer
    assert "newcall" not in officer and "linkofficers" not in officer
    assert "newcall" in organiser and "inbox" not in organiser
    assert officer | organiser <= admin and "linkofficers" in admin


def test_a_help_line_names_the_command_its_arguments_and_its_alias() -> None:
    status = next(c for c in COMMANDS if c.name == "status")
    vi = Catalogues().get("vi").gettext
    assert (
        help_line(status, str) == "/status <number> <state> [note] (/trangthai): move a report on"
    )
    assert help_line(status, vi).startswith("/status <số> <trạng thái> [ghi chú] (/trangthai): ")


def test_the_menu_is_the_table_in_the_persons_language() -> None:
    vi = Catalogues().get("vi").gettext
    names = [name for name, _ in menu_entries(FEATURES, frozenset(), vi)]
    assert names == [c.name for c in COMMANDS if not c.roles and c.menu]


async def answer(ctx: Context, event: Incoming) -> None:
    """A handler for the tests."""


def test_a_name_claimed_twice_is_refused_when_the_router_is_built() -> None:
    twice = Feature(commands=(Command("report", answer, "again"),))
    with pytest.raises(ValueError, match="'report' is declared twice"):
        Router((*FEATURES, twice), FALLBACKS)
    alias = Feature(commands=(Command("file", answer, "again", alias="phananh"),))
    with pytest.raises(ValueError, match="'phananh' is declared twice"):
        Router((*FEATURES, alias), FALLBACKS)


@dataclass
class Draft:
    ward: int
    chosen: list[int] = field(default_factory=list)
    place: str | None = None


def test_a_dialogues_data_comes_back_as_the_dataclass_it_was_kept_from() -> None:
    kept = dump(Draft(7, [1, 2], "chợ"))
    assert kept == {"ward": 7, "chosen": [1, 2], "place": "chợ"}
    assert load(Draft, kept) == Draft(7, [1, 2], "chợ")
    with pytest.raises(StaleDialogue):
        load(Draft, {"ward": "not a number"})
