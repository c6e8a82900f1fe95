"""What a handler gets: the resident, their language, the unit of work, and where to answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from urbanbell.bot.i18n import Catalogues
from urbanbell.bot.replies import Choice, Document, Picture, Reply
from urbanbell.core.holidays import VietnamHolidays
from urbanbell.core.model import DialogueState, Officer, Resident
from urbanbell.core.ports import UnitOfWork
from urbanbell.core.triage import Triage

# Telegram's stand-ins for someone hidden: the anonymous group admin and channel posts. Whoever
# writes through them, it is nobody in particular, so never an officer.
NOT_PEOPLE = frozenset({("telegram", "1087968824"), ("telegram", "777000")})


@dataclass
class Context:
    uow: UnitOfWork
    resident: Resident
    catalogues: Catalogues
    language: str
    now: datetime
    holidays: VietnamHolidays
    default_lead: int
    default_language: str
    triage: Triage
    dialogue: DialogueState | None
    offered: tuple[Choice, ...] = ()  # the options of the bot's previous message
    interrupted: DialogueState | None = None  # the dialogue a command has just left
    replies: list[Reply] = field(default_factory=list)
    _officers: list[Officer] | None = None

    async def officers(self) -> list[Officer]:
        """The person's roles in wards, looked up once per event."""
        if self._officers is None:
            identity = officer_identity(self.resident)
            found = [] if identity in NOT_PEOPLE else await self.uow.officers.of_person(*identity)
            self._officers = found
        return self._officers

    def _(self, message: str) -> str:
        return self.catalogues.get(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.catalogues.get(self.language).ngettext(singular, plural, n)

    def say(
        self,
        text: str,
        choices: list[Choice] | tuple[Choice, ...] = (),
        document: Document | None = None,
        picture: Picture | None = None,
    ) -> None:
        self.replies.append(Reply(text, tuple(choices), document, picture=picture))

    def begin(self, name: str, step: str, **data: object) -> None:
        self.dialogue = DialogueState(name, step, dict(data))

    def end(self) -> None:
        self.dialogue = None


def officer_identity(resident: Resident) -> tuple[str, str]:
    """The (channel, id) under which officers are seeded for this person.

    The console stands in for Telegram: its `--user` is a Telegram user id, so that a seeded
    officer can try their work in the terminal.
    """
    channel = "telegram" if resident.channel == "console" else resident.channel
    return channel, resident.external_id
