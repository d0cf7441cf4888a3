"""What reports and report formats are, for `portal_reports` and `portal_report_formats`.

Interfaces only: a report builds titled tables from the database; a format turns a
built report into a file. Keeping the two apart (as pretix's exporters do) means every
report can be downloaded in every format, and a format with heavy dependencies (XLSX,
PDF) is a plugin of its own. The reporting pages, and the suppression of counts below 5
before a report leaves the portal, are core's work on top of these (`domain.reports.catalogue`).

A table says which of its columns hold counts of people (`count_columns`) and which
figures are computed from one of those counts (`derived_columns`: a share, an average,
a median over the people counted); suppression reads nothing else, so a report only has
to declare its columns right. A chart is drawn from its table's figures, so it shows
what the table shows, suppressed or not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, runtime_checkable

from sqlalchemy.orm import Session

from portal.domain.spreadsheets import FORMULA_STARTS, is_formula_like, neutralised  # noqa: F401 (for formats)


@dataclass(frozen=True)
class ReportParameter:
    """One thing a report asks for before it is built (a period, a region …).

    :param kind: "date", "period", "region", "authority", "choice", "text" or "number".
        A "period" arrives in `build` as a `domain.reports.Period` (a year, half-year,
        quarter or month), a "region" as a `Region` or None (every region), an
        "authority" as an `Authority` or None (every authority). The portal holds
        "region" and "authority" to what the user may see.
    :param choices: (code, label) pairs for "choice".
    :param default: the value when the user gives none (a "period" defaults to this year).
    :param minimum: for "number", the smallest value accepted (None: any).
    """

    name: str
    label: object
    kind: str = "text"
    required: bool = False
    choices: tuple[tuple[str, object], ...] = ()
    default: object = None
    minimum: int | None = None


@dataclass(frozen=True)
class BarChart:
    """Bars for some numeric columns of the table it belongs to, one group per row.

    :param value_columns: indices of the columns drawn as bars (one colour each).
    :param label_column: index of the column that names each group of bars.
    :param unit: shown after the values, e.g. "%" or a lazy "days".
    :param maximum: the top of the scale (e.g. 100 for shares); default the largest value.
    """

    value_columns: tuple[int, ...]
    label_column: int = 0
    unit: object = ""
    maximum: float | None = None


@dataclass(frozen=True)
class Table:
    """Rows of plain values (text, numbers, dates) under column headings.

    :param count_columns: indices of the columns that count people (or their referrals,
        offers, placements): a count from 1 to 4 is shown as "<5" outside the portal.
    :param derived_columns: (column, source column) pairs: a figure computed from the
        source figure of the same row (a share or average of a count, an average of a
        sum of days), hidden whenever its source is.
    :param section: a heading the table belongs under ("Representation" …); formats
        show it where it changes.
    :param notes: sentences under the table: what the columns mean, where figures come from.
    :param chart: a `BarChart` of this table's figures, or None.
    :param running_columns: indices of the count (or derived) columns that are running
        totals: counted up to the end of the period, whenever it began (trained by the
        end of the quarter). Downloads leave them out, because one quarter's total minus
        the previous one gives the quarter's count, small or not.
    :param running_rows: indices of the rows whose counts are running totals, for tables
        that put their groups in rows.
    """

    title: object
    columns: tuple[object, ...]
    rows: tuple[tuple, ...]
    count_columns: frozenset[int] = frozenset()
    derived_columns: tuple[tuple[int, int], ...] = ()
    section: object = None
    notes: tuple[object, ...] = ()
    chart: BarChart | None = None
    running_columns: frozenset[int] = frozenset()
    running_rows: frozenset[int] = frozenset()

    def running_cells(self) -> set[tuple[int, int]]:
        """(row, column) of every figure that is a running total."""
        figures = self.count_columns | {column for column, _source in self.derived_columns}
        return {
            (row, column)
            for row in range(len(self.rows))
            for column in figures
            if column in self.running_columns or row in self.running_rows
        }


@dataclass(frozen=True)
class Paragraph:
    """A sentence or an analysis in a report.

    :param counts: the sizes of the groups the text's figures describe; the portal leaves
        the paragraph out of an export when one of them is small (text cannot be masked).
    """

    text: object
    counts: tuple[int, ...] = ()


@dataclass(frozen=True)
class Text:
    """Titled paragraphs after the tables (generated observations, a written analysis)."""

    title: object
    paragraphs: tuple[Paragraph, ...]
    section: object = None


Cell = tuple[int, int, int]  # (table, row, column) of a built report


@dataclass(frozen=True)
class Sum:
    """Counts that add up: `total` is the sum of `parts` (cells anywhere in the report).

    Declared so that suppression can hide a second count where one hidden count could be
    worked out by subtraction (women = total - men - not stated).
    """

    total: Cell
    parts: tuple[Cell, ...]

    @classmethod
    def across(cls, table: int, row: int, total: int, parts: Sequence[int]) -> Sum:
        """Columns `parts` of a row add up to its column `total`."""
        return cls((table, row, total), tuple((table, row, column) for column in parts))

    @classmethod
    def down(cls, table: int, column: int, total: int, parts: Sequence[int]) -> Sum:
        """Rows `parts` of a column add up to its row `total`."""
        return cls((table, total, column), tuple((table, row, column) for row in parts))


@dataclass(frozen=True)
class BuiltReport:
    """A report's result: what a format renders.

    :param subtitle: what the figures cover (region, period), in words.
    :param file_stem: the start of a downloaded file's name, codes only (no personal data).
    :param notes: sentences about the whole report (definitions, suppression).
    :param sums: the `Sum`s among its counts (totals and their parts).
    """

    title: object
    tables: tuple[Table, ...]
    subtitle: object = None
    texts: tuple[Text, ...] = ()
    notes: tuple[object, ...] = ()
    file_stem: str = "report"
    sums: tuple[Sum, ...] = ()


@runtime_checkable
class Report(Protocol):
    """A report a plugin offers. `build` reads in the caller's session and writes nothing;
    `params` holds the parsed values of `parameters`, by name.

    Optional attribute ``roles``: the roles that may run it (default coordinators and
    admins; `domain.access.report_scope` decides what each may see of it)."""

    identifier: str
    title: object
    parameters: Sequence[ReportParameter]

    def build(self, session: Session, params: Mapping[str, object]) -> BuiltReport: ...


@runtime_checkable
class ReportFormat(Protocol):
    """A file format: `render` answers the file's name and its bytes."""

    identifier: str
    name: object
    media_type: str

    def render(self, report: BuiltReport) -> tuple[str, bytes]: ...


