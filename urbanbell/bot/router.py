"""Which handler answers an event: commands by name, choices by prefix, dialogues by step."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from urbanbell.bot.context import Context
from urbanbell.bot.events import Incoming, Kind

Handler = Callable[[Context, Incoming], Awaitable[None]]
ChoiceHandler = Callable[[Context, list[str]], Awaitable[None]]


@dataclass
class Router:
    commands: dict[str, Handler] = field(default_factory=dict)
    choices: dict[str, ChoiceHandler] = field(default_factory=dict)
    steps: dict[tuple[str, str], Handler] = field(default_factory=dict)
    unknown_command: Handler | None = None
    unknown_choice: ChoiceHandler | None = None
    free_text: Handler | None = None
    # Text that answers none of the options the bot just offered.
    not_a_choice: Handler | None = None

    def command(self, handler: Handler, *names: str) -> None:
        for name in names:
            self.commands[name] = handler

    def choice(self, prefix: str, handler: ChoiceHandler) -> None:
        self.choices[prefix] = handler

    def step(self, dialogue: str, step: str, handler: Handler) -> None:
        self.steps[(dialogue, step)] = handler

    async def dispatch(self, ctx: Context, event: Incoming) -> None:
        if event.kind is Kind.COMMAND:
            # A command starts afresh: whatever dialogue was open is left.
            ctx.interrupted = ctx.dialogue
            ctx.end()
            handler = self.commands.get(event.command, self.unknown_command)
            if handler is not None:
                await handler(ctx, event)
        elif event.kind is Kind.CHOICE:
            prefix, *args = event.choice.split(":")
            choice_handler = self.choices.get(prefix, self.unknown_choice)
            if choice_handler is not None:
                await choice_handler(ctx, args)
        else:
            step = None
            if ctx.dialogue is not None:
                step = self.steps.get((ctx.dialogue.name, ctx.dialogue.step))
            handler = step or (self.not_a_choice if ctx.offered else None) or self.free_text
            if handler is not None:
                await handler(ctx, event)
