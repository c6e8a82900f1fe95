"""What a handler gets: the resident, their language, the unit of work, and where to answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from bot.chat.dialogue import StaleDialogue, dump, load
from bot.chat.i18n import Catalogues
from bot.chat.replies import Choice, Document, Picture, Reply
from core.holidays import VietnamHolidays
from core.model import DialogueState, Officer, Resident, Role
from core.ports import UnitOfWork
from core.triage import Triage

if TYPE_CHECKING:
    from bot.chat.table import Feature

# Telegram's stand-ins for someone hidden: the anonymous group admin and channel posts. Whoever
# writes through them, it is nobody in particular, so never an officer.
T = TypeVar("T")
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
    features: tuple[Feature, ...] = ()  # the command table, for /help
    offered: tuple[Choice, ...] = ()  # the options standing: what a typed answer picks
    buttons: bool = False  # the channel shows options as buttons; else they are numbered
    interrupted: DialogueState | None = None  # the dialogue a command has just left
    replies: list[Reply] = field(default_factory=list)
    erased: bool = False  # the resident had themself erased: the replies are the last ones
    _officers: list[Officer] | None = None

    async def officers(self) -> list[Officer]:
        """The person's roles in wards, looked up once per event."""
        if self._officers is None:
            # In the terminal, a seed's `console_id` is the `--user` of `urbanbell console`.
            identity = (self.resident.channel, self.resident.external_id)
            found = [] if identity in NOT_PEOPLE else await self.uow.officers.of_person(*identity)
            self._officers = found
        return self._officers

    async def roles(self) -> frozenset[Role]:
        """Every role the person holds, in any ward."""
        return frozenset(o.role for o in await self.officers())

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

    def pressing(self, choices: list[Choice] | tuple[Choice, ...], label: str) -> str:
        """How to pick the option so labelled, in the channel's terms: press its button, or
        type its number."""
        if self.buttons:
            return self._("press “{option}”").format(option=label)
        number = next(n for n, choice in enumerate(choices, 1) if choice.label == label)
        return self._("type {number} (“{option}”)").format(number=number, option=label)

    def begin(self, name: str, step: str, data: object | None = None) -> None:
        """Open a dialogue at `step`; its data (a dataclass) is kept between messages."""
        self.dialogue = DialogueState(name, step, dump(data) if data is not None else {})

    def data(self, kind: type[T]) -> T:
        """The open dialogue's data, as the dataclass it was kept from."""
        if self.dialogue is None:
            raise StaleDialogue(f"{kind.__name__}: no dialogue is open")
        return load(kind, self.dialogue.data)

    def keep(self, data: object, step: str | None = None) -> None:
        """Keep the dialogue's changed data, and move it on to `step` when given."""
        if self.dialogue is None:
            raise StaleDialogue(f"{type(data).__name__}: no dialogue is open")
        self.dialogue.data = dump(data)
        if step is not None:
            self.dialogue.step = step

    def end(self) -> None:
        self.dialogue = None
