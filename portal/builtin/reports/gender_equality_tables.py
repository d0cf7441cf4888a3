"""The 3R report's tables: Representation (women, men and not stated in each group) and
Resources (placements, supervision, waiting, offers), from the rows its queries give, with
the columns that count people, what is computed from what, and which counts add up.
"""

from __future__ import annotations

from portal.domain.reports.interface import BarChart, Sum, Table
from portal.i18n import lazy_gettext as _

from .common import GENDER_ORDER, gender_label, rounded, share

REPRESENTATION, RESOURCES = _("Representation"), _("Resources")
HOURS_NOTE = _(
    "Hours are the attendance the supervisor recorded, for placements with attendance recorded in the "
    "period; for the others, the planned hours per week spread over the days the placement ran."
)
GENDER_COLUMNS = tuple(gender_label(code) for code in GENDER_ORDER)
GROUPS = {
    "referred": _("Participants referred"),
    "placed": _("Participants placed"),
    "completed": _("Participants who completed"),
    "trained": _("Supervisors trained"),
    "certified": _("Supervisors certified"),
    "active": _("Supervisors active"),
    "caseworkers": _("Caseworkers referring"),
}
WOMAN, MAN = GENDER_ORDER[0], GENDER_ORDER[1]
RUNNING_GROUPS = ("trained", "certified")
"""Counted up to the end of the period, whenever it began: left out of downloads."""


def representation_table(represented) -> Table:
    rows = []
    for group, label in GROUPS.items():
        counts = [represented[group].get(gender, 0) for gender in GENDER_ORDER]
        total = sum(counts)
        rows.append((label, *counts, total, *(share(count, total) for count in counts)))
    columns = (_("Group"), *GENDER_COLUMNS, _("Total"), *(_("%(gender)s (%%)", gender=g) for g in GENDER_COLUMNS))
    return Table(
        _("Women, men and not stated"),
        columns,
        tuple(rows),
        count_columns=frozenset({1, 2, 3, 4}),
        derived_columns=((5, 1), (6, 2), (7, 3)),
        section=REPRESENTATION,
        chart=BarChart((5, 6, 7), unit="%", maximum=100),
        running_rows=frozenset(position for position, group in enumerate(GROUPS) if group in RUNNING_GROUPS),
    )


def _gender_rows(found: dict, figures) -> tuple[tuple, ...]:
    """One row per gender (women, men, not stated), from `figures(row or None) -> tuple`."""
    return tuple((gender_label(gender), *figures(found.get(gender))) for gender in GENDER_ORDER)


def placements_table(found) -> Table:
    total_days = sum(float(row.days or 0) for row in found.values())

    def figures(row):
        if row is None:
            return (0, 0, 0, None, None)
        return (
            row.placements,
            rounded(row.days, 0),
            rounded(row.hours, 0),
            rounded(float(row.days) / row.placements),
            share(row.days, total_days),
        )

    rows = _gender_rows(found, figures)
    placements = sum(row[1] for row in rows)
    total_hours = sum(float(row.hours or 0) for row in found.values())
    rows += (
        (
            _("Total"),
            placements,
            rounded(total_days, 0),
            rounded(total_hours, 0),
            rounded(total_days / placements) if placements else None,
            100.0 if total_days else None,
        ),
    )
    return Table(
        _("Placements by participant's gender"),
        (
            _("Gender"),
            _("Placements running"),
            _("Placement days"),
            _("Placement hours"),
            _("Days per placement"),
            _("Share of placement days (%)"),
        ),
        rows,
        count_columns=frozenset({1}),
        derived_columns=((2, 1), (3, 1), (4, 2), (5, 2)),
        section=RESOURCES,
        notes=(HOURS_NOTE,),
        chart=BarChart((5,), unit="%", maximum=100),
    )


def supervision_table(found) -> Table:
    total_hours = sum(float(row.hours or 0) for row in found.values())

    def figures(row):
        if row is None:
            return (0, 0, 0, None)
        return (row.supervisors, row.placements, rounded(row.hours, 0), share(row.hours, total_hours))

    rows = _gender_rows(found, figures)
    rows += (
        (
            _("Total"),
            sum(r[1] for r in rows),
            sum(r[2] for r in rows),
            rounded(total_hours, 0),
            100.0 if total_hours else None,
        ),
    )
    return Table(
        _("Supervision by supervisor's gender"),
        (
            _("Gender"),
            _("Supervisors"),
            _("Placements supervised"),
            _("Supervision hours"),
            _("Share of supervision hours (%)"),
        ),
        rows,
        count_columns=frozenset({1, 2}),
        derived_columns=((3, 1), (4, 3)),
        section=RESOURCES,
        notes=(HOURS_NOTE,),
        chart=BarChart((4,), unit="%", maximum=100),
    )


def waiting_table(found, overall) -> Table:
    def figures(row):
        if row is None:
            return (0, None, None)
        return (row.count, rounded(row.mean), rounded(row.p50))

    rows = _gender_rows(found, figures) + ((_("Total"), *figures(overall if overall and overall.count else None)),)
    return Table(
        _("Waiting from submission to start"),
        (_("Gender"), _("Placements begun"), _("Average (days)"), _("Median (days)")),
        rows,
        count_columns=frozenset({1}),
        derived_columns=((2, 1), (3, 1)),
        section=RESOURCES,
        chart=BarChart((2, 3), unit=_("days")),
    )


def offers_table(found) -> Table:
    def figures(row):
        if row is None:
            return (0, 0, 0, None, None)
        return (
            row.offers,
            row.declined or 0,
            row.expired or 0,
            share(row.declined, row.offers),
            share(row.expired, row.offers),
        )

    rows = _gender_rows(found, figures)
    offers, declined, expired = (sum(r[i] for r in rows) for i in (1, 2, 3))
    rows += ((_("Total"), offers, declined, expired, share(declined, offers), share(expired, offers)),)
    return Table(
        _("Offers by participant's gender"),
        (
            _("Gender"),
            _("Offers made"),
            _("Offers declined"),
            _("Offers expired"),
            _("Offers declined (%)"),
            _("Offers expired (%)"),
        ),
        rows,
        count_columns=frozenset({1, 2, 3}),
        derived_columns=((4, 2), (5, 3)),
        section=RESOURCES,
        chart=BarChart((4, 5), unit="%", maximum=100),
    )


def sums(tables) -> tuple[Sum, ...]:
    """Women, men and not stated add up to the total, in every row of Representation and
    in every summed column of Resources."""
    representation = [Sum.across(0, row, 4, (1, 2, 3)) for row in range(len(GROUPS))]
    resources = [
        Sum.down(table, column, 3, range(3))
        for table, columns in ((1, (1, 2, 3)), (2, (1, 2, 3)), (3, (1,)), (4, (1, 2, 3)))
        for column in columns
    ]
    return tuple(representation + resources)
