"""The seed file is the truth for access; every problem in it is one line naming the entry and
the field, and nothing is written; the summary's plurals are right in both languages."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.ext.asyncio import AsyncEngine

from core.model import Role
from core.seeding import SeedError, apply_seed, parse_seed, read_seed
from tests.conftest import UnitOfWorkFactory
from tests.integration.conftest import Person, converse
from tests.integration.test_seed import DEMO_TEXT, ZONE, _apply, _demo, _snapshot, _urbanbell
from tests.support import FixedClock


def _write(tmp_path: Path, document: Any, name: str = "wards.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def _only_chi_lan(document: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed["officers"] = changed["officers"][:1]  # Chị Lan, officer of Ninh Kiều
    return changed


async def test_officers_the_file_leaves_out_lose_their_roles_and_the_command_says_who(
    db_url: str, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    await _urbanbell(db_url, "seed", str(_write(tmp_path, _demo())), cwd=tmp_path)

    code, out, err = await _urbanbell(
        db_url, "seed", str(_write(tmp_path, _only_chi_lan(_demo()))), cwd=tmp_path
    )

    assert (code, err) == (0, "")
    assert out.splitlines()[1:] == [
        "Anh Tuấn (telegram 9002) is no longer admin of ninh-kieu",
        "Anh Khoa (telegram 9201) is no longer officer of soc-trang",
        "Chị Hoa (telegram 9101) is no longer organiser of thuan-hung",
    ]
    async with uow_factory() as uow:
        assert await uow.officers.of_person("telegram", "9002") == []
        assert await uow.officers.of_ward(await _ward(uow, "ninh-kieu")) == [("telegram", "9001")]
        [lan] = await uow.officers.of_person("telegram", "9001")
        assert lan.role is Role.OFFICER


async def test_a_former_officer_is_refused_officers_commands(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await _apply(uow_factory, parse_seed(_demo()))
    await _apply(uow_factory, parse_seed(_only_chi_lan(_demo())))
    former = Person(converse(uow_factory, clock), "9002", "en")
    assert await former.says("/inbox") == "Only the ward's officers can use /inbox."
    assert "/inbox" not in await former.says("/help")


async def test_keep_officers_leaves_every_role_in_place(
    db_url: str, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    await _urbanbell(db_url, "seed", str(_write(tmp_path, _demo())), cwd=tmp_path)
    code, out, _err = await _urbanbell(
        db_url,
        "seed",
        "--keep-officers",
        str(_write(tmp_path, _only_chi_lan(_demo()))),
        cwd=tmp_path,
    )
    assert code == 0 and len(out.splitlines()) == 1
    async with uow_factory() as uow:
        [tuan] = await uow.officers.of_person("telegram", "9002")
    assert tuan.role is Role.ADMIN


async def test_a_role_given_back_by_the_file_is_held_again(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await _apply(uow_factory, parse_seed(_demo()))
    await _apply(uow_factory, parse_seed(_only_chi_lan(_demo())))
    await _apply(uow_factory, parse_seed(_demo()))
    async with uow_factory() as uow:
        [tuan] = await uow.officers.of_person("telegram", "9002")
    assert tuan.role is Role.ADMIN


async def test_an_alley_moves_to_another_ward_only_with_ward_change(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory
) -> None:
    await _apply(uow_factory, parse_seed(_demo()))
    before = await _snapshot(engine)
    moved = _demo()
    alley = moved["wards"][0]["alleys"].pop(0)  # nk-hem-51, of Ninh Kiều
    moved["wards"][2]["alleys"].append(alley)  # now under Sóc Trăng

    with pytest.raises(SeedError) as refused:
        await _apply(uow_factory, parse_seed(moved))

    assert str(refused.value) == (
        "wards[2] (soc-trang) → alleys[3] (nk-hem-51) → ward_change: the alley belongs to "
        "ninh-kieu; write ward_change: true on it to move it to soc-trang"
    )
    assert await _snapshot(engine) == before

    alley["ward_change"] = True
    await _apply(uow_factory, parse_seed(moved))
    async with uow_factory() as uow:
        found = await uow.alleys.by_code("nk-hem-51")
    assert found is not None and found.ward.code == "soc-trang"


def _problem(raw: bytes) -> str:
    with pytest.raises(SeedError) as refused:
        read_seed(raw)
    return str(refused.value)


def test_a_utf16_or_latin1_file_is_one_line() -> None:
    assert _problem(DEMO_TEXT.encode("utf-16")) == "file: the text is UTF-16; save it as UTF-8"
    latin = _problem("wards:\n  - {code: w, name: Café}\n".encode("latin-1"))
    assert latin == "line 2: byte 0xe9 is not UTF-8; save the file as UTF-8"


def test_an_empty_file_or_a_list_is_one_line() -> None:
    assert _problem(b"") == "file: empty; it needs `wards:` and `officers:`"
    assert _problem(b"- a\n") == "file: expected `wards:` and `officers:`, found a list"
    assert _problem(b"wards: [\n") == "line 2: expected the node content, but found '<stream end>'"


def test_an_impossible_date_names_the_exception_and_its_field() -> None:
    text = DEMO_TEXT.replace("2026-12-25", "2026-02-31")
    problem = _problem(text.encode())
    assert problem.startswith(
        "wards[0] (ninh-kieu) → alleys[0] (nk-hem-51) → exceptions[0] → date: "
    )
    assert "\n" not in problem


def test_ids_beyond_the_columns_name_the_officer_and_field() -> None:
    document = _demo()
    document["officers"][0]["telegram_id"] = int("9" * 69)
    document["officers"][1]["zalo_id"] = "z" * 65
    problem = _problem(yaml.safe_dump(document, allow_unicode=True).encode())
    lines = problem.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("officers[0] (Chị Lan) → telegram_id: ")
    assert lines[1].startswith("officers[1] (Anh Tuấn) → zalo_id: ")
    assert "64 characters" in lines[1]


def test_the_messages_carry_no_pydantic_prefix() -> None:
    document = _demo()
    document["wards"][0]["alleys"][0]["exceptions"][1].pop("to")
    with pytest.raises(SeedError) as refused:
        parse_seed(document)
    assert "Value error" not in str(refused.value)
    assert str(refused.value).endswith("a move needs 'to: \"YYYY-MM-DD HH:MM\"'")


async def test_the_seed_command_prints_no_traceback_for_a_bad_file(
    db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes(DEMO_TEXT.encode("utf-16"))
    code, out, err = await _urbanbell(db_url, "seed", str(path), cwd=tmp_path)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"urbanbell: {path} is not a valid seed file, nothing was written:",
        "file: the text is UTF-16; save it as UTF-8",
    ]


async def test_the_summary_says_one_officer_and_one_follower_in_both_languages(
    db_url: str, uow_factory: UnitOfWorkFactory, tmp_path: Path, clock: FixedClock
) -> None:
    lone: dict[str, Any] = {
        "wards": [{"code": "w", "name": "W", "alleys": [{"code": "a", "name": "A"}]}],
        "officers": [{"ward": "w", "role": "officer", "telegram_id": 1, "name": "X"}],
    }
    path = _write(tmp_path, lone)
    _code, english, _err = await _urbanbell(db_url, "seed", str(path), cwd=tmp_path)
    assert english == f"{path}: created 1 ward, 1 alley, 1 officer\n"

    await Person(converse(uow_factory, clock), "5", "en").says("/start a")
    lone["wards"][0]["alleys"][0]["collections"] = [{"days": ["mon"], "time": "07:00"}]
    _code, vietnamese, _err = await _urbanbell(
        db_url, "seed", "--lang", "vi", str(_write(tmp_path, lone)), cwd=tmp_path
    )
    assert vietnamese == (
        f"{path}: cập nhật 1 hẻm; giữ nguyên 1 phường, 1 cán bộ; "
        "đã báo 1 người theo dõi về giờ thu gom mới\n"
    )


async def _ward(uow: Any, code: str) -> int:
    ward = await uow.wards.by_code(code)
    assert ward is not None
    return int(ward.id)


async def test_apply_seed_reports_the_roles_it_takes_away(uow_factory: UnitOfWorkFactory) -> None:
    await _apply(uow_factory, parse_seed(_demo()))
    async with uow_factory() as uow:
        summary = await apply_seed(uow, parse_seed(_only_chi_lan(_demo())), ZONE)
        await uow.commit()
    assert [(g.officer.name, g.officer.role) for g in summary.revoked] == [
        ("Anh Tuấn", Role.ADMIN),
        ("Anh Khoa", Role.OFFICER),
        ("Chị Hoa", Role.ORGANISER),
    ]
