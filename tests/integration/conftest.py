"""Fixtures for conversations: the demo wards, and people who talk to the bot."""

from __future__ import annotations

import io
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from bot.channels.console.messenger import ConsoleMessenger
from bot.chat.conversation import Conversation
from bot.chat.events import Incoming, Kind, Sender
from bot.chat.i18n import Catalogues
from bot.chat.replies import Reply
from bot.features.calls.wording import CallWording
from core import organising
from core.mobilisation import CallDraft, CallKind
from core.ports import UnitOfWorkFactory
from core.seeding import apply_seed, parse_seed
from scheduler.dispatcher import Dispatcher, Route
from scheduler.pacing import Pace, Pacer
from tests.support import FixedClock
from urbanbell.app import build_conversation
from urbanbell.cli import DEMO_SEED
from urbanbell.settings import Settings

ADMIN = "9002"  # Anh Tuấn, admin of Ninh Kiều in the demo seed: may call volunteers


class Person:
    """A resident typing to the bot, as on a channel that numbers its options.

    After each message the console's dispatcher delivers whatever is due, as it does while
    someone chats: what was delivered is what a number typed next answers.
    """

    def __init__(
        self,
        conversation: Conversation,
        id: str = "42",
        language: str | None = "en",
        channel: str = "console",
    ):
        self.conversation = conversation
        self.sender = Sender(channel, id, "Cô Ba", language)
        self.last: list[Reply] = []

    async def says(self, text: str) -> str:
        return await self.handle(Incoming.from_text(self.sender, text))

    async def presses(self, data: str) -> str:
        return await self.handle(Incoming(self.sender, Kind.CHOICE, choice=data))

    async def handle(self, event: Incoming) -> str:
        self.last = await self.conversation.handle(event)
        await deliver(self.conversation)
        return self.text

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.last)

    @property
    def options(self) -> list[str]:
        return [c.label for r in self.last for c in r.choices]

    def option_data(self) -> list[str]:
        return [c.data for r in self.last for c in r.choices]


async def deliver(conversation: Conversation) -> str:
    """Send every console message due by the conversation's clock; say what was printed."""
    printed = io.StringIO()
    with tempfile.TemporaryDirectory() as files:  # where the console saves files it is sent
        route = Route(ConsoleMessenger(printed, Path(files)), Pacer(Pace()))
        dispatcher = Dispatcher(conversation.uow_factory, {"console": route}, conversation.clock)
        while await dispatcher.send_due():
            pass
    return printed.getvalue()


async def open_call(seeded: UnitOfWorkFactory, clock: FixedClock, title: str) -> None:
    """Anh Tuấn, admin of Ninh Kiều, calls its whole ward to a clean-up tomorrow."""
    async with seeded() as uow:
        admin = await uow.officers.of_person("telegram", ADMIN)
        starts = clock.now() + timedelta(days=1)
        draft = CallDraft(
            ward_id=admin[0].ward.id,
            kind=CallKind.CLEAN_UP,
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            slots=5,
        )
        whole_ward = [alley.id for alley in await uow.alleys.in_ward(draft.ward_id)]
        wording = CallWording(Catalogues(), "vi", clock.now())
        await organising.open_call(uow, admin, draft, whole_ward, clock.now(), wording)
        await uow.commit()


@pytest.fixture
async def seeded(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    async with uow_factory() as uow:
        await apply_seed(
            uow, parse_seed(yaml.safe_load(DEMO_SEED.read_text())), "Asia/Ho_Chi_Minh"
        )
        await uow.commit()
    return uow_factory


def converse(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> Conversation:
    return build_conversation(Settings(), uow_factory, Catalogues(), clock)


@pytest.fixture
def conversation(seeded: UnitOfWorkFactory, clock: FixedClock) -> Conversation:
    return converse(seeded, clock)
