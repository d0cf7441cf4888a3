"""The 3R gender-equality follow-up of a region's period: Representation (who takes part),
Resources (who gets what: placement days and hours, supervision, waiting, offers turned
down), Realia (why: observations the portal finds, beside the coordinator's analysis).

Every figure is by gender (women, men, not stated). Each part is one query, whatever
the data size; observations are drawn from the tables already built, and each carries
the sizes of the groups it compares, so that it is left out of an export when a group
is small.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, exists, func, literal, null, or_, select, true, union_all

from portal.domain.calendar import local_today
from portal.domain.reports.interface import BuiltReport, Text
from portal.domain.reports.sql import days_between, greatest, least, percentiles, start_of_day
from portal.domain.training.definitions import trained_supervisors
from portal.i18n import lazy_gettext as _
from portal.models import AttendanceDay, Cohort, Offer, Participant, Placement, Referral, Supervisor, User

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
        period, region = params["period"], params.get("region")
        today = local_today()
        represented = _by_group(session.execute(_participants(period, region)), session.execute(_staff(period, region)))
        placements = _by_gender(session.execute(_placements(period, region, today)))
        supervision = _by_gender(session.execute(_supervision(period, region, today)))
        waiting = _by_gender(session.execute(_waiting(period, region)))
        waiting_all = waiting.pop(None, None)
        offers = _by_gender(session.execute(_offers(period, region)))
        tables = (
            representation_table(represented),
            placements_table(placements),
            supervision_table(supervision),
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


def _participants(period, region):
    """(gender, referred, placed, completed): participants by gender, in one pass."""
    submitted = and_(Referral.submitted_at >= period.starts_at, Referral.submitted_at < period.ends_before)
    started = and_(Placement.state.in_(STARTED_STATES), Placement.start_date.between(period.start, period.end))
    completed = and_(Placement.state == "completed", Placement.end_date.between(period.start, period.end))

    def people(condition):
        return func.count(func.distinct(case((condition, Participant.id))))

    query = (
        select(
            Participant.gender.label("gender"),
            people(submitted).label("referred"),
            people(started).label("placed"),
            people(completed).label("completed"),
        )
        .select_from(Referral)
        .join(Participant, Participant.id == Referral.participant_id)
        .outerjoin(Placement, Placement.referral_id == Referral.id)
        .where(or_(submitted, started, completed))
    )
    return _in_region(query, region).group_by(Participant.gender)


def _staff(period, region):
    """(group, gender, people) for the supervisors' and caseworkers' groups, in one query."""
    submitted = and_(Referral.submitted_at >= period.starts_at, Referral.submitted_at < period.ends_before)
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

    active = (
        select(
            literal("active").label("grp"),
            Supervisor.gender.label("gender"),
            func.count(func.distinct(Supervisor.id)).label("people"),
        )
        .select_from(Placement)
        .join(Supervisor, Supervisor.id == Placement.supervisor_id)
        .join(Referral, Referral.id == Placement.referral_id)
        .where(*_running(period))
    )
    caseworkers = (
        select(
            literal("caseworkers").label("grp"),
            User.gender.label("gender"),
            func.count(func.distinct(User.id)).label("people"),
        )
        .select_from(Referral)
        .join(User, User.id == Referral.caseworker_id)
        .where(submitted)
    )
    return union_all(
        trained_or_certified("trained", true(), (trained, trained.c.supervisor_id == Supervisor.id)),
        trained_or_certified("certified", Supervisor.certified_on <= period.end),
        _in_region(active, region).group_by(Supervisor.gender),
        _in_region(caseworkers, region).group_by(User.gender),
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
    return greatest(days_between(last, greatest(Placement.start_date, period.start)) + 1, 0)


def _hours(period, today: date):
    """A placement's hours in the period: the attendance recorded where it has any there,
    else its planned hours per week spread over the days it ran."""
    in_period = (AttendanceDay.placement_id == Placement.id, AttendanceDay.day.between(period.start, period.end))
    recorded = select(func.coalesce(func.sum(AttendanceDay.hours), 0)).where(*in_period).scalar_subquery()
    planned = _days_in_period(period, today) * Placement.hours_per_week / 7.0
    return case((exists().where(*in_period), recorded), else_=planned)


def _placements(period, region, today):
    days = _days_in_period(period, today)
    query = (
        select(
            Participant.gender.label("gender"),
            func.count().label("placements"),
            func.sum(days).label("days"),
            func.sum(_hours(period, today)).label("hours"),
        )
        .select_from(Placement)
        .join(Referral, Referral.id == Placement.referral_id)
        .join(Participant, Participant.id == Referral.participant_id)
        .where(*_running(period))
    )
    return _in_region(query, region).group_by(Participant.gender)


def _supervision(period, region, today):
    query = (
        select(
            Supervisor.gender.label("gender"),
            func.count(func.distinct(Supervisor.id)).label("supervisors"),
            func.count().label("placements"),
            func.sum(_hours(period, today)).label("hours"),
        )
        .select_from(Placement)
        .join(Supervisor, Supervisor.id == Placement.supervisor_id)
        .join(Referral, Referral.id == Placement.referral_id)
        .where(*_running(period))
    )
    return _in_region(query, region).group_by(Supervisor.gender)


def _waits(period, region):
    """Days from submission to the start date entered (from the start of that day, as in
    the lead-time report), for placements begun in the period."""
    start = greatest(start_of_day(Placement.start_date, period.zone), Referral.submitted_at)
    query = (
        select(Participant.gender.label("gender"), days_between(start, Referral.submitted_at).label("days"))
        .select_from(Placement)
        .join(Referral, Referral.id == Placement.referral_id)
        .join(Participant, Participant.id == Referral.participant_id)
        .where(
            Placement.state.in_(STARTED_STATES),
            Placement.start_date.between(period.start, period.end),
            Referral.submitted_at.is_not(None),
        )
    )
    return _in_region(query, region).cte("waits")


def _waiting(period, region):
    """Count, mean and median of the waits by gender, and (gender None) for everyone: one
    statement, the waits read once."""
    waits = _waits(period, region)
    everyone = percentiles(waits, [], percents=(50,)).subquery("everyone")
    return union_all(
        percentiles(waits, ["gender"], percents=(50,)),
        select(null().label("gender"), everyone.c["count"], everyone.c.mean, everyone.c.p50),
    )


def _offers(period, region):
    query = (
        select(
            Participant.gender.label("gender"),
            func.count().label("offers"),
            func.sum(case((Offer.state == "declined", 1), else_=0)).label("declined"),
            func.sum(case((Offer.state == "expired", 1), else_=0)).label("expired"),
        )
        .select_from(Offer)
        .join(Referral, Referral.id == Offer.referral_id)
        .join(Participant, Participant.id == Referral.participant_id)
        .where(Offer.offered_at >= period.starts_at, Offer.offered_at < period.ends_before)
    )
    return _in_region(query, region).group_by(Participant.gender)


def _by_group(participants, staff) -> dict[str, dict[str, int]]:
    """{group: {gender: people}} from the participants' wide rows and the staff's long ones."""
    found: dict[str, dict[str, int]] = {group: {} for group in GROUPS}
    for row in participants:
        for group in ("referred", "placed", "completed"):
            found[group][row.gender] = getattr(row, group)
    for row in staff:
        found[row.grp][row.gender] = row.people
    return found


def _by_gender(rows) -> dict[str, object]:
    return {row.gender: row for row in rows}
