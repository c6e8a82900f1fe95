"""Which handler answers an event: commands by name, choices by prefix, dialogues by step."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from urbanbell.bot.context import Context
from urbanbell.bot.events import Incoming, Kind
from urbanbell.core.model import DialogueState, Role

Handler = Callable[[Context, Incoming], Awaitable[None]]
TEXT_ONLY = frozenset({Kind.TEXT})
ChoiceHandler = Callable[[Context, list[str]], Awaitable[None]]


@dataclass
class Router:
    commands: dict[str, Handler] = field(default_factory=dict)
    choices: dict[str, ChoiceHandler] = field(default_factory=dict)
    steps: dict[tuple[str, str], tuple[Handler, frozenset[Kind]]] = field(default_factory=dict)
    # Steps that ask for a number: one typed there is the answer, not an option pressed.
    numbers: set[tuple[str, str]] = field(default_factory=set)
    unknown_command: Handler | None = None
    unknown_choice: ChoiceHandler | None = None
    free_text: Handler | None = None
    # A location, photo, contact or sticker that no dialogue step asked for.
    unexpected: Handler | None = None
    # Text that answers none of the options the bot just offered.
    not_a_choice: Handler | None = None

    # Commands only people with one of these roles in some ward may use.
    guarded: dict[str, frozenset[Role]] = field(default_factory=dict)
    not_allowed: Handler | None = None

    def command(self, handler: Handler, *names: str, roles: frozenset[Role] = frozenset()) -> None:
        """Answer these commands with `handler`; with `roles`, only for people who hold one."""
        for name in names:
            self.commands[name] = handler
            if roles:
                self.guarded[name] = roles

    def choice(self, prefix: str, handler: ChoiceHandler) -> None:
        self.choices[prefix] = handler

    def step(
        self,
        dialogue: str,
        step: str,
        handler: Handler,
        kinds: frozenset[Kind] = TEXT_ONLY,
        numbers: bool = False,
    ) -> None:
        """Let `handler` take the events of these kinds while a dialogue is at this step;
        with `numbers`, a number typed there is given to it rather than pressing an option."""
        self.steps[(dialogue, step)] = (handler, kinds)
        if numbers:
            self.numbers.add((dialogue, step))

    def takes_numbers(self, dialogue: DialogueState | None) -> bool:
        return dialogue is not None and (dialogue.name, dialogue.step) in self.numbers

    async def dispatch(self, ctx: Context, event: Incoming) -> None:
        if event.kind is Kind.CHOICE:
            prefix, *args = event.choice.split(":")
            choice_handler = self.choices.get(prefix, self.unknown_choice)
            if choice_handler is not None:
                await choice_handler(ctx, args)
            return
        if event.kind is Kind.COMMAND:
            # A command starts afresh: whatever dialogue was open is left.
            ctx.interrupted = ctx.dialogue
            ctx.end()
        handler = await self._handler_for(ctx, event)
        if handler is not None:
            await handler(ctx, event)

    async def _handler_for(self, ctx: Context, event: Incoming) -> Handler | None:
        if event.kind is Kind.COMMAND:
            roles = self.guarded.get(event.command)
            if roles and not any(o.role in roles for o in await ctx.officers()):
                return self.not_allowed
            return self.commands.get(event.command, self.unknown_command)
        if ctx.dialogue is not None:
            step = self.steps.get((ctx.dialogue.name, ctx.dialogue.step))
            if step is not None and event.kind in step[1]:
                return step[0]
        if event.kind is not Kind.TEXT:
            return self.unexpected
        # Options asked in a dialogue want one of them; outside one they were suggestions, and
        # text (an alley's code, a greeting) is read for itself.
        asked = ctx.offered and ctx.dialogue is not None
        return (self.not_a_choice if asked else None) or self.free_text
