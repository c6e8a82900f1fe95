"""Erasing a resident: their personal data goes, the ward's figures stay true.

The resident's row stays as an anonymous stand-in that their reports (and past sign-ups) still
point to, so that every count, time and rating of the indicators is unchanged; a message from
the same person later makes a new resident.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import Text, cast, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.model import OutboxStatus
from storage.models import (
    DialogueStateRow,
    OfferRow,
    OutboxRow,
    ReportEventRow,
    ReportPhotoRow,
    ReportRow,
    ResidentRow,
    SignupRow,
    SubscriptionRow,
    VolunteerCallRow,
)
from storage.shared import Now

ERASED = "erased-"  # the stand-in's external id: "erased-<resident id>"
QUOTED = 40  # characters of a description that a message to officers may have quoted
UNSENT = (OutboxStatus.PENDING.value, OutboxStatus.SENDING.value)


class PrivacyRepository:
    def __init__(self, session: AsyncSession, now: Now) -> None:
        self.session = session
        self.now = now

    async def erase(self, resident_id: int) -> None:
        """Erase what is kept about the resident; their reports stay, anonymised."""
        resident = await self.session.get(ResidentRow, resident_id, with_for_update=True)
        if resident is None or resident.external_id.startswith(ERASED):
            return
        reports = list(
            await self.session.scalars(
                select(ReportRow).where(ReportRow.resident_id == resident_id)
            )
        )
        report_ids = [r.id for r in reports]
        photos = list(
            await self.session.scalars(
                select(ReportPhotoRow.file_ref).where(ReportPhotoRow.report_id.in_(report_ids))
            )
        )
        traces = [resident.display_name, resident.phone, *photos]
        traces += [r.description[:QUOTED] for r in reports if len(r.description) >= 8]
        await self._forget_messages(resident, [t for t in traces if t])
        await self.session.execute(
            delete(ReportPhotoRow).where(ReportPhotoRow.report_id.in_(report_ids))
        )
        await self.session.execute(
            update(ReportEventRow)
            .where(ReportEventRow.report_id.in_(report_ids))
            .values(note=None)
        )
        await self.session.execute(
            update(ReportRow)
            .where(ReportRow.id.in_(report_ids))
            .values(description="", latitude=None, longitude=None, anonymous=True)
        )
        for table in (SubscriptionRow, OfferRow, DialogueStateRow):
            await self.session.execute(delete(table).where(table.resident_id == resident_id))
        # Sign-ups to calls still ahead go; those of calls held stay in their figures.
        ahead = select(VolunteerCallRow.id).where(VolunteerCallRow.starts_at > self.now())
        await self.session.execute(
            delete(SignupRow).where(
                SignupRow.resident_id == resident_id, SignupRow.call_id.in_(ahead)
            )
        )
        resident.external_id = f"{ERASED}{resident.id}"
        resident.display_name = None
        resident.phone = None
        resident.language = None
        resident.platform_language = None
        resident.active = False
        resident.muted_announcements = True
        await self.session.flush()

    async def _forget_messages(self, resident: ResidentRow, traces: Iterable[str]) -> None:
        """Unsent messages to the resident go; sent ones, and those to officers that quoted
        them, keep only how they ended."""
        theirs = or_(
            OutboxRow.resident_id == resident.id,
            (OutboxRow.channel == resident.channel) & (OutboxRow.chat_id == resident.external_id),
        )
        await self.session.execute(delete(OutboxRow).where(theirs, OutboxRow.status.in_(UNSENT)))
        await self.session.execute(
            update(OutboxRow).where(theirs).values(chat_id="", payload={}, options=[])
        )
        text = cast(OutboxRow.payload, Text)
        for trace in traces:
            # JSON keeps non-ASCII letters escaped: look for the trace as it is stored.
            for form in {trace, json.dumps(trace)[1:-1]}:
                quoting = text.contains(form, autoescape=True)
                await self.session.execute(
                    update(OutboxRow)
                    .where(quoting, OutboxRow.status.in_(UNSENT))
                    .values(status=OutboxStatus.SKIPPED.value, claimed_until=None)
                )
                await self.session.execute(
                    update(OutboxRow).where(quoting).values(payload={}, options=[])
                )
