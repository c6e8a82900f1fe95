"""The seed file on real databases: loads, repeats harmlessly, updates in place, or fails whole."""

from __future__ import annotations

import asyncio
import copy
import os
import sys
from collections.abc import Callable
from datetime import date, datetime, time
from importlib.resources import files
from pathlib import Path
from typing import Any, Self

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.model import (
    CollectionException,
    CollectionRule,
    ExceptionAction,
    HolidayPolicy,
    Officer,
    Role,
    Ward,
)
from core.seeding import SeedError, SeedFile, SeedSummary, apply_seed, parse_seed
from storage.database import session_factory
from storage.models import AlleyRow, Base, OfficerRow, WardRow
from storage.officers import OfficerRepository
from storage.uow import SqlUnitOfWork
from tests.conftest import UnitOfWorkFactory
from tests.support import FixedClock

ZONE = "Asia/Ho_Chi_Minh"
DEMO_TEXT = (files("urbanbell") / "demo" / "seed.yaml").read_text(encoding="utf-8")

Document = dict[str, Any]
Snapshot = dict[str, list[tuple[Any, ...]]]


def _demo() -> Document:
    document = yaml.safe_load(DEMO_TEXT)
    assert isinstance(document, dict)
    return document


async def _apply(uow_factory: UnitOfWorkFactory, seed: SeedFile) -> SeedSummary:
    async with uow_factory() as uow:
        summary = await apply_seed(uow, seed, ZONE)
        await uow.commit()
    return summary


async def _count(engine: AsyncEngine, row: type[Base]) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(row)) or 0)


async def _snapshot(engine: AsyncEngine) -> Snapshot:
    """Every row of every table, ids included, in a stable order."""
    found: Snapshot = {}
    async with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = await connection.execute(select(table).order_by(*table.primary_key.columns))
            found[table.name] = [tuple(row) for row in rows]
    return found


async def test_the_demo_seed_loads_three_wards_twelve_alleys_and_four_officers(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory
) -> None:
    summary = await _apply(uow_factory, parse_seed(_demo()))

    assert summary.created == {"wards": 3, "alleys": 12, "officers": 4}
    assert summary.updated == summary.unchanged == {}
    assert await _count(engine, WardRow) == 3
    assert await _count(engine, AlleyRow) == 12
    assert await _count(engine, OfficerRow) == 8  # each on Telegram and in the console
    async with uow_factory() as uow:
        thuan_hung = await uow.wards.by_code("thuan-hung")
        hem_51 = await uow.alleys.by_code("nk-hem-51")
        assert hem_51 is not None
        schedule = await uow.alleys.schedule(hem_51)
        lan = await uow.officers.of_person("telegram", "9001")
    assert thuan_hung is not None
    assert thuan_hung == Ward(
        thuan_hung.id, "thuan-hung", "Phường Thuận Hưng", ZONE, HolidayPolicy.SHIFT
    )
    assert hem_51.ward.code == "ninh-kieu"
    assert hem_51.location == pytest.approx((10.0299, 105.7706))
    assert schedule.rules == (CollectionRule(frozenset({0, 2, 4}), time(18, 0)),)
    assert schedule.exceptions == (
        CollectionException(date(2026, 12, 25), ExceptionAction.SKIP),
        CollectionException(date(2027, 1, 2), ExceptionAction.MOVE, datetime(2027, 1, 3, 7, 0)),
    )
    assert [(o.ward.code, o.role, o.name) for o in lan] == [("ninh-kieu", Role.OFFICER, "Chị Lan")]


async def test_a_ward_without_its_own_zone_gets_the_default_zone(
    uow_factory: UnitOfWorkFactory,
) -> None:
    document = _demo()
    document["wards"][1]["timezone"] = "Asia/Bangkok"
    async with uow_factory() as uow:
        await apply_seed(uow, parse_seed(document), "Asia/Saigon")
        await uow.commit()
    async with uow_factory() as uow:
        zones = {ward.code: ward.timezone for ward in await uow.wards.all()}
    assert zones == {
        "ninh-kieu": "Asia/Saigon",
        "thuan-hung": "Asia/Bangkok",
        "soc-trang": "Asia/Saigon",
    }


async def test_applying_the_same_seed_twice_changes_nothing(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory
) -> None:
    seed = parse_seed(_demo())
    await _apply(uow_factory, seed)
    before = await _snapshot(engine)

    summary = await _apply(uow_factory, seed)

    assert summary.created == summary.updated == {}
    assert summary.unchanged == {"wards": 3, "alleys": 12, "officers": 4}
    assert await _snapshot(engine) == before


async def test_a_changed_entry_is_updated_in_place_by_its_code(
    uow_factory: UnitOfWorkFactory,
) -> None:
    document = _demo()
    await _apply(uow_factory, parse_seed(document))
    async with uow_factory() as uow:
        old_51 = await uow.alleys.by_code("nk-hem-51")
        old_132 = await uow.alleys.by_code("nk-hem-132")
        [old_lan] = await uow.officers.of_person("telegram", "9001")

    changed = copy.deepcopy(document)
    ninh_kieu_alleys = changed["wards"][0]["alleys"]
    ninh_kieu_alleys[0]["name"] = "Hẻm 51 (đường 3/2)"
    ninh_kieu_alleys[1]["collections"][0]["time"] = "19:15"
    ninh_kieu_alleys[1]["exceptions"] = [{"date": date(2026, 12, 31), "action": "skip"}]
    changed["officers"][0]["role"] = "admin"
    summary = await _apply(uow_factory, parse_seed(changed))

    assert summary.created == {}
    assert summary.updated == {"alleys": 2, "officers": 1}
    assert summary.unchanged == {"wards": 3, "alleys": 10, "officers": 3}
    async with uow_factory() as uow:
        new_51 = await uow.alleys.by_code("nk-hem-51")
        new_132 = await uow.alleys.by_code("nk-hem-132")
        assert new_132 is not None
        schedule_132 = await uow.alleys.schedule(new_132)
        [new_lan] = await uow.officers.of_person("telegram", "9001")
    assert old_51 is not None and new_51 is not None and old_132 is not None
    assert (new_51.id, new_51.name) == (old_51.id, "Hẻm 51 (đường 3/2)")
    assert new_132.id == old_132.id
    assert schedule_132.rules == (CollectionRule(frozenset({1, 3, 5}), time(19, 15)),)
    assert schedule_132.exceptions == (
        CollectionException(date(2026, 12, 31), ExceptionAction.SKIP),
    )
    assert (new_lan.id, new_lan.role) == (old_lan.id, Role.ADMIN)


