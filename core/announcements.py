"""Officers announce to the followers of alleys; the officer is told how the sending goes.

Each resident's copy is an outbox message keyed `announce:<id>:<resident>`: queued once, sent
once by the dispatcher (which takes back what a crashed sender held), and counted by the
announcement it belongs to.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from core.errors import AlleyNotFound, NobodyToTell, NotAllowed, TextTooLong
from core.mobilisation import (
    MAX_TEXT,
    MAY_ANNOUNCE,
    Announcement,
    Delivered,
    Recipient,
)
from core.model import Alley, NewMessage, Officer, Ward, Worded
from core.ports import UnitOfWork

BROADCAST = "broadcast"
WRITE_AT_ONCE = 2_000
PROGRESS_EVERY = timedelta(minutes=2)


class AnnouncementNotices(Protocol):
    def announcement(self, ward: Ward, text: str, to: Recipient) -> Worded:
        """To a resident: the officer's text, exactly as written."""
        ...

    def progress(self, announcement: Announcement, so_far: Delivered) -> Worded:
        """To the officer who sent it: how far the sending has come."""
        ...

    def summary(self, announcement: Announcement, outcome: Delivered) -> Worded:
        """To the officer who sent it: every message has ended, and how."""
        ...


def announcer_in(officers: Sequence[Officer], ward_id: int) -> Officer:
    """The person's role that lets them announce in the ward, or NotAllowed."""
    for officer in officers:
        if officer.ward.id == ward_id and officer.role in MAY_ANNOUNCE:
            return officer
    raise NotAllowed()


def key_prefix(announcement_id: int) -> str:
    return f"announce:{announcement_id}:"


async def audience_alleys(uow: UnitOfWork, ward_id: int, alley_ids: Collection[int]) -> list[int]:
    """The alleys to tell: those given, which must be the ward's, or all of the ward's."""
    ward_alleys = [alley.id for alley in await uow.alleys.in_ward(ward_id)]
    if not alley_ids:
        return ward_alleys
    unknown = set(alley_ids) - set(ward_alleys)
    if unknown:
        raise AlleyNotFound(str(min(unknown)))
    return sorted(alley_ids)


async def ward_alleys(uow: UnitOfWork, ward_id: int) -> list[Alley]:
    """The ward's alleys, whose followers a call or an announcement may go to."""
    return await uow.alleys.in_ward(ward_id)


async def muted(uow: UnitOfWork, resident_id: int) -> bool:
    """Whether the resident has switched the ward's announcements off."""
    return await uow.announcements.muted(resident_id)


async def set_muted(uow: UnitOfWork, resident_id: int, muted: bool) -> None:
    """Switch announcements off (or on again); the bell rings either way."""
    await uow.announcements.set_muted(resident_id, muted)


async def audience_size(
    uow: UnitOfWork, officers: Sequence[Officer], ward_id: int, alley_ids: Collection[int]
) -> tuple[int, int]:
    """How many residents would hear it, and how many more have muted announcements."""
    announcer_in(officers, ward_id)
    return await uow.announcements.audience_size(await audience_alleys(uow, ward_id, alley_ids))


async def announce(
    uow: UnitOfWork,
    officers: Sequence[Officer],
    ward_id: int,
    alley_ids: Collection[int],
    text: str,
    where: tuple[str, str],
    language: str,
    notices: AnnouncementNotices,
) -> Announcement:
    """Queue the text to every listening follower of the alleys (of the whole ward when none
    are given); `where` and `language` are the officer's, for the progress and summary."""
    officer = announcer_in(officers, ward_id)
    if len(text) > MAX_TEXT:
        raise TextTooLong(MAX_TEXT)
    audience = await uow.announcements.audience(await audience_alleys(uow, ward_id, alley_ids))
    if not audience:
        raise NobodyToTell()
    announcement = await uow.announcements.add(
        ward_id, officer.id, text, len(audience), where, language
    )
    prefix = key_prefix(announcement.id)
    for start in range(0, len(audience), WRITE_AT_ONCE):
        await uow.outbox.add_new(
            [
                NewMessage.worded(
                    BROADCAST,
                    r.channel,
                    r.chat_id,
                    notices.announcement(announcement.ward, text, r),
                    resident_id=r.resident_id,
                    key=f"{prefix}{r.resident_id}",
                    announcement_id=announcement.id,
                )
                for r in audience[start : start + WRITE_AT_ONCE]
            ]
        )
    return announcement


async def follow_up(uow: UnitOfWork, now: datetime, notices: AnnouncementNotices) -> int:
    """Tell officers how their announcements go: a summary once every message has ended,
    and now and then the progress of a long one. Say how many were finished."""
    finished = 0
    for announcement in await uow.announcements.unfinished():
        outcome = await uow.announcements.outcomes(announcement.id)
        if outcome.done:
            await _tell(uow, announcement, "done", notices.summary(announcement, outcome))
            await uow.announcements.mark(announcement.id, finished_at=now)
            finished += 1
            continue
        last = announcement.progress_at or announcement.created_at
        if now - last >= PROGRESS_EVERY:
            # Keyed by how far it has come: a line the officer already read is not told again.
            ended = outcome.delivered + outcome.blocked + outcome.failed + outcome.uncertain
            step = f"progress:{ended}"
            await _tell(uow, announcement, step, notices.progress(announcement, outcome))
            await uow.announcements.mark(announcement.id, progress_at=now)
    return finished


async def _tell(uow: UnitOfWork, announcement: Announcement, step: str, words: Worded) -> None:
    await uow.outbox.add_new(
        [
            NewMessage.worded(
                "notice",
                announcement.channel,
                announcement.chat_id,
                words,
                key=f"announced:{announcement.id}:{step}",
            )
        ]
    )
