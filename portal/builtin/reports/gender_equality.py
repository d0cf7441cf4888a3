"""The 3R gender-equality follow-up of a region's period: Representation (who takes part),
Resources (who gets what: placement days and hours, supervision, waiting, offers turned
down), Realia (why: observations the portal finds, beside the coordinator's analysis).

Every figure is by gender (women, men, not stated). The report reads each large table
once, whatever the data size: one statement over the placements running in the period
(participants placed and completed, placement days and hours, supervision, active
supervisors, waits), one over the period's referrals (participants referred,
caseworkers), one over its offers, and one over the supervisors trained and certified
(bench/README.md has the timings). The participant's gender is read from its copy on
the referral and the offer, so that no statement joins the participants. Observations
are drawn from the tables already built, and each carries the sizes of the groups it
compares, so that it is left out of an export when a group is small.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, case, func, literal, null, or_, select, true, union_all

from portal.domain.calendar import local_today
from portal.domain.reports import stored
from portal.domain.reports.interface import BuiltReport, Text
from portal.domain.reports.sql import days_between, days_between_dates, greatest, least, percentiles, start_of_day
from portal.domain.training.definitions import trained_supervisors
from portal.i18n import lazy_gettext as _
from portal.models import AttendanceDay, Cohort, Offer, Placement, Referral, Supervisor, User

from .common import PERIOD, REGION, STARTED_STATES, covers
from .gender_equality_realia import REALIA, analysis, observations
from .gender_equality_tables import (
    GROUPS,
    offers_table,
    placements_table,
    representation_table,
    sums,
    supervision_table,
    waiting_table,
)


class GenderEqualityReport:
    identifier = "3r"
    title = _("Gender equality (3R)")
    description = _(
        "Representation, Resources and Realia: women, men and not stated among participants, "
        "supervisors and caseworkers; placement days, supervision, waiting and offers by gender; "
        "observations and the region's written analysis."
    )
    parameters = (PERIOD, REGION)
    writes_realia = True  # the report page offers the region's coordinators to write the analysis

    def build(self, session, params) -> BuiltReport:
        period, region, today = params["period"], params.get("region"), local_today()
        found = stored.results(
            session,
            period,
            today,
            {
                "placements": _placements(period, region, today, session.get_bind().dialect.name),
                "referred": _referred(period, region),
                "offers": _offers(period, region),
            },
        )
        figures = _placement_figures(found["placements"])
        represented = _by_group(found["referred"], session.execute(_staff(period, region)))
        represented["placed"], represented["completed"] = figures.placed, figures.completed
        represented["active"] = {gender: row.supervisors for gender, row in figures.supervision.items()}
        waiting = figures.waiting
        waiting_all = waiting.pop(None, None)
        offers = _by_gender(found["offers"])
        tables = (
            representation_table(represented),
            placements_table(figures.placements),
            supervision_table(figures.supervision),
            waiting_table(waiting, waiting_all),
            offers_table(offers),
        )
        texts = (Text(_("Observations"), observations(tables, params), section=REALIA),)
        if region is not None:
            texts += (analysis(session, region, period),)
        return BuiltReport(
            self.title, tables, subtitle=covers(params), texts=texts, sums=sums(tables), notes=DEFINITIONS
        )


DEFINITIONS = (
    _(
        "Referred: participants with a referral submitted in the period. Placed: whose placement began in it. "
        "Completed: whose placement was completed in it."
    ),
    _(
        "Supervisors trained: every module of their cohort completed by the end of the period; certified: by its "
        "end; both counted in the region of their cohort. Active: supervised a placement of the region running in "
        "the period."
    ),
    _(
        "Placement days: calendar days of the period a placement ran, from its start date to its end date, the "
        "period's end or today, whichever comes first (never negative); hours: days × hours per week ÷ 7. Waiting: "
        "days from submission to the start date entered, for placements begun in the period; a referral withdrawn "
        "before the start is no placement. Offers: made in the period, and how they were answered."
    ),
)


# Queries ---------------------------------------------------------------------------------


def _in_region(query, region, column=Referral.region_id):
    return query.where(column == region.id) if region is not None else query


def _referred(period, region):
    """(grp, gender, people): the participants referred in the period and the caseworkers
    who referred them, both from one pass over the period's referrals."""
    submitted = and_(Referral.submitted_at >= period.starts_at, Referral.submitted_at < period.ends_before)
    referrals = _in_region(
        select(
            Referral.participant_id,
            Referral.participant_gender.label("gender"),
            Referral.caseworker_id.label("caseworker_id"),
            User.gender.label("caseworker_gender"),
        )
        .select_from(Referral)
        .outerjoin(User, User.id == Referral.caseworker_id)
        .where(submitted),
        region,
    ).cte("referred")
    return union_all(
        select(
            literal("referred").label("grp"),
            referrals.c.gender,
            func.count(func.distinct(referrals.c.participant_id)).label("people"),
        ).group_by(referrals.c.gender),
        select(
            literal("caseworkers"),
            referrals.c.caseworker_gender,
            func.count(func.distinct(referrals.c.caseworker_id)),
        )
        .where(referrals.c.caseworker_id.is_not(None))
        .group_by(referrals.c.caseworker_gender),
    )


