"""Charts of the ward's figures, drawn as PNG pictures in matplotlib's own DejaVu Sans, which
has every Vietnamese letter, whatever fonts the machine has."""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.features.bell.posters import BOLD, REGULAR

RECEIVED_COLOUR = "#90a4ae"
RESOLVED_COLOUR = "#2e7d32"
SIZE = (8.0, 4.5)  # inches
DPI = 110
BAR = 0.38


@dataclass(frozen=True)
class PairChart:
    """Two counts per label, side by side: here, reports received and resolved per category."""

    title: str
    labels: tuple[str, ...]
    first: tuple[int, ...]
    second: tuple[int, ...]
    legend: tuple[str, str]


def draw(chart: PairChart) -> Figure:
    # A figure of its own, not pyplot's: nothing shared between charts drawn at once.
    figure = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    rows = range(len(chart.labels))
    pairs = (
        (chart.first, -BAR / 2, RECEIVED_COLOUR, chart.legend[0]),
        (chart.second, BAR / 2, RESOLVED_COLOUR, chart.legend[1]),
    )
    for counts, shift, colour, label in pairs:
        bars = axes.barh([r + shift for r in rows], counts, BAR, color=colour, label=label)
        axes.bar_label(bars, padding=3, fontproperties=REGULAR)
    axes.set_yticks(list(rows), chart.labels, fontproperties=REGULAR)
    axes.invert_yaxis()  # the first label on top, as it is read
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlim(0, max((*chart.first, *chart.second, 1)) * 1.15)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(chart.title, fontproperties=BOLD, fontsize=13, loc="left")
    axes.legend(prop=REGULAR, loc="best", frameon=False)
    return figure


def png(chart: PairChart) -> bytes:
    buffer = io.BytesIO()
    draw(chart).savefig(buffer, format="png")
    return buffer.getvalue()
