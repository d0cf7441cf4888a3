"""The ESF participant report: who started and who left in the period, by gender, age
band, labour-market status at the start, education level, and (for those who left) the
result at exit, with each column documented as the ESF's indicators define it.

ESF+ common indicators (Regulation (EU) 2021/1057, Annex I) count *persons*: a participant
starts when their first placement in the period begins and leaves when their last one in
it ends (completed or discontinued; a planned placement withdrawn before the start never
began). Age bands are the ESF+ ones (under 18, 18–29, 30–54, 55 and over), counted at
entry; labour-market status and education are those at entry, copied onto the placement
when it started, not what is recorded on the participant today. The result at exit is
the placement's outcome.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import and_, case, func, literal, null, select, union_all

from portal.domain.reports.interface import BarChart, BuiltReport, Sum, Table
from portal.domain.reports.sql import age_at
from portal.domain.vocabulary import EDUCATION_LEVELS, LABOUR_MARKET_STATUSES, OUTCOMES
from portal.i18n import lazy_gettext as _
from portal.models import Participant, Placement, Referral

from .common import GENDER_ORDER, PERIOD, REGION, STARTED_STATES, covers, gender_label

NOT_RECORDED = ""
AGE_BANDS = {"under_18": _("Under 18"), "18_29": _("18–29"), "30_54": _("30–54"), "55_over": _("55 and over")}
ENDED_STATES = ("completed", "discontinued")
CHARACTERISTICS = (  # (column of the grouped rows, heading, categories)
    ("age_band", _("Age at entry"), AGE_BANDS),
    ("status", _("Labour-market status at entry"), LABOUR_MARKET_STATUSES),
    ("education", _("Education level at entry"), EDUCATION_LEVELS),
)
RESULT = ("outcome", _("Result at exit"), OUTCOMES)
COLUMNS = (_("Characteristic"), _("Category"), *(gender_label(code) for code in GENDER_ORDER), _("Total"))
DEFINITIONS = (
    _(
        "Persons, as the ESF+ common indicators count them: started: a placement of theirs began in the period "
        "(counted once, at their first start in it); left: a placement of theirs ended in the period, completed or "
        "discontinued (counted once, at their last exit in it). A placement withdrawn before its start is not counted."
    ),
    _(
        "Age at entry: whole years on the day the placement began, in the ESF+ bands under 18, 18–29, 30–54, 55 and "
        "over. Labour-market status and education at entry: as recorded when the placement started."
    ),
    _(
        "Unemployed: without work and looking for it. Long-term unemployed: so for over 12 months (over 6 months "
        "under 25). Inactive: neither working nor looking for work. Employed: including self-employed."
    ),
    _(
        "Education level: the highest completed, in ISCED 2011 bands: 0–2 compulsory school or less, 3–4 upper "
        "secondary, 5–8 tertiary."
    ),
    _(
        "Result at exit: in employment (including self-employed), in education or training, job seeking, or "
        "other; not recorded when the placement ended without one."
    ),
)


class EsfParticipantReport:
    identifier = "esf-participants"
    title = _("ESF participant report")
    description = _(
        "Participants who started and who left in the period, by gender, age, labour-market status, "
        "education and result at exit."
    )
    parameters = (PERIOD, REGION)

    def build(self, session, params) -> BuiltReport:
        counts = {"started": Counter(), "left": Counter()}
        for row in session.execute(_entries(params)):
            counts[row.kind][
                (
                    row.gender,
                    row.age_band,
                    row.status or NOT_RECORDED,
                    row.education or NOT_RECORDED,
                    row.outcome or NOT_RECORDED,
                )
            ] += row.people
        summary = tuple(
            (gender_label(gender), _total(counts["started"], gender), _total(counts["left"], gender))
            for gender in GENDER_ORDER
        )
        summary += ((_("Total"), sum(counts["started"].values()), sum(counts["left"].values())),)
        tables = (
            Table(
                _("Started and left, by gender"),
                (_("Gender"), _("Started"), _("Left")),
                summary,
                count_columns=frozenset({1, 2}),
                chart=BarChart((1, 2)),
            ),
            Table(
                _("Participants who started in the period"),
                COLUMNS,
                _rows(counts["started"], CHARACTERISTICS),
                count_columns=frozenset({2, 3, 4, 5}),
            ),
            Table(
                _("Participants who left in the period"),
                COLUMNS,
                _rows(counts["left"], (*CHARACTERISTICS, RESULT)),
                count_columns=frozenset({2, 3, 4, 5}),
            ),
        )
        return BuiltReport(self.title, tables, subtitle=covers(params), notes=DEFINITIONS, sums=_sums(tables))


KEY = {"gender": 0, "age_band": 1, "status": 2, "education": 3, "outcome": 4}


def _total(counter: Counter, gender: str) -> int:
    return sum(people for key, people in counter.items() if key[0] == gender)


def _sums(tables) -> tuple[Sum, ...]:
    """Genders add up to the total in every row; a characteristic's categories add up to
    all participants in every column; the summary repeats the detailed tables' first row."""
    sums = [Sum.down(0, column, 3, range(3)) for column in (1, 2)]
    for table in (1, 2):
        rows = tables[table].rows
        sums += [Sum.across(table, row, 5, (2, 3, 4)) for row in range(len(rows))]
        for first in range(1, len(rows)):
            if rows[first][0] != rows[first - 1][0]:
                block = [row for row in range(first, len(rows)) if rows[row][0] == rows[first][0]]
                sums += [Sum.down(table, column, 0, block) for column in (2, 3, 4, 5)]
        sums += [Sum((0, gender, table), ((table, 0, 2 + gender),)) for gender in range(3)]
        sums.append(Sum((0, 3, table), ((table, 0, 5),)))
    return tuple(sums)


