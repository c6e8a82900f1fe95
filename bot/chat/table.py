"""The command table: what each feature declares once, and everything generated from it.

A feature lists its commands (name, Vietnamese alias, roles, one help line, whether it is in
the menu), its buttons (by prefix) and its dialogue steps. The router, `/help` and the
Telegram menus are all read from these declarations, so a command cannot be in one and not
the others.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence, Set
from dataclasses import dataclass

from bot.chat.context import Context
from bot.chat.events import Incoming, Kind
from core.model import Role

Handler = Callable[[Context, Incoming], Awaitable[None]]
ButtonHandler = Callable[[Context, list[str]], Awaitable[None]]
TEXT_ONLY = frozenset({Kind.TEXT})


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    about: str  # one line of help, marked with N_ and translated where shown
    alias: str = ""  # the Vietnamese name, for residents who type
    usage: str = ""  # the arguments, as "<number> <state> [note]", marked with N_
    roles: frozenset[Role] = frozenset()  # empty: everyone; else only people holding one
    menu: bool = True  # listed in the Telegram menu beside the text field

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.alias) if self.alias else (self.name,)

    def allowed(self, held: Set[Role]) -> bool:
        return not self.roles or bool(self.roles & held)


@dataclass(frozen=True)
class Button:
    """A kind of button: its data is the prefix, then the values it carries, split by ":"."""

    prefix: str
    handler: ButtonHandler


@dataclass(frozen=True)
class Step:
    """A dialogue's step and the handler that takes the events of these kinds while at it;
    with `numbers`, a number typed there is its answer rather than an option pressed."""

    dialogue: str
    name: str
    handler: Handler
    kinds: frozenset[Kind] = TEXT_ONLY
    numbers: bool = False


@dataclass(frozen=True)
class Feature:
    commands: tuple[Command, ...] = ()
    buttons: tuple[Button, ...] = ()
    steps: tuple[Step, ...] = ()


def commands_for(features: Iterable[Feature], held: Set[Role]) -> list[Command]:
    """The commands someone with these roles may use, in the order declared, residents' first."""
    every = [c for feature in features for c in feature.commands]
    return [c for c in every if not c.roles] + [c for c in every if c.roles and c.allowed(held)]


def help_line(command: Command, translate: Callable[[str], str]) -> str:
    """ "/status <number> <state> [note] (/trangthai): move a report on", in one language."""
    head = "/" + command.name
    if command.usage:
        head += " " + translate(command.usage)
    if command.alias:
        head += f" (/{command.alias})"
    return f"{head}: {translate(command.about)}"


def menu_entries(
    features: Sequence[Feature], held: Set[Role], translate: Callable[[str], str]
) -> list[tuple[str, str]]:
    """The (command, description) pairs of a Telegram menu for someone with these roles."""
    return [(c.name, translate(c.about)) for c in commands_for(features, held) if c.menu]
