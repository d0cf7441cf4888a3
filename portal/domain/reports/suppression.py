"""Small-count suppression: what every report passes before it leaves the portal.

A count from 1 to the minimum − 1 reads "<5"; a figure that would give one away, by
subtraction along a declared `Sum` or computed from it (a share, an average), reads
"..". This protects one download on its own; `grid` keeps downloads from being
subtracted from one another, and running totals (trained by the end of the quarter) are
left out of them as "..", because consecutive quarters' totals subtract to the
quarter's count: the grid's cells do not overlap, running totals do.
"""

from __future__ import annotations

from dataclasses import replace
from numbers import Number

from portal.domain.reports.interface import BuiltReport, Paragraph, Table, Text
from portal.i18n import lazy_gettext as _

HIDDEN = ".."  # a count that would give a small one away, or a figure computed from a hidden count


_RUNNING = _(
    "Running totals (counted up to the end of the period, whenever it began) are shown as “%(hidden)s” "
    "outside the portal: one period's total minus the one before would give away the small counts in "
    "between. The figures “in the period” add up across periods instead.",
    hidden=HIDDEN,
)


def marker(minimum: int) -> str:
    return f"<{minimum}"


def is_small(value, minimum: int) -> bool:
    """A count from 1 to `minimum` - 1 (what must not leave the portal)."""
    return isinstance(value, Number) and not isinstance(value, bool) and 0 < value < minimum


def suppress(report: BuiltReport, minimum: int) -> BuiltReport:
    """A copy of `report` safe to leave the portal.

    - a count from 1 to `minimum` - 1 reads "<minimum";
    - a figure computed from a hidden one (a share, an average) reads "..";
    - where a hidden figure could be worked out from a declared `Sum` (one hidden cell
      among a total and its parts), the smallest other part is hidden too, as "..";
      and so on until nothing hidden can be worked out again;
    - running totals (`Table.running_columns`, `running_rows`) other than 0 read "..", and what
      could be worked out from them through a `Sum` is hidden as above;
    - paragraphs resting on a small group are left out (a line says how many);
    - a note explains the marks.
    """
    small = {
        (t, r, c)
        for t, table in enumerate(report.tables)
        for r, row in enumerate(table.rows)
        for c in table.count_columns
        if c < len(row) and is_small(row[c], minimum)
    }
    running = {
        (t, r, c)
        for t, table in enumerate(report.tables)
        for r, c in table.running_cells()
        if table.rows[r][c] != 0  # a total still at 0 gives nothing away
    }
    hidden = _complete(report, small | running)
    tables = tuple(_masked(t, table, small, hidden, minimum) for t, table in enumerate(report.tables))
    texts = tuple(_suppress_text(text, minimum) for text in report.texts)
    notes = (_RUNNING,) if running else ()
    note = _(
        "Counts from 1 to %(highest)d are shown as “%(marker)s”; a figure that would give one of them away "
        "(by subtraction, or computed from it: a share, an average) as “%(hidden)s”. So nobody can be "
        "recognised.",
        highest=minimum - 1,
        marker=marker(minimum),
        hidden=HIDDEN,
    )
    return replace(report, tables=tables, texts=texts, notes=(*report.notes, note, *notes))


def _complete(report: BuiltReport, hidden: set) -> set:
    """Hide more until nothing hidden can be worked out again: every figure computed from
    a hidden one (`derived_columns`, followed along chains), and in every declared sum
    with exactly one hidden cell the smallest non-zero other part (or the total, when
    every other part is zero)."""

    def value(cell):
        table, row, column = cell
        figure = report.tables[table].rows[row][column]
        return figure if isinstance(figure, Number) and not isinstance(figure, bool) else 0

    changed = True
    while changed:
        changed = False
        for t, table in enumerate(report.tables):
            for r in range(len(table.rows)):
                for column, source in table.derived_columns:
                    if (t, r, source) in hidden and (t, r, column) not in hidden:
                        hidden.add((t, r, column))
                        changed = True
        for declared in report.sums:
            cells = (declared.total, *declared.parts)
            if sum(cell in hidden for cell in cells) != 1:
                continue
            candidates = [cell for cell in declared.parts if cell not in hidden and value(cell) > 0]
            if not candidates and declared.total not in hidden and value(declared.total) > 0:
                candidates = [declared.total]
            if candidates:
                hidden.add(min(candidates, key=lambda cell: (value(cell), cell)))
                changed = True
    return hidden


def _masked(index: int, table: Table, small: set, hidden: set, minimum: int) -> Table:
    rows = tuple(
        tuple(
            marker(minimum) if (index, r, c) in small else HIDDEN if (index, r, c) in hidden else value
            for c, value in enumerate(row)
        )
        for r, row in enumerate(table.rows)
    )
    return replace(table, rows=rows)


def _suppress_text(text: Text, minimum: int) -> Text:
    kept = tuple(p for p in text.paragraphs if not any(is_small(count, minimum) for count in p.counts))
    left_out = len(text.paragraphs) - len(kept)
    if left_out:
        kept += (
            Paragraph(
                _(
                    "Left out of this copy, because they describe fewer than %(minimum)d people: %(count)d.",
                    minimum=minimum,
                    count=left_out,
                )
            ),
        )
    return replace(text, paragraphs=kept)
