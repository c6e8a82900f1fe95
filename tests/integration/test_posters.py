"""`urbanbell posters`: the real command on a seeded SQLite file, its PDFs read back."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, StreamObject

from bot.features.bell.posters import deep_link
from urbanbell.cli import DEMO_SEED

NINH_KIEU = {
    "nk-hem-51": ("Hẻm 51 Đường 3 Tháng 2", "Thứ Hai, Thứ Tư, Thứ Sáu — 18:00"),
    "nk-hem-132": ("Hẻm 132 Đường 3 Tháng 2", "Thứ Ba, Thứ Năm, Thứ Bảy — 18:30"),
    "nk-hem-14-mau-than": ("Hẻm 14 Đường Mậu Thân", "Hằng ngày — 17:30"),
    "nk-hem-97-thd": ("Hẻm 97 Đường Trần Hưng Đạo", "Thứ Hai, Thứ Năm — 06:30"),
    "nk-hem-6-ltt": ("Hẻm 6 Đường Lý Tự Trọng", "Thứ Ba, Thứ Sáu — 19:00"),
}
A4_POINTS = (595.28, 841.89)


def urbanbell(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed command as a ward officer would."""
    script = Path(sys.executable).with_name("urbanbell")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "urbanbell"]
    return subprocess.run(
        [*command, *args],
        cwd=cwd,  # away from any .env of the developer's
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    """An environment whose database holds the demo wards, and a folder to work in."""
    folder = tmp_path_factory.mktemp("posters")
    env = {k: v for k, v in os.environ.items() if not k.startswith("URBANBELL_")}
    env["URBANBELL_DATABASE_URL"] = f"sqlite+aiosqlite:///{folder / 'ward.db'}"
    done = urbanbell(env, folder, "seed", str(DEMO_SEED))
    assert done.returncode == 0, done.stderr
    return env, folder


@pytest.fixture(scope="module")
def ninh_kieu(
    seeded: tuple[dict[str, str], Path],
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The posters of Phường Ninh Kiều in Vietnamese, written once for the tests to read."""
    env, folder = seeded
    out = folder / "ninh-kieu"
    done = urbanbell(
        env, folder, "posters", "--ward", "ninh-kieu", "--out", str(out), "--bot", "UrbanBellBot"
    )
    return done, out


def text_of(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def picture_of(pdf: Path) -> Image.Image:
    """The one picture on the poster's page, as a viewer would decode it."""
    [image] = PdfReader(pdf).pages[0].images
    assert image.image is not None and image.indirect_reference is not None
    stream = image.indirect_reference.get_object()
    if not isinstance(stream, StreamObject) or stream.get("/BitsPerComponent") != 1:
        return image.image
    # pypdf (7.1 at least) undoes the PNG predictor of a 1-bit image with 0 bytes a pixel and
    # garbles it; the stream holds PNG rows, so Pillow reads it wrapped as a PNG file instead.
    color_space = stream["/ColorSpace"]
    assert isinstance(color_space, ArrayObject) and color_space[0] == "/Indexed"
    palette = color_space[3].get_object()
    header = struct.pack(">IIBBBBB", stream["/Width"], stream["/Height"], 1, 3, 0, 0, 0)
    png = b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"PLTE", bytes(palette)),
            _png_chunk(b"IDAT", stream._data),
            _png_chunk(b"IEND", b""),
        ]
    )
    return Image.open(io.BytesIO(png))


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body)
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def test_one_poster_per_alley_of_the_ward_and_one_line_for_each(
    ninh_kieu: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    done, out = ninh_kieu

    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{code}.pdf" for code in NINH_KIEU)
    assert sorted(done.stdout.splitlines()) == sorted(
        f"{out / f'{code}.pdf'}: {name}" for code, (name, _times) in NINH_KIEU.items()
    )


@pytest.mark.parametrize("code", NINH_KIEU)
def test_each_poster_is_one_a4_page_with_the_ward_the_alley_and_its_times(
    ninh_kieu: tuple[subprocess.CompletedProcess[str], Path], code: str
) -> None:
    pdf = ninh_kieu[1] / f"{code}.pdf"
    name, times = NINH_KIEU[code]

    assert pdf.read_bytes().startswith(b"%PDF-")
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4_POINTS
    text = text_of(pdf)
    assert "Phường Ninh Kiều" in text
    assert name in " ".join(text.split())  # a long name is wrapped over two lines
    assert times in text
    assert "Ngày lễ không thu gom rác." in text  # Ninh Kiều skips public holidays
    assert f"https://t.me/UrbanBellBot?start={code}" in text
    assert f"/start {code}" in text


def test_the_qr_code_opens_the_bot_and_follows_the_alley(
    ninh_kieu: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    decoded = zxingcpp.read_barcodes(picture_of(ninh_kieu[1] / "nk-hem-51.pdf"))

    assert [barcode.text for barcode in decoded] == ["https://t.me/UrbanBellBot?start=nk-hem-51"]


def test_deep_links_carry_the_alley_code_as_the_start_payload() -> None:
    assert (
        deep_link("UrbanBellBot", "th-hem-3-ql91")
        == "https://t.me/UrbanBellBot?start=th-hem-3-ql91"
    )


def test_english_posters_and_the_bot_named_by_the_setting(
    seeded: tuple[dict[str, str], Path],
) -> None:
    env, folder = seeded
    env = {**env, "URBANBELL_TELEGRAM_BOT_USERNAME": "@CanThoBellBot"}
    out = folder / "thuan-hung-en"

    done = urbanbell(
        env, folder, "posters", "--ward", "thuan-hung", "--out", str(out), "--lang", "en"
    )

    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 4
    text = text_of(out / "th-hem-3-ql91.pdf")
    assert "Hẻm 3 Quốc lộ 91" in text
    assert "Monday, Wednesday, Friday — 17:00" in text
    assert "On a public holiday the truck comes the next working day." in text
    assert "https://t.me/CanThoBellBot?start=th-hem-3-ql91" in text
    assert "Every day — 18:15" in text_of(out / "th-hem-18-thot-not.pdf")


def test_without_a_bot_username_the_command_names_both_ways_to_give_one(
    seeded: tuple[dict[str, str], Path],
) -> None:
    env, folder = seeded
    out = folder / "no-bot"

    done = urbanbell(env, folder, "posters", "--ward", "ninh-kieu", "--out", str(out))

    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert "--bot" in done.stderr
    assert "URBANBELL_TELEGRAM_BOT_USERNAME" in done.stderr
    assert not out.exists()


def test_an_unknown_ward_is_refused_with_one_line(seeded: tuple[dict[str, str], Path]) -> None:
    env, folder = seeded
    out = folder / "cai-rang"

    done = urbanbell(
        env, folder, "posters", "--ward", "cai-rang", "--out", str(out), "--bot", "UrbanBellBot"
    )

    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "urbanbell: no ward has the code 'cai-rang' (known: ninh-kieu, soc-trang, thuan-hung)"
    ]
    assert done.stdout == ""
    assert not out.exists()