def _rows(counter: Counter, characteristics) -> tuple[tuple, ...]:
    """One row per category of each characteristic (and "not recorded"), with women, men,
    not stated and the total; every category is there even when nobody is in it."""
    rows = [(_("All participants"), "", *(_total(counter, g) for g in GENDER_ORDER), sum(counter.values()))]
    for column, heading, categories in characteristics:
        position = KEY[column]
        for code, category in [*categories.items(), (NOT_RECORDED, _("Not recorded"))]:
            by_gender = [
                sum(people for key, people in counter.items() if key[0] == g and key[position] == code)
                for g in GENDER_ORDER
            ]
            rows.append((heading, category, *by_gender, sum(by_gender)))
    return tuple(rows)


def _entries(params):
    """Persons per (kind, gender, age band, status, education, outcome): one query. Each
    person's placements are ranked (first start, last exit in the period) and only the
    first of each person is counted."""
    period, region = params["period"], params.get("region")
    age = age_at(Participant.birth_date, Placement.start_date)
    age_band = case(
        (Participant.birth_date.is_(None), NOT_RECORDED),
        (age < 18, "under_18"),
        (age < 30, "18_29"),
        (age < 55, "30_54"),
        else_="55_over",
    )

    def entries(kind: str, outcome, order, *conditions):
        query = (
            select(
                Participant.gender.label("gender"),
                age_band.label("age_band"),
                Placement.status_at_entry.label("status"),
                Placement.education_at_entry.label("education"),
                (outcome if outcome is not None else null()).label("outcome"),
                func.row_number().over(partition_by=Participant.id, order_by=order).label("rank"),
            )
            .select_from(Placement)
            .join(Referral, Referral.id == Placement.referral_id)
            .join(Participant, Participant.id == Referral.participant_id)
            .where(*conditions)
        )
        if region is not None:
            query = query.where(Referral.region_id == region.id)
        each = query.subquery(kind)
        grouped = [each.c.gender, each.c.age_band, each.c.status, each.c.education, each.c.outcome]
        return (
            select(literal(kind).label("kind"), *grouped, func.count().label("people"))
            .where(each.c.rank == 1)
            .group_by(*grouped)
        )

    started = entries(
        "started",
        None,
        (Placement.start_date, Placement.id),
        Placement.state.in_(STARTED_STATES),
        Placement.start_date.between(period.start, period.end),
    )
    left = entries(
        "left",
        Placement.outcome,
        (Placement.end_date.desc(), Placement.id.desc()),
        Placement.state.in_(ENDED_STATES),
        and_(Placement.end_date.is_not(None), Placement.end_date.between(period.start, period.end)),
    )
    return union_all(started, left)