def _staff(period, region):
    """(grp, gender, people) for the supervisors trained and certified, in one query."""
    trained = trained_supervisors(period.end).subquery()

    def trained_or_certified(group, condition, *joins):
        query = (
            select(literal(group).label("grp"), Supervisor.gender.label("gender"), func.count().label("people"))
            .select_from(Supervisor)
            .join(Cohort, Cohort.id == Supervisor.cohort_id)
        )
        for target, on in joins:
            query = query.join(target, on)
        return _in_region(query.where(condition), region, Cohort.region_id).group_by(Supervisor.gender)

    return union_all(
        trained_or_certified("trained", true(), (trained, trained.c.supervisor_id == Supervisor.id)),
        trained_or_certified("certified", Supervisor.certified_on <= period.end),
    )


def _running(period):
    return (
        Placement.state.in_(STARTED_STATES),
        Placement.start_date <= period.end,
        or_(Placement.end_date.is_(None), Placement.end_date >= period.start),
    )


def _days_in_period(period, today: date):
    """Calendar days of the period a placement ran: from the start date recorded (or the
    period's start) to the earliest of its end date, the period's end and today; never
    negative, never in the future."""
    last = least(func.coalesce(Placement.end_date, today), period.end, today)
    return greatest(days_between_dates(last, greatest(Placement.start_date, period.start)) + 1, 0)


def _attended(period):
    """(placement_id, hours) for every placement with attendance recorded in the period."""
    return (
        select(AttendanceDay.placement_id, func.sum(AttendanceDay.hours).label("hours"))
        .where(AttendanceDay.day.between(period.start, period.end))
        .group_by(AttendanceDay.placement_id)
        .subquery("attended")
    )


def _hours(period, today: date, attended):
    """A placement's hours in the period: the attendance recorded where it has any there
    (`attended`, joined), else its planned hours per week spread over the days it ran."""
    planned = _days_in_period(period, today) * Placement.hours_per_week / 7.0
    return case((attended.c.placement_id.is_not(None), func.coalesce(attended.c.hours, 0)), else_=planned)


def _running_placements(period, region, today):
    """Every placement of the region running in the period, read once with what the
    figures need. A placement begun or completed in the period runs in it (its end date
    is never before its start date), so the participants placed and completed, the
    placements, the supervision and the waits are all drawn from these rows.

    Waits: days from submission to the start date entered (from the start of that day,
    as in the lead-time report), for placements begun in the period."""
    began = Placement.start_date.between(period.start, period.end)
    completed = and_(Placement.state == "completed", Placement.end_date.between(period.start, period.end))
    start = greatest(start_of_day(Placement.start_date, period.zone), Referral.submitted_at)
    waited = and_(began, Referral.submitted_at.is_not(None))
    attended = _attended(period)
    query = (
        select(
            Referral.participant_gender.label("gender"),
            Supervisor.id.label("supervisor_id"),
            Supervisor.gender.label("supervisor_gender"),
            _days_in_period(period, today).label("days"),
            _hours(period, today, attended).label("hours"),
            case((began, Referral.participant_id)).label("placed"),
            case((completed, Referral.participant_id)).label("completed"),
            case((waited, days_between(start, Referral.submitted_at))).label("wait"),
        )
        .select_from(Placement)
        .join(Referral, Referral.id == Placement.referral_id)
        .join(Supervisor, Supervisor.id == Placement.supervisor_id)
        .outerjoin(attended, attended.c.placement_id == Placement.id)
        .where(*_running(period))
    )
    return _in_region(query, region).cte("running")


