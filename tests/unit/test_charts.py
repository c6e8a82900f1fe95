"""Charts of the figures: a real PNG, its labels as given, every Vietnamese letter drawn."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import matplotlib
from matplotlib.font_manager import FontProperties

from bot.features.figures.charts import PairChart, draw, png

TEX_FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "cmr10.ttf"  # no Vietnamese

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHART = PairChart(
    title="Phường Ninh Kiều, tháng 11/2026",
    labels=("Rác thải, đổ rác trái phép", "Đèn đường", "Thoát nước", "Đường sá", "Khác"),
    first=(5, 3, 0, 2, 1),
    second=(4, 3, 0, 1, 0),
    legend=("Đã nhận", "Đã giải quyết"),
)


def test_a_chart_is_a_png_of_some_size() -> None:
    picture = png(CHART)

    assert picture.startswith(PNG_SIGNATURE)
    assert len(picture) > 10_000  # a blank 880x495 canvas compresses to far less


def test_a_chart_shows_its_labels_and_misses_no_vietnamese_letter() -> None:
    # matplotlib warns of each glyph its font lacks, and draws a box instead.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png(CHART)

    axes = draw(CHART).axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == list(CHART.labels)
    assert axes.get_title(loc="left") == CHART.title
    legend = axes.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == list(CHART.legend)


def test_a_font_without_vietnamese_letters_would_be_caught() -> None:
    figure = draw(CHART)
    figure.axes[0].set_title("Đường", fontproperties=FontProperties(fname=TEX_FONT))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.savefig(io.BytesIO(), format="png")

    assert any("missing from font" in str(w.message) for w in caught)
