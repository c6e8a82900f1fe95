"""One incoming event in, the replies out: one transaction, dialogue state kept in between."""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.chat.context import Context
from bot.chat.events import Incoming, Kind
from bot.chat.i18n import Catalogues
from bot.chat.plain import picked
from bot.chat.replies import Choice, Reply
from bot.chat.router import Router
from core.clock import Clock
from core.holidays import VietnamHolidays
from core.model import NewMessage
from core.ports import Memory, UnitOfWork, UnitOfWorkFactory
from core.privacy import FAREWELL
from core.triage import Triage

log = logging.getLogger(__name__)


class NotStored(Exception):
    """Nothing of the event could be stored, not even an apology (the database is down):
    a channel that can have the update delivered again should."""


class Conversation:
    def __init__(
        self,
        router: Router,
        uow_factory: UnitOfWorkFactory,
        catalogues: Catalogues,
        clock: Clock,
        holidays: VietnamHolidays,
        default_locale: str,
        default_lead: int,
        triage: Triage,
        button_channels: frozenset[str] = frozenset(),
    ) -> None:
        self.router = router
        self.uow_factory = uow_factory
        self.catalogues = catalogues
        self.clock = clock
        self.holidays = holidays
        self.default_locale = default_locale
        self.default_lead = default_lead
        self.triage = triage
        self.button_channels = button_channels  # where options are buttons, not numbers

    async def handle(self, event: Incoming) -> list[Reply]:
        """Answer the event. The resident's state and the answer's effects are saved together,
        so a crash leaves either both or neither; when nothing at all can be saved, raise
        `NotStored`."""
        sender = event.sender
        try:
            async with self.uow_factory() as uow:
                if event.key is not None and not await uow.inbox.first_time(
                    sender.channel, event.key
                ):
                    return []
                resident = await uow.residents.seen(
                    sender.channel, sender.id, sender.display_name, sender.language
                )
                memory = await uow.dialogues.recall(resident.id)
                language = self.catalogues.pick(
                    resident.language, resident.platform_language, self.default_locale
                )
                ctx = Context(
                    uow=uow,
                    resident=resident,
                    catalogues=self.catalogues,
                    language=language,
                    now=self.clock.now(),
                    holidays=self.holidays,
                    default_lead=self.default_lead,
                    default_language=self.default_locale,
                    triage=self.triage,
                    dialogue=memory.dialogue,
                    features=self.router.features,
                    offered=await self._offered(uow, event),
                    buttons=sender.channel in self.button_channels,
                )
                if not self.router.takes_numbers(ctx.dialogue):
                    event = _answer_as_choice(event, ctx.offered)
                await self.router.dispatch(ctx, event)
                await uow.dialogues.remember(resident.id, Memory(ctx.dialogue))
                kind = FAREWELL if ctx.erased else "reply"
                for reply in ctx.replies:
                    await uow.outbox.add(self._answer(event, resident.id, reply, kind))
                await uow.commit()
                return ctx.replies
        except Exception as error:
            failure = error
        # When not even the apology can be stored, the database is away: the channel, trying
        # again, tells of that once; a traceback an update would flood the log meanwhile.
        apology = await self._apologise(event)
        log.error(
            "could not answer %s from %s:%s",
            event.kind,
            sender.channel,
            sender.id,
            exc_info=failure,
        )
        return apology

    @staticmethod
    async def _offered(uow: UnitOfWork, event: Incoming) -> tuple[Choice, ...]:
        """The options typed text may answer: those of the chat's latest message. Only text
        can answer them, so nothing else pays for looking."""
        if event.kind is not Kind.TEXT:
            return ()
        found = await uow.outbox.last_choices(event.sender.channel, event.reply_to)
        return tuple(Choice(label, data) for label, data in found)

    async def _apologise(self, event: Incoming) -> list[Reply]:
        """Tell the resident something broke; if even that cannot be queued, give up quietly."""
        language = self.catalogues.pick(None, event.sender.language, self.default_locale)
        _ = self.catalogues.get(language).gettext
        sorry = Reply(_("Sorry, something went wrong on our side. Please try again in a moment."))
        try:
            async with self.uow_factory() as uow:
                await uow.outbox.add(self._answer(event, None, sorry))
                await uow.commit()
        except Exception as error:
            raise NotStored() from error
        return [sorry]

    @staticmethod
    def _answer(
        event: Incoming, resident_id: int | None, reply: Reply, kind: str = "reply"
    ) -> NewMessage:
        return NewMessage.worded(
            kind, event.sender.channel, event.reply_to, reply.worded(), resident_id=resident_id
        )


def _answer_as_choice(event: Incoming, offered: tuple[Choice, ...]) -> Incoming:
    """Text that picks one of the options standing (its number, its words) presses it."""
    choice = picked(event.text, offered) if event.kind is Kind.TEXT else None
    if choice is None:
        return event
    return replace(event, kind=Kind.CHOICE, choice=choice.data, text="")
