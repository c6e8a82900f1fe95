"""Printable A4 posters for the bell posts: an alley's collection times and a QR code to follow it.

Drawn with matplotlib in its own DejaVu fonts, so Vietnamese prints the same on any machine the
project installs on, whatever fonts the system has.
"""

from __future__ import annotations

import gettext
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import matplotlib
import numpy as np
import segno
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.textpath import TextPath

from bot.chat.i18n import N_
from bot.chat.render import hhmm, kinds_named, window_time
from core.model import AlleySchedule, CollectionRule, HolidayPolicy
from core.ports import UnitOfWork
from core.schedule import ward_schedules

WEEKDAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
OF_MONTH_NAMES = {
    1: N_("first of the month"),
    2: N_("second of the month"),
    3: N_("third of the month"),
    4: N_("fourth of the month"),
    -1: N_("last of the month"),
}
HOLIDAY_NOTES = {
    HolidayPolicy.SKIP: N_("No collection on public holidays."),
    HolidayPolicy.SHIFT: N_("On a public holiday the truck comes the next working day."),
}

A4 = (210 / 25.4, 297 / 25.4)  # inches
MARGIN = 0.7  # inches; printers leave about a quarter of that blank
INK = "#1b1b1b"
ACCENT = "#2e7d32"
# Each QR module drawn as a block of pixels, so a viewer that smooths images keeps edges sharp.
MODULE_PIXELS = 8
# The QR code takes the room the text leaves, within these sizes in inches: a larger one scans
# from further away on a post; the smallest still scans from close by.
QR_SIZES = (1.6, 4.2)

_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
REGULAR = FontProperties(fname=_FONTS / "DejaVuSans.ttf")
BOLD = FontProperties(fname=_FONTS / "DejaVuSans-Bold.ttf")
# Only for the link and the code, which are ASCII: the mono face lacks some Vietnamese letters.
MONO = FontProperties(fname=_FONTS / "DejaVuSansMono-Bold.ttf")


@dataclass(frozen=True)
class Poster:
    """Everything a poster says, already in the reader's language."""

    alley_code: str
    ward: str
    alley: str
    heading: str
    times: tuple[str, ...]
    notes: tuple[str, ...]
    scan: str
    link: str
    send: str
    message: str  # what to send the bot to follow the alley where a QR code cannot help


def deep_link(bot: str, alley_code: str) -> str:
    """The Telegram link that opens the bot and follows the alley at once."""
    return f"https://t.me/{bot}?start={alley_code}"


def collection_times(
    rules: Sequence[CollectionRule], translations: gettext.NullTranslations
) -> list[str]:
    """ "Thứ Hai, Thứ Tư, Thứ Sáu — 18:00" per time of day, the earliest weekday first; a rule
    beyond weekly says how often, a window its end, and what is collected when the seed says."""
    _ = translations.gettext
    # Rules alike but for their weekdays share a line.
    by_time: dict[CollectionRule, set[int]] = {}
    for rule in rules:
        by_time.setdefault(replace(rule, weekdays=frozenset()), set()).update(rule.weekdays)
    lines = []
    for rule, weekdays in sorted(by_time.items(), key=lambda item: (min(item[1]), item[0].at)):
        if len(weekdays) == len(WEEKDAY_NAMES):
            days = _("Every day")
        else:
            days = ", ".join(_(WEEKDAY_NAMES[day]) for day in sorted(weekdays))
        until = None if rule.until is None else hhmm(rule.until)
        # TRANSLATORS: a line of a poster: the weekdays, then the time of day (HH:MM).
        line = _("{days} — {time}").format(days=days, time=window_time(hhmm(rule.at), until))
        if rule.of_month is not None:
            line += " · " + _(OF_MONTH_NAMES[rule.of_month])
        if rule.every_weeks > 1:
            line += " · " + translations.ngettext(
                "every {weeks} week", "every {weeks} weeks", rule.every_weeks
            ).format(weeks=rule.every_weeks)
        if rule.kinds:
            line += " · " + kinds_named(_, rule.kinds)
        lines.append(line)
    return lines


def poster_of(schedule: AlleySchedule, bot: str, translations: gettext.NullTranslations) -> Poster:
    """The words of one alley's poster, in the language of `translations`."""
    _ = translations.gettext
    alley, ward = schedule.alley, schedule.alley.ward
    notes = [_(HOLIDAY_NOTES[ward.holiday_policy])] if ward.holiday_policy in HOLIDAY_NOTES else []
    notes.append(_("Please bring your garbage out at these times, never at night."))
    return Poster(
        alley_code=alley.code,
        ward=ward.name,
        alley=alley.name,
        heading=_("The garbage truck comes:"),
        times=tuple(
            collection_times(schedule.rules, translations)
            or [_("No collection is planned for this alley yet.")]
        ),
        notes=tuple(notes),
        scan=_("Scan to hear the bell on Telegram before the truck comes:"),
        link=deep_link(bot, alley.code),
        send=_("On Zalo, or no camera? Send the bot this message:"),
        message=f"/start {alley.code}",
    )


async def ward_posters(
    uow: UnitOfWork, ward_code: str, bot: str, translations: gettext.NullTranslations
) -> list[Poster]:
    """One poster per alley of the ward, in the order the ward lists them."""
    schedules = await ward_schedules(uow, ward_code)
    return [poster_of(schedule, bot, translations) for schedule in schedules]