def _bad_time(document: Document) -> None:
    document["wards"][0]["alleys"][1]["collections"][0]["time"] = "25:99"


def _duplicate_alley_code(document: Document) -> None:
    document["wards"][2]["alleys"][0]["code"] = "nk-hem-51"


def _bad_code_characters(document: Document) -> None:
    document["wards"][0]["alleys"][2]["code"] = "hẻm 14"


def _move_without_to(document: Document) -> None:
    document["wards"][0]["alleys"][0]["exceptions"][1].pop("to")


def _officer_of_unknown_ward(document: Document) -> None:
    document["officers"][2]["ward"] = "cai-rang"


@pytest.mark.parametrize(
    ("spoil", "named"),
    [
        (_bad_time, ["wards[0] (ninh-kieu)", "alleys[1] (nk-hem-132)", "collections[0]", "time"]),
        (_duplicate_alley_code, ["alley code 'nk-hem-51' appears twice"]),
        (_bad_code_characters, ["alleys[2] (hẻm 14)", "code"]),
        (_move_without_to, ["alleys[0] (nk-hem-51)", "exceptions[1]", "to"]),
        (_officer_of_unknown_ward, ["Chị Hoa", "cai-rang"]),
    ],
    ids=["bad time", "duplicate alley code", "bad code", "move without to", "unknown ward"],
)
def test_a_bad_seed_file_is_refused_naming_the_entry_and_field(
    spoil: Callable[[Document], None], named: list[str]
) -> None:
    document = _demo()
    spoil(document)
    with pytest.raises(SeedError) as refused:
        parse_seed(document)
    for words in named:
        assert words in str(refused.value)


class _OfficersThatFailAfterWriting(OfficerRepository):
    """The database goes away just after an officer was written."""

    async def upsert(
        self, ward: Ward, channel: str, external_id: str, role: Role, name: str
    ) -> tuple[Officer, bool]:
        await super().upsert(ward, channel, external_id, role, name)
        raise ConnectionResetError("the database went away")


class _UnitOfWorkThatFailsAtOfficers(SqlUnitOfWork):
    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.officers = _OfficersThatFailAfterWriting(self.session)
        return self


async def test_a_seed_that_fails_part_way_leaves_the_database_as_it_was(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    document = _demo()
    await _apply(uow_factory, parse_seed(document))
    before = await _snapshot(engine)
    changed = copy.deepcopy(document)
    changed["wards"][0]["name"] = "Phường Ninh Kiều (mới)"
    changed["wards"][0]["alleys"][0]["collections"][0]["time"] = "05:00"
    changed["wards"].append(
        {"code": "cai-rang", "name": "Phường Cái Răng", "alleys": [{"code": "cr-1", "name": "1"}]}
    )
    changed["officers"][0]["role"] = "admin"

    with pytest.raises(ConnectionResetError):
        async with _UnitOfWorkThatFailsAtOfficers(session_factory(engine), clock) as uow:
            await apply_seed(uow, parse_seed(changed), ZONE)
            await uow.commit()

    assert await _snapshot(engine) == before


async def _urbanbell(database_url: str, *args: str, cwd: Path) -> tuple[int, str, str]:
    """Run the installed `urbanbell` command as an operator would."""
    script = Path(sys.executable).with_name("urbanbell")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "urbanbell"]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("URBANBELL_")}
    environment["URBANBELL_DATABASE_URL"] = database_url
    process = await asyncio.create_subprocess_exec(
        *command,
        *args,
        cwd=cwd,  # away from any .env of the developer's
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_the_seed_command_loads_a_file_and_prints_a_summary(
    db_url: str, tmp_path: Path
) -> None:
    seed_file = tmp_path / "wards.yaml"
    seed_file.write_text(DEMO_TEXT, encoding="utf-8")

    first = await _urbanbell(db_url, "seed", str(seed_file), cwd=tmp_path)
    second = await _urbanbell(db_url, "seed", str(seed_file), cwd=tmp_path)

    assert first == (0, f"{seed_file}: created 3 wards, 12 alleys, 4 officers\n", "")
    assert second == (0, f"{seed_file}: unchanged 3 wards, 12 alleys, 4 officers\n", "")


async def test_the_seed_command_refuses_a_bad_file_and_writes_nothing(
    db_url: str, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    await _apply(uow_factory, parse_seed(_demo()))
    before = await _snapshot(engine)
    document = _demo()
    document["wards"][0]["name"] = "Phường Ninh Kiều (mới)"
    _bad_time(document)
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")

    code, out, err = await _urbanbell(db_url, "seed", str(bad_file), cwd=tmp_path)

    assert code == 1
    assert out == ""
    assert "nothing was written" in err
    assert "nk-hem-132" in err
    assert "time" in err
    assert await _snapshot(engine) == before