@dataclass(frozen=True)
class Line:
    """One line of a report laid out as a list, for list-style formats (CSV, a sheet).

    :param kind: "title", "subtitle", "section", "table", "header", "row", "note",
        "text" (a text's title), "paragraph" or "blank".
    """

    kind: str
    cells: tuple = ()


def lines(report: BuiltReport):
    """The report as lines, top to bottom: a list-style format writes these and nothing
    else, so every report comes out complete in it (as pretix's list exporters do)."""
    yield Line("title", (report.title,))
    if report.subtitle:
        yield Line("subtitle", (report.subtitle,))
    section = None
    for item in (*report.tables, *report.texts):
        if item.section is not None and item.section != section:
            section = item.section
            yield Line("blank")
            yield Line("section", (section,))
        yield Line("blank")
        yield from _item_lines(item)
    if report.notes:
        yield Line("blank")
        for note in report.notes:
            yield Line("note", (note,))


def _item_lines(item):
    """A table's or a text's own lines, after the blank line that parts it from the one before."""
    if isinstance(item, Table):
        yield Line("table", (item.title,))
        yield Line("header", tuple(item.columns))
        yield from (Line("row", tuple(row)) for row in item.rows)
        yield from (Line("note", (note,)) for note in item.notes)
    else:
        yield Line("text", (item.title,))
        yield from (Line("paragraph", (paragraph.text,)) for paragraph in item.paragraphs)


def is_figure(value) -> bool:
    """A number, nothing, or a suppression mark ("<5", ".."): what formats align right."""
    if value is None or isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and (value == ".." or value.startswith("<") and value[1:].isdigit())


def figure_places(value) -> int:
    """How many decimals a figure shows: at most one, except a `Decimal` kept with two
    (hours stored to the quarter: 7.25) that a rounding to one would change."""
    if isinstance(value, Decimal) and value.is_finite() and value.as_tuple().exponent == -2:
        return 2 if value != value.quantize(Decimal("0.1")) else 1
    return 1


def figure_pattern(value) -> str:
    """The Babel number pattern of a figure (`figure_places` decimals, none when whole)."""
    return "#,##0." + "#" * figure_places(value)


def figure_columns(table: Table) -> frozenset[int]:
    """The columns (after the first) that hold only figures."""
    return frozenset(
        index
        for index in range(1, len(table.columns))
        if all(is_figure(row[index]) for row in table.rows if index < len(row))
    )
