"""Volunteering joins the ward's figures: /stats for officers, /indicators for residents."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.chat.conversation import Conversation
from core import organising, volunteers
from core.mobilisation import Attendance, CallDraft, CallKind, Measure
from core.ports import UnitOfWorkFactory
from tests.conftest import WARD_ZONE
from tests.integration.conftest import Person
from tests.integration.test_volunteers import NOTICES
from tests.support import FixedClock

ADMIN = "9002"  # Anh Tuấn, admin of Ninh Kiều in the demo seed: may call volunteers
STARTS = datetime(2026, 11, 30, 14, 0, tzinfo=WARD_ZONE)


async def _a_clean_up_held(seeded: UnitOfWorkFactory, clock: FixedClock) -> None:
    """Two residents join a clean-up in Ninh Kiều; one comes, for three hours."""
    async with seeded() as uow:
        admin = await uow.officers.of_person("telegram", ADMIN)
        whole_ward = [alley.id for alley in await uow.alleys.in_ward(admin[0].ward.id)]
        call, _ = await organising.open_call(
            uow,
            admin,
            CallDraft(
                ward_id=admin[0].ward.id,
                kind=CallKind.CLEAN_UP,
                title="Dọn hẻm 51",
                starts_at=STARTS,
                ends_at=STARTS + timedelta(hours=3),
                slots=5,
                place="Hẻm 51",
            ),
            whole_ward,
            clock.now(),
            NOTICES,
        )
        came = []
        for number in ("501", "502"):
            resident = await uow.residents.seen("telegram", number, None, "vi")
            await volunteers.join(uow, resident.id, call.id, clock.now(), NOTICES)
            came.append(resident.id)
        await uow.commit()
    clock.move(STARTS + timedelta(hours=4) - clock.now())
    async with seeded() as uow:
        await organising.close_call(
            uow,
            admin,
            call.id,
            {Measure.GARBAGE_KG: 85.0},
            Attendance(frozenset(came[:1]), 3.0),
            clock.now(),
            NOTICES,
        )
        await uow.commit()


async def test_stats_and_indicators_count_calls_turnout_hours_and_results(
    conversation: Conversation, seeded: UnitOfWorkFactory, clock: FixedClock
) -> None:
    resident = Person(conversation, "42")
    await resident.says("/start nk-hem-51")
    assert "no call was closed" in await resident.says("/indicators")

    await _a_clean_up_held(seeded, clock)

    officer = Person(conversation, ADMIN)
    await officer.says("/stats")
    assert "1 call held; turnout 1 of 2 (50%); 3 hours given." in officer.text
    assert "85 kg of garbage collected" in officer.text
    await resident.says("/indicators")
    assert "1 call held; turnout 1 of 2 (50%)" in resident.text
    assert "501" not in resident.text  # figures only, never who
