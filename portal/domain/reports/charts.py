"""Bar charts laid out once, drawn by every format: inline SVG on screen, vector shapes in
PDF. The layout is plain geometry (units are CSS pixels or PDF points alike), computed
from the table's figures as they stand, so a suppressed figure draws no bar and shows
its mark instead.

Horizontal bars, one group per table row, one bar per value column, each bar labelled
with its figure: long Swedish labels wrap at word boundaries (never cut off), the space
right of the bars is as wide as the longest figure with its unit ("35,5 dagar"), and
colour is never the only way to tell figures apart (the table beside the chart holds the
same figures in words).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from numbers import Number

from flask import has_app_context
from flask_babel import format_decimal

from portal.domain.reports.interface import BarChart, Table

# Colours with at least 4.5:1 contrast on white, told apart by people with the common
# colour-vision deficiencies (blue, orange, grey, purple).
COLOURS = ("#0b4f6c", "#b34700", "#595959", "#6a3d9a")
WIDTH = 640
LABEL_WIDTH = 190
CHARACTER = 7.2  # a generous average width of a character at FONT_SIZE, for laying out text
LINE = 14
BAR = 16
BAR_GAP = 3
GROUP_GAP = 12
LEGEND_ROW = 22
FONT_SIZE = 12


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    text: str  # the figure as shown beside the bar
    text_x: float


@dataclass(frozen=True)
class Group:
    """A row's bars and its label; `lines` are the label's lines (wrapped at word
    boundaries) with the baseline of each."""

    label: str
    label_y: float
    bars: tuple[Bar, ...]
    lines: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class LegendEntry:
    label: str
    colour: str
    x: float
    y: float


@dataclass(frozen=True)
class ChartLayout:
    width: float
    height: float
    plot_x: float
    plot_width: float
    groups: tuple[Group, ...]
    legend: tuple[LegendEntry, ...]
    font_size: int = FONT_SIZE


def number(value) -> float | None:
    """The value as a float if it is a figure (not a mark, text or nothing)."""
    if isinstance(value, bool) or not isinstance(value, Number | Decimal):
        return None
    return float(value)


def figure_text(value, unit: object = "") -> str:
    """How a figure reads beside its bar: at most one decimal, in the reader's language."""
    as_number = number(value)
    if as_number is None:
        return "" if value is None else str(value)
    if has_app_context():
        text = format_decimal(as_number, format="#,##0.#")
    else:
        text = f"{as_number:.0f}" if as_number == int(as_number) else f"{as_number:.1f}"
    return f"{text}{unit}" if str(unit) in ("%", "") else f"{text} {unit}"


def wrapped(label: str, most: int = int((LABEL_WIDTH - 12) // CHARACTER)) -> tuple[str, ...]:
    """The label in lines of at most `most` characters, broken between words only (a word
    longer than a line stands on a line of its own, whole)."""
    import textwrap

    return tuple(textwrap.wrap(label, most, break_long_words=False, break_on_hyphens=False)) or ("",)


def layout(table: Table, chart: BarChart, *, width: float = WIDTH) -> ChartLayout:
    """Where every bar, label and legend entry of `chart` goes."""
    series = [(str(table.columns[index]), COLOURS[n % len(COLOURS)]) for n, index in enumerate(chart.value_columns)]
    values = [number(row[index]) for row in table.rows for index in chart.value_columns]
    top = chart.maximum or max([v for v in values if v is not None] + [1.0])
    texts = [figure_text(row[index], chart.unit) for row in table.rows for index in chart.value_columns]
    value_space = max([len(text) for text in texts] + [4]) * CHARACTER + 12
    plot_x, plot_width = LABEL_WIDTH, width - LABEL_WIDTH - value_space
    legend, y = [], 4.0
    x = plot_x
    for label, colour in series:
        if x > plot_x and x + 20 + len(label) * CHARACTER > width:
            x, y = plot_x, y + LEGEND_ROW
        legend.append(LegendEntry(label, colour, x, y))
        x += 20 + len(label) * CHARACTER + 16
    y += LEGEND_ROW + 8
    groups = []
    for row in table.rows:
        lines = wrapped(str(row[chart.label_column]))
        bars_height = len(chart.value_columns) * (BAR + BAR_GAP) - BAR_GAP
        y += max(0.0, (len(lines) * LINE - bars_height) / 2)  # room for a label of several lines
        bars, first = [], y
        for n, index in enumerate(chart.value_columns):
            value = number(row[index])
            length = 0.0 if value is None else max(0.0, min(value, top)) / top * plot_width
            bars.append(
                Bar(plot_x, y, length, BAR, series[n][1], figure_text(row[index], chart.unit), plot_x + length + 4)
            )
            y += BAR + BAR_GAP
        middle = (first + y - BAR_GAP) / 2
        baselines = [middle + 4 + (n - (len(lines) - 1) / 2) * LINE for n in range(len(lines))]
        groups.append(
            Group(str(row[chart.label_column]), middle, tuple(bars), tuple(zip(lines, baselines, strict=True)))
        )
        y += GROUP_GAP + max(0.0, (len(lines) * LINE - bars_height) / 2)
    return ChartLayout(width, y, plot_x, plot_width, tuple(groups), tuple(legend))
