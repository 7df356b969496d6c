"""Small charts in the house style (reportlab.graphics), shared by the progress and feedback reports.

A municipality reads a bar per neighbourhood faster than a table of numbers, and a
neighbourhood sees at a glance where offers and needs meet. Every label is set in
the WijkSans font (reportlab's charts default to Helvetica, which cannot print
Şükrü or Łucja), colours come from the house palette, and every chart has a legend
in words, so it also reads in black and white.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from math import ceil
from typing import Any

from reportlab import rl_config
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from wijkkit.handouts.fallback import check_single_font
from wijkkit.handouts.style import (
    ACCENT,
    FONT,
    INK,
    MUTED,
    RULE,
    clean,
    register_fonts,
    visual_line,
)

STATUS_COLOURS = {
    "open": colors.HexColor("#b7d3c7"),
    "in_progress": colors.HexColor("#5fa38c"),
    "done": ACCENT,
    "stalled": colors.HexColor("#d8a23a"),
    "dropped": colors.HexColor("#9aa39f"),
}
PAIR = (ACCENT, colors.HexColor("#d8a23a"))  # two series side by side: offers and needs
WIDTH = 168 * mm
LABEL_SIZE = 8


_checks = threading.Lock()
_unchecked = 0  # drawings being drawn without checks, on any thread
_checking: Any = None  # rl_config.shapeChecking before the first of them


@contextmanager
def unchecked() -> Iterator[None]:
    """reportlab's attribute checks of shapes and widgets (``rl_config.shapeChecking``) off while drawing.

    Drawing a chart, reportlab makes every bar, label and line anew and checks each attribute it
    sets against the class's list (``attrmap.validateSetattr``): half of the time a chart takes to
    draw. A check only raises on a wrong attribute or value, and sets the same value either way;
    the charts here are made by this module, whose values the tests check with the checks on.
    reportlab reads the setting on every assignment, so it is turned off for the drawing and put
    back after: counted under a lock, so overlapping drawings on several threads put back the
    value from before the first (checks in other threads are skipped meanwhile, which changes
    nothing that works).
    """
    global _unchecked, _checking
    with _checks:
        if _unchecked == 0:
            _checking, rl_config.shapeChecking = rl_config.shapeChecking, 0
        _unchecked += 1
    try:
        yield
    finally:
        with _checks:
            _unchecked -= 1
            if _unchecked == 0:
                rl_config.shapeChecking = _checking


class UncheckedDrawing(Drawing):
    """A Drawing drawn without reportlab's attribute checks (``unchecked``); the same operators."""

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803 - reportlab's
        with unchecked():
            super().drawOn(canvas, x, y, _sW)


def short(label: str, width: float, size: float = LABEL_SIZE) -> str:
    """A label cut with '…' to fit ``width`` points."""
    label = clean(label).replace("\n", " ")
    check_single_font(label)  # a chart draws its labels in DejaVu alone: what it lacks is reported
    if stringWidth(label, FONT, size) <= width:
        return visual_line(label)  # cut in reading order, drawn in display order
    while label and stringWidth(label + "…", FONT, size) > width:
        label = label[:-1]
    return visual_line(label.rstrip() + "…")


def _step(top: float) -> int:
    """A round tick step (1, 2, 5, 10, 20, 50, ...) giving at most six ticks."""
    step, factors = 1, (2, 2.5, 2)  # 1 → 2 → 5 → 10 → 20 → 50 → ...
    n = 0
    while top / step > 6:
        step = int(step * factors[n % 3])
        n += 1
    return step


def _axis_font(chart) -> None:
    for labels in (chart.categoryAxis.labels, chart.valueAxis.labels):
        labels.fontName, labels.fontSize, labels.fillColor = FONT, LABEL_SIZE, INK
    chart.valueAxis.strokeColor = chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid, chart.valueAxis.gridStrokeColor = True, RULE
    chart.valueAxis.gridStrokeWidth = 0.3


def _legend(pairs: list[tuple[colors.Color, str]], x: float, y: float, columns: int = 5) -> Legend:
    legend = Legend()
    legend.colorNamePairs = pairs
    legend.fontName, legend.fontSize, legend.fillColor = FONT, LABEL_SIZE, INK
    legend.x, legend.y, legend.alignment = x, y, "right"
    legend.columnMaximum = max(1, ceil(len(pairs) / columns))
    legend.dx = legend.dy = 7
    legend.deltax, legend.deltay = 80, 11
    legend.strokeColor, legend.strokeWidth = None, 0
    return legend


