"""Which handler answers an event: commands by name, buttons by prefix, dialogues by step."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot.chat.context import Context
from bot.chat.dialogue import StaleDialogue
from bot.chat.events import Incoming, Kind
from bot.chat.table import ButtonHandler, Command, Feature, Handler, Step
from core.errors import TextTooLong
from core.model import DialogueState

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class Fallbacks:
    """What answers an event no feature claims."""

    unknown_command: Handler
    unknown_button: ButtonHandler  # stale, someone else's or forged
    free_text: Handler  # text outside any dialogue
    not_a_choice: Handler  # text that answers none of the options a dialogue asked
    unexpected: Handler  # a location, photo, contact or sticker no step asked for
    not_allowed: Handler  # a command that needs a ward role the person does not hold


class Router:
    def __init__(self, features: Sequence[Feature], fallbacks: Fallbacks) -> None:
        self.features = tuple(features)
        self.fallbacks = fallbacks
        self.commands: dict[str, Command] = {}
        self.buttons: dict[str, ButtonHandler] = {}
        self.steps: dict[tuple[str, str], Step] = {}
        for feature in features:
            for command in feature.commands:
                for name in command.names:
                    _claim(self.commands, name, command, "command")
            for button in feature.buttons:
                _claim(self.buttons, button.prefix, button.handler, "button prefix")
            for step in feature.steps:
                _claim(self.steps, (step.dialogue, step.name), step, "dialogue step")

    def takes_numbers(self, dialogue: DialogueState | None) -> bool:
        if dialogue is None:
            return False
        step = self.steps.get((dialogue.name, dialogue.step))
        return step is not None and step.numbers

    async def dispatch(self, ctx: Context, event: Incoming) -> None:
        before = copy.deepcopy(ctx.dialogue)
        try:
            await self._dispatch(ctx, event)
        except TextTooLong as refused:
            # Whichever step refused it, the person is where they were and may send it shorter.
            ctx.dialogue = before
            ctx.replies.clear()
            ctx.say(
                ctx._(
                    "That is too long: I can take at most {limit} characters. "
                    "Please send it shorter."
                ).format(limit=refused.limit)
            )
        except StaleDialogue:
            # What was kept no longer fits the dialogue (an older version kept it): start over.
            ctx.end()
            ctx.replies.clear()
            await self.fallbacks.unknown_button(ctx, [])

    async def _dispatch(self, ctx: Context, event: Incoming) -> None:
        if event.kind is Kind.CHOICE:
            prefix, *args = event.choice.split(":")
            await self.buttons.get(prefix, self.fallbacks.unknown_button)(ctx, args)
            return
        if event.kind is Kind.COMMAND:
            # A command starts afresh: whatever dialogue was open is left.
            ctx.interrupted = ctx.dialogue
            ctx.end()
        handler = await self._handler_for(ctx, event)
        await handler(ctx, event)

    async def _handler_for(self, ctx: Context, event: Incoming) -> Handler:
        if event.kind is Kind.COMMAND:
            command = self.commands.get(event.command)
            if command is None:
                return self.fallbacks.unknown_command
            # Guarded here, before the handler runs, so no handler can forget it.
            if command.roles and not command.allowed(await ctx.roles()):
                return self.fallbacks.not_allowed
            return command.handler
        if ctx.dialogue is not None:
            step = self.steps.get((ctx.dialogue.name, ctx.dialogue.step))
            if step is not None and event.kind in step.kinds:
                return step.handler
        if event.kind is not Kind.TEXT:
            return self.fallbacks.unexpected
        # Options asked in a dialogue want one of them; outside one they were suggestions, and
        # text (an alley's code, a greeting) is read for itself.
        if ctx.offered and ctx.dialogue is not None:
            return self.fallbacks.not_a_choice
        return self.fallbacks.free_text


def _claim(table: dict[K, V], key: K, value: V, what: str) -> None:
    """Declare a key once: two features claiming it would silently shadow one another."""
    if key in table:
        raise ValueError(f"{what} {key!r} is declared twice")
    table[key] = value