def _placements(period, region, today, dialect=None):
    """Every figure drawn from placements, in one statement over one read of them: rows
    (part, gender, n1, n2, n3, x1, x2), one part per grouping, read by `_placement_figures`.
    A closed period's placement days end with it whatever today is, so its statement is
    written with the period's last day for today: the same figures, and the same
    statement every day after, which `stored` can serve again."""
    running = _running_placements(period, region, min(today, period.end))
    waits = select(running.c.gender, running.c.wait.label("days")).where(running.c.wait.is_not(None)).subquery()
    by_gender = percentiles(waits, ["gender"], percents=(50,), dialect=dialect).subquery("by_gender")
    everyone = percentiles(waits, [], percents=(50,), dialect=dialect).subquery("everyone")
    return union_all(
        select(
            literal("placements").label("part"),
            running.c.gender.label("gender"),
            func.count().label("n1"),
            func.count(func.distinct(running.c.placed)).label("n2"),
            func.count(func.distinct(running.c.completed)).label("n3"),
            func.sum(running.c.days).label("x1"),
            func.sum(running.c.hours).label("x2"),
        ).group_by(running.c.gender),
        select(
            literal("supervision"),
            running.c.supervisor_gender,
            func.count(func.distinct(running.c.supervisor_id)),
            func.count(),
            null(),
            null(),
            func.sum(running.c.hours),
        ).group_by(running.c.supervisor_gender),
        select(literal("waiting"), *by_gender.c["gender", "count"], null(), null(), *by_gender.c["mean", "p50"]),
        select(literal("waiting"), null(), everyone.c["count"], null(), null(), *everyone.c["mean", "p50"]),
    )


class PlacementFigures(NamedTuple):
    placements: dict  # {participant's gender: Placements}
    placed: dict[str, int]  # participants whose placement began in the period, by gender
    completed: dict[str, int]  # and completed in it
    supervision: dict  # {supervisor's gender: Supervision}
    waiting: dict  # {participant's gender, None for everyone: Waiting}


class Placements(NamedTuple):
    placements: int
    days: object
    hours: object


class Supervision(NamedTuple):
    supervisors: int
    placements: int
    hours: object


class Waiting(NamedTuple):
    count: int
    mean: object
    p50: object


def _placement_figures(rows) -> PlacementFigures:
    """The figures drawn from placements, from the rows of `_placements`."""
    figures = PlacementFigures({}, {}, {}, {}, {})
    for part, gender, n1, n2, n3, x1, x2 in rows:
        if part == "placements":
            figures.placements[gender] = Placements(n1, x1, x2)
            figures.placed[gender], figures.completed[gender] = n2, n3
        elif part == "supervision":
            figures.supervision[gender] = Supervision(n1, n2, x2)
        else:
            figures.waiting[gender] = Waiting(n1, x1, x2)
    return figures


def _offers(period, region):
    """The period's offers by the participant's gender (the offer's copy of it); their
    referrals are read only to keep a region's."""
    query = (
        select(
            Offer.participant_gender.label("gender"),
            func.count().label("offers"),
            func.sum(case((Offer.state == "declined", 1), else_=0)).label("declined"),
            func.sum(case((Offer.state == "expired", 1), else_=0)).label("expired"),
        )
        .where(Offer.offered_at >= period.starts_at, Offer.offered_at < period.ends_before)
        .group_by(Offer.participant_gender)
    )
    if region is not None:
        query = query.join(Referral, Referral.id == Offer.referral_id).where(Referral.region_id == region.id)
    return query


def _by_group(*long_rows) -> dict[str, dict[str, int]]:
    """{group: {gender: people}} from rows (grp, gender, people)."""
    found: dict[str, dict[str, int]] = {group: {} for group in GROUPS}
    for rows in long_rows:
        for row in rows:
            found[row.grp][row.gender] = row.people
    return found


def _by_gender(rows) -> dict[str, object]:
    return {row.gender: row for row in rows}