def stacked_bars(names: Sequence[str], series: Sequence[Sequence[int]], labels: Sequence[str],
                 fills: Sequence[colors.Color]) -> UncheckedDrawing:  # fmt: skip
    """One horizontal bar per name, its parts stacked (e.g. agreements by status per neighbourhood)."""
    register_fonts()
    label_width = min(55 * mm, max([stringWidth(clean(n), FONT, LABEL_SIZE) for n in names] + [20 * mm]) + 6)
    bar = min(9 * mm, max(3 * mm, 150 * mm / max(1, len(names))))
    plot_height = bar * len(names)
    drawing = UncheckedDrawing(WIDTH, plot_height + 24 * mm)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 16 * mm
    chart.width, chart.height = WIDTH - label_width - 4 * mm, plot_height
    chart.data = [list(reversed(values)) for values in series]  # the first name on top
    chart.categoryAxis.categoryNames = [short(n, label_width - 6) for n in reversed(names)]
    chart.categoryAxis.style = "stacked"
    chart.barSpacing, chart.groupSpacing = 0, bar * 0.25
    totals = [sum(column) for column in zip(*series, strict=True)] or [0]
    top = max(totals + [1])
    chart.valueAxis.valueMin, chart.valueAxis.valueStep = 0, _step(top)
    chart.valueAxis.valueMax = ceil(top / _step(top)) * _step(top)
    chart.valueAxis.labelTextFormat = "%d"
    _axis_font(chart)
    for n, fill in enumerate(fills):
        chart.bars[n].fillColor, chart.bars[n].strokeColor = fill, colors.white
        chart.bars[n].strokeWidth = 0.5
    drawing.add(chart)
    drawing.add(_legend(list(zip(fills, labels, strict=True)), label_width, 6 * mm))
    return drawing


def pie(values: Sequence[int], labels: Sequence[str], fills: Sequence[colors.Color]) -> UncheckedDrawing | None:
    """A pie with a legend that gives each slice's count; None when there is nothing to show."""
    register_fonts()
    if sum(values) <= 0:
        return None
    kept = [(v, label, fill) for v, label, fill in zip(values, labels, fills, strict=True) if v > 0]
    drawing = UncheckedDrawing(WIDTH, 62 * mm)
    chart = Pie()
    chart.x, chart.y, chart.width, chart.height = 8 * mm, 4 * mm, 54 * mm, 54 * mm
    chart.data = [v for v, _label, _fill in kept]
    chart.labels = None
    chart.slices.strokeColor, chart.slices.strokeWidth = colors.white, 1
    chart.slices.fontName = FONT
    for n, (_v, _label, fill) in enumerate(kept):
        chart.slices[n].fillColor = fill
    drawing.add(chart)
    pairs = [(fill, visual_line(f"{clean(label)}: {v}")) for v, label, fill in kept]
    legend = _legend(pairs, 74 * mm, 50 * mm, columns=1)
    legend.deltay = 14
    drawing.add(legend)
    return drawing


def paired_bars(names: Sequence[str], first: Sequence[int], second: Sequence[int],
                labels: tuple[str, str]) -> UncheckedDrawing:  # fmt: skip
    """Two bars per name side by side (e.g. offers and needs per category)."""
    register_fonts()
    drawing = UncheckedDrawing(WIDTH, 58 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 10 * mm, 16 * mm, WIDTH - 14 * mm, 36 * mm
    chart.data = [list(first), list(second)]
    per = (WIDTH - 14 * mm) / max(1, len(names))
    chart.categoryAxis.categoryNames = [short(n, per - 2) for n in names]
    top = max(list(first) + list(second) + [1])
    chart.valueAxis.valueMin, chart.valueAxis.valueStep = 0, _step(top)
    chart.valueAxis.valueMax = ceil(top / _step(top)) * _step(top)
    chart.valueAxis.labelTextFormat = "%d"
    _axis_font(chart)
    chart.categoryAxis.labels.fillColor = MUTED
    for n, fill in enumerate(PAIR):
        chart.bars[n].fillColor, chart.bars[n].strokeColor = fill, None
    drawing.add(chart)
    drawing.add(_legend(list(zip(PAIR, labels, strict=True)), 10 * mm, 5 * mm))
    return drawing
