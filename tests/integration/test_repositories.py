"""Repositories against real SQLite and PostgreSQL: what goes in comes back out the same."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import DateTime, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from core.model import (
    Alley,
    CollectionException,
    CollectionRule,
    DialogueState,
    ExceptionAction,
    HolidayPolicy,
    Role,
    Ward,
)
from core.ports import Memory
from storage.models import CollectionRuleRow, ResidentRow
from tests.conftest import UnitOfWorkFactory
from tests.support import FixedClock

ZONE = "Asia/Ho_Chi_Minh"
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
EVENINGS = CollectionRule(frozenset({MON, WED, FRI}), time(18, 0))
SATURDAY_AFTERNOON = CollectionRule(frozenset({SAT}), time(16, 0))
CHRISTMAS_SKIPPED = CollectionException(date(2026, 12, 25), ExceptionAction.SKIP)
NEW_YEAR_MOVED = CollectionException(
    date(2027, 1, 2), ExceptionAction.MOVE, datetime(2027, 1, 3, 7, 0)
)


async def _ward(uow_factory: UnitOfWorkFactory, code: str = "ninh-kieu") -> Ward:
    async with uow_factory() as uow:
        ward, _ = await uow.wards.upsert(code, f"Phường {code}", ZONE, HolidayPolicy.SKIP)
        await uow.commit()
    return ward


async def _alley(
    uow_factory: UnitOfWorkFactory,
    ward: Ward,
    code: str,
    name: str,
    rules: tuple[CollectionRule, ...] = (EVENINGS,),
) -> Alley:
    async with uow_factory() as uow:
        alley, _ = await uow.alleys.upsert(ward, code, name, None, rules, ())
        await uow.commit()
    return alley


async def test_a_ward_upsert_is_a_change_on_create_and_on_change_but_not_when_identical(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        created, created_changed = await uow.wards.upsert(
            "ninh-kieu", "Phường Ninh Kiều", ZONE, HolidayPolicy.SKIP
        )
        await uow.commit()
    async with uow_factory() as uow:
        same, same_changed = await uow.wards.upsert(
            "ninh-kieu", "Phường Ninh Kiều", ZONE, HolidayPolicy.SKIP
        )
        updated, updated_changed = await uow.wards.upsert(
            "ninh-kieu", "Phường Ninh Kiều (mới)", ZONE, HolidayPolicy.SHIFT
        )
        await uow.commit()

    assert (created_changed, same_changed, updated_changed) == (True, False, True)
    assert created.id == same.id == updated.id
    async with uow_factory() as uow:
        assert await uow.wards.by_code("ninh-kieu") == updated
        assert updated.name == "Phường Ninh Kiều (mới)"
        assert updated.holiday_policy is HolidayPolicy.SHIFT
        assert await uow.wards.by_code("thuan-hung") is None


async def test_an_alley_upsert_is_a_change_on_create_and_on_change_but_not_when_identical(
    uow_factory: UnitOfWorkFactory,
) -> None:
    ward = await _ward(uow_factory)
    other_ward = await _ward(uow_factory, "thuan-hung")
    name = "Hẻm 51 Đường 3 Tháng 2"
    location = (10.0299, 105.7706)
    rules = (EVENINGS, SATURDAY_AFTERNOON)
    exceptions = (CHRISTMAS_SKIPPED, NEW_YEAR_MOVED)

    async with uow_factory() as uow:
        created, created_changed = await uow.alleys.upsert(
            ward, "nk-hem-51", name, location, rules, exceptions
        )
        await uow.commit()
    changes: dict[str, bool] = {}
    async with uow_factory() as uow:
        upsert = uow.alleys.upsert
        _, changes["identical"] = await upsert(
            ward, "nk-hem-51", name, location, rules, exceptions
        )
        _, changes["reordered"] = await upsert(
            ward, "nk-hem-51", name, location, rules[::-1], exceptions[::-1]
        )
        _, changes["renamed"] = await upsert(
            ward, "nk-hem-51", "Hẻm 51", location, rules, exceptions
        )
        _, changes["moved"] = await upsert(ward, "nk-hem-51", "Hẻm 51", None, rules, exceptions)
        _, changes["new time"] = await upsert(
            ward, "nk-hem-51", "Hẻm 51", None, (EVENINGS,), exceptions
        )
        _, changes["no exceptions"] = await upsert(
            ward, "nk-hem-51", "Hẻm 51", None, (EVENINGS,), ()
        )
        updated, changes["other ward"] = await upsert(
            other_ward, "nk-hem-51", "Hẻm 51", None, (EVENINGS,), ()
        )
        await uow.commit()

    assert created_changed
    assert changes == {
        "identical": False,
        "reordered": False,
        "renamed": True,
        "moved": True,
        "new time": True,
        "no exceptions": True,
        "other ward": True,
    }
    assert updated.id == created.id
    async with uow_factory() as uow:
        assert await uow.alleys.by_code("nk-hem-51") == updated
        assert updated.ward == other_ward
        assert await uow.alleys.in_ward(ward.id) == []
        assert await uow.alleys.in_ward(other_ward.id) == [updated]


async def test_an_alley_keeps_its_location(uow_factory: UnitOfWorkFactory) -> None:
    ward = await _ward(uow_factory)
    async with uow_factory() as uow:
        await uow.alleys.upsert(ward, "nk-hem-51", "Hẻm 51", (10.0299, 105.7706), (), ())
        await uow.commit()
    async with uow_factory() as uow:
        alley = await uow.alleys.by_code("nk-hem-51")
    assert alley is not None
    assert alley.location == pytest.approx((10.0299, 105.7706))


async def test_alley_candidates_hold_every_folded_word(uow_factory: UnitOfWorkFactory) -> None:
    ward = await _ward(uow_factory)
    hem_51 = await _alley(uow_factory, ward, "nk-hem-51", "Hẻm 51 Đường 3 Tháng 2")
    hem_132 = await _alley(uow_factory, ward, "nk-hem-132", "Hẻm 132 Đường 3 Tháng 2")
    mau_than = await _alley(uow_factory, ward, "nk-hem-14", "Hẻm 14 Đường Mậu Thân")

    async with uow_factory() as uow:
        three_two = await uow.alleys.containing(["hem", "duong", "3", "thang", "2"])
        mau = await uow.alleys.containing(["mau", "than"])
        by_code = await uow.alleys.containing(["nk", "14"])
        none = await uow.alleys.containing(["hem", "99"])
        everything = await uow.alleys.containing([])

    assert three_two == [
        (hem_132, "hem 132 duong 3 thang 2 nk hem 132"),
        (hem_51, "hem 51 duong 3 thang 2 nk hem 51"),
    ]
    assert [alley for alley, _ in mau] == [mau_than]
    assert [alley for alley, _ in by_code] == [mau_than]
    assert none == []
    assert [alley for alley, _ in everything] == [hem_132, mau_than, hem_51]


@pytest.mark.parametrize("wildcard", ["%", "_", "h_m", "h%51"])
async def test_alley_candidates_take_like_wildcards_literally(
    uow_factory: UnitOfWorkFactory, wildcard: str
) -> None:
    ward = await _ward(uow_factory)
    await _alley(uow_factory, ward, "nk-hem-51", "Hẻm 51 Đường 3 Tháng 2")
    async with uow_factory() as uow:
        assert await uow.alleys.containing([wildcard]) == []


async def test_a_schedule_comes_back_as_it_was_stored(uow_factory: UnitOfWorkFactory) -> None:
    ward = await _ward(uow_factory)
    daily = CollectionRule(frozenset(range(7)), time(5, 45))
    weekend = CollectionRule(frozenset({SAT, SUN}), time(16, 30))
    async with uow_factory() as uow:
        alley, _ = await uow.alleys.upsert(
            ward,
            "nk-hem-51",
            "Hẻm 51",
            None,
            (EVENINGS, weekend, daily),
            (NEW_YEAR_MOVED, CHRISTMAS_SKIPPED),
        )
        await uow.commit()

    async with uow_factory() as uow:
        schedule = await uow.alleys.schedule(alley)
        masks = await uow.session.scalars(
            select(CollectionRuleRow.weekdays).order_by(CollectionRuleRow.at)
        )
        stored_masks = list(masks)

    assert schedule.alley == alley
    assert schedule.rules == (daily, weekend, EVENINGS)  # by time of day
    assert schedule.exceptions == (CHRISTMAS_SKIPPED, NEW_YEAR_MOVED)  # by date
    assert schedule.exceptions[1].moved_to == datetime(2027, 1, 3, 7, 0)
    assert schedule.exceptions[1].moved_to.tzinfo is None  # a local time of the ward
    # Bit 0 is Monday.
    assert stored_masks == [0b1111111, 0b1100000, 0b0010101]


async def test_a_new_resident_is_created_active_without_a_saved_language(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        resident = await uow.residents.seen("telegram", "42", "Chị Mai", "en")
        await uow.commit()
    async with uow_factory() as uow:
        again = await uow.residents.seen("telegram", "42", None, None)

    assert resident.id == again.id
    assert (resident.channel, resident.external_id) == ("telegram", "42")
    assert resident.display_name == again.display_name == "Chị Mai"
    assert resident.language is None
    assert resident.platform_language == again.platform_language == "en"
    assert resident.active and again.active


async def test_the_same_id_on_another_channel_is_another_resident(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        on_telegram = await uow.residents.seen("telegram", "42", None, None)
        on_zalo = await uow.residents.seen("zalo", "42", None, None)
        await uow.commit()
    assert on_telegram.id != on_zalo.id


async def test_a_resident_who_writes_again_is_active_again(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        resident = await uow.residents.seen("telegram", "42", None, None)
        await uow.commit()
    async with uow_factory() as uow:
        await uow.residents.deactivate(resident.id)  # they blocked the bot
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.session.get_one(ResidentRow, resident.id)).active is False
        back = await uow.residents.seen("telegram", "42", None, None)
        await uow.commit()
    assert back.id == resident.id
    assert back.active


async def test_a_saved_language_outlives_a_new_platform_language(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        resident = await uow.residents.seen("telegram", "42", None, "en")
        await uow.residents.set_language(resident.id, "vi")
        await uow.commit()
    async with uow_factory() as uow:
        seen = await uow.residents.seen("telegram", "42", None, "de")
        await uow.commit()
    assert seen.language == "vi"
    assert seen.platform_language == "de"


async def test_a_subscription_is_found_listed_changed_and_removed(
    uow_factory: UnitOfWorkFactory,
) -> None:
    ward = await _ward(uow_factory)
    hem_51 = await _alley(uow_factory, ward, "nk-hem-51", "Hẻm 51")
    hem_132 = await _alley(uow_factory, ward, "nk-hem-132", "Hẻm 132")
    async with uow_factory() as uow:
        resident = await uow.residents.seen("telegram", "42", None, None)
        neighbour = await uow.residents.seen("telegram", "43", None, None)
        to_51 = await uow.subscriptions.add(resident.id, hem_51, 15)
        to_132 = await uow.subscriptions.add(resident.id, hem_132, 30)
        await uow.subscriptions.add(neighbour.id, hem_51, 10)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.subscriptions.find(resident.id, hem_51.id) == to_51
        assert await uow.subscriptions.get(to_132.id) == to_132
        assert await uow.subscriptions.of_resident(resident.id) == [to_132, to_51]  # by name
        await uow.subscriptions.set_lead(to_51.id, 60)
        await uow.subscriptions.remove(to_132.id)
        await uow.commit()

    async with uow_factory() as uow:
        found = await uow.subscriptions.find(resident.id, hem_51.id)
        assert found is not None
        assert found.lead_minutes == 60
        assert found.alley == hem_51
        assert await uow.subscriptions.find(resident.id, hem_132.id) is None
        assert await uow.subscriptions.get(to_132.id) is None
        assert [s.alley for s in await uow.subscriptions.of_resident(resident.id)] == [hem_51]
        assert len(await uow.subscriptions.of_resident(neighbour.id)) == 1
        assert await uow.subscriptions.of_resident(resident.id + neighbour.id + 1) == []


async def test_a_resident_follows_an_alley_only_once(uow_factory: UnitOfWorkFactory) -> None:
    ward = await _ward(uow_factory)
    alley = await _alley(uow_factory, ward, "nk-hem-51", "Hẻm 51")
    async with uow_factory() as uow:
        resident = await uow.residents.seen("telegram", "42", None, None)
        await uow.subscriptions.add(resident.id, alley, 15)
        await uow.commit()

    async with uow_factory() as uow:
        with pytest.raises(IntegrityError):
            await uow.subscriptions.add(resident.id, alley, 30)

    async with uow_factory() as uow:
        kept = await uow.subscriptions.of_resident(resident.id)
    assert [s.lead_minutes for s in kept] == [15]


async def test_a_resident_without_a_conversation_recalls_an_empty_memory(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        resident = await uow.residents.seen("telegram", "42", None, None)
        assert await uow.dialogues.recall(resident.id) == Memory()


async def test_a_remembered_dialogue_is_recalled(
    uow_factory: UnitOfWorkFactory,
) -> None:
    memory = Memory(
        DialogueState("report", "describe", {"category": "litter", "photos": 2, "anon": True}),
    )
    async with uow_factory() as uow:
        resident = await uow.residents.seen("telegram", "42", None, None)
        await uow.dialogues.remember(resident.id, memory)
        await uow.commit()
    async with uow_factory() as uow:
        recalled = await uow.dialogues.recall(resident.id)
        await uow.dialogues.remember(resident.id, Memory(None))
        await uow.commit()
    async with uow_factory() as uow:
        forgotten = await uow.dialogues.recall(resident.id)

    assert recalled == memory
    assert forgotten == Memory(None)


async def test_a_person_is_officer_of_each_ward_that_lists_them(
    uow_factory: UnitOfWorkFactory,
) -> None:
    thuan_hung = await _ward(uow_factory, "thuan-hung")
    ninh_kieu = await _ward(uow_factory, "ninh-kieu")
    async with uow_factory() as uow:
        in_ninh_kieu, created = await uow.officers.upsert(
            ninh_kieu, "telegram", "9001", Role.OFFICER, "Chị Lan"
        )
        _, identical = await uow.officers.upsert(
            ninh_kieu, "telegram", "9001", Role.OFFICER, "Chị Lan"
        )
        in_thuan_hung, _ = await uow.officers.upsert(
            thuan_hung, "telegram", "9001", Role.ORGANISER, "Chị Lan"
        )
        promoted, promoted_changed = await uow.officers.upsert(
            ninh_kieu, "telegram", "9001", Role.ADMIN, "Chị Lan"
        )
        await uow.commit()

    async with uow_factory() as uow:
        roles = await uow.officers.of_person("telegram", "9001")
        assert await uow.officers.of_person("zalo", "9001") == []
        assert await uow.officers.of_person("telegram", "9002") == []

    assert (created, identical, promoted_changed) == (True, False, True)
    assert promoted.id == in_ninh_kieu.id
    # By ward name: "Phường ninh-kieu" before "Phường thuan-hung".
    assert roles == [promoted, in_thuan_hung]
    assert [(o.ward.code, o.role) for o in roles] == [
        ("ninh-kieu", Role.ADMIN),
        ("thuan-hung", Role.ORGANISER),
    ]


async def test_an_instant_is_stored_as_utc_and_comes_back_aware(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with uow_factory() as uow:
        resident = await uow.residents.seen("telegram", "42", None, None)
        await uow.commit()
    async with uow_factory() as uow:
        created_at = await uow.session.scalar(
            select(ResidentRow.created_at).where(ResidentRow.id == resident.id)
        )
        raw = await uow.session.scalar(
            text("SELECT created_at FROM residents").columns(created_at=DateTime())
        )

    assert created_at == clock.now()  # 08:00 in Hồ Chí Minh City
    assert created_at is not None
    assert created_at.tzinfo is UTC
    assert created_at.hour == 1
    assert raw == datetime(2026, 11, 30, 1, 0)


async def test_a_naive_instant_is_refused(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        naive = datetime(2026, 11, 30, 8, 0)
        uow.session.add(
            ResidentRow(channel="telegram", external_id="42", created_at=naive, last_seen_at=naive)
        )
        with pytest.raises(StatementError, match="naive datetime"):
            await uow.session.flush()