def write_poster(poster: Poster, path: Path) -> None:
    """Save the poster as a one-page A4 PDF whose text can be searched and copied."""
    # TrueType fonts (42) keep the text as text; the default (Type 3) makes it hard to extract.
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        draw_poster(poster).savefig(
            path, format="pdf", metadata={"Title": poster.alley, "Creator": "Urban Bell"}
        )


def draw_poster(poster: Poster) -> Figure:
    """Lay the poster out on an A4 page, the QR code as large as the text leaves room for."""
    smallest, largest = QR_SIZES
    measured = _Page(None)
    _lay_out(measured, poster, smallest)
    figure = Figure(figsize=A4)
    room = smallest + measured.top - MARGIN
    _lay_out(_Page(figure), poster, min(max(room, smallest), largest))
    return figure


def _lay_out(page: _Page, poster: Poster, qr_size: float) -> None:
    page.band()
    page.wrapped(poster.ward, REGULAR, 20)
    page.gap(0.25)
    page.fitted(poster.alley, BOLD, sizes=(48, 44, 40, 36, 32, 28), max_lines=2)
    page.gap(0.3)
    page.wrapped(poster.heading, REGULAR, 16)
    for line in poster.times:
        page.fitted(line, BOLD, sizes=(30, 27, 24, 21, 18), max_lines=1)
    page.gap(0.1)
    for note in poster.notes:
        page.wrapped(note, REGULAR, 13)
    page.gap(0.3)
    page.wrapped(poster.scan, REGULAR, 14)
    page.qr(poster.link, qr_size)
    page.fitted(poster.link, MONO, sizes=(12, 11, 10, 9, 8), max_lines=1)
    page.rule()
    page.wrapped(poster.send, REGULAR, 14)
    page.fitted(poster.message, MONO, sizes=(40, 36, 30, 24, 18), max_lines=1)


class _Page:
    """Places centred lines from the top down, in inches; without a figure it only measures."""

    def __init__(self, figure: Figure | None) -> None:
        self.figure = figure
        self.width, self.height = A4
        self.top = self.height - MARGIN
        self.text_width = self.width - 2 * MARGIN

    def gap(self, inches: float) -> None:
        self.top -= inches

    def band(self) -> None:
        height = 0.22
        if self.figure is not None:
            self.figure.add_artist(
                Rectangle(
                    (0, self.height - height),
                    self.width,
                    height,
                    transform=self.figure.dpi_scale_trans,
                    color=ACCENT,
                )
            )
        self.gap(0.1)

    def rule(self) -> None:
        self.gap(0.2)
        if self.figure is not None:
            self.figure.add_artist(
                Line2D(
                    [MARGIN, self.width - MARGIN],
                    [self.top, self.top],
                    transform=self.figure.dpi_scale_trans,
                    color=ACCENT,
                    linewidth=1.5,
                )
            )
        self.gap(0.2)

    def wrapped(self, text: str, font: FontProperties, size: float) -> None:
        for line in _wrap(text, font, size, self.text_width):
            self._text(line, font, size)

    def fitted(
        self, text: str, font: FontProperties, sizes: Sequence[float], max_lines: int
    ) -> None:
        """In the largest size at which it fits in `max_lines` lines (the smallest otherwise)."""
        for size in sizes:
            lines = _wrap(text, font, size, self.text_width)
            if len(lines) <= max_lines:
                break
        for line in lines:
            self._text(line, font, size)

    def qr(self, link: str, size: float) -> None:
        self.gap(0.1)
        bottom = self.top - size
        if self.figure is not None:
            code = segno.make(link, error="m", micro=False)
            modules = np.array(list(code.matrix_iter(scale=MODULE_PIXELS, border=4)), np.uint8)
            left = (self.width - size) / 2
            axes = self.figure.add_axes(
                (left / self.width, bottom / self.height, size / self.width, size / self.height)
            )
            axes.imshow(modules, cmap="binary", vmin=0, vmax=1, interpolation="none")
            axes.set_axis_off()
        self.top = bottom - 0.05

    def _text(self, text: str, font: FontProperties, size: float) -> None:
        leading = size / 72 * 1.3
        self.top -= leading
        if self.figure is not None:
            self.figure.text(
                self.width / 2,
                self.top + leading * 0.25,
                _nfc(text),
                fontproperties=font,
                fontsize=size,
                color=INK,
                ha="center",
                va="baseline",
                transform=self.figure.dpi_scale_trans,
            )


def _wrap(text: str, font: FontProperties, size: float, width: float) -> list[str]:
    """Greedy word wrap measured in the font itself; a word longer than a line stands alone."""
    lines: list[str] = []
    for word in _nfc(text).split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and _width(candidate, font, size) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines or [""]


def _width(text: str, font: FontProperties, size: float) -> float:
    """The printed width in inches."""
    points: float = TextPath((0, 0), text, size=size, prop=font).get_extents().width
    return points / 72


def _nfc(text: str) -> str:
    # Composed letters: the fonts draw "ẻ" well, "e" + two combining marks less so.
    return unicodedata.normalize("NFC", text)
