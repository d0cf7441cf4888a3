"""The lead-time report: submission → first offer → acceptance → start, as the median and
90th percentile of days, overall, by region and by authority, so that slow steps show.

A step is counted in the period it ended in (an offer made, an offer accepted, a
placement started); the whole lead time is counted when the placement started. Offers
and placements carry the moments, so the figures do not depend on the timeline.
"""

from __future__ import annotations

from sqlalchemy import and_, func, literal, select, union_all

from portal.domain.reports.interface import BarChart, BuiltReport, Sum, Table
from portal.domain.reports.sql import days_between, percentiles
from portal.i18n import lazy_gettext as _
from portal.models import Authority, Offer, OfferState, Placement, Referral, Region

from .common import AUTHORITY, PERIOD, REGION, STARTED_STATES, covers, rounded

STEPS = {
    1: _("Submission → first offer"),
    2: _("First offer → acceptance"),
    3: _("Acceptance → start"),
    4: _("Submission → start (whole lead time)"),
}
COUNT, MEDIAN, P90 = _("Referrals"), _("Median (days)"), _("90th percentile (days)")


class LeadTimeReport:
    identifier = "lead-times"
    title = _("Lead times")
    description = _(
        "Days from submission to first offer, acceptance and start: median and 90th percentile, "
        "by region and by authority."
    )
    parameters = (PERIOD, REGION, AUTHORITY)
    roles = frozenset({"admin", "coordinator", "caseworker"})

    def build(self, session, params) -> BuiltReport:
        durations = _durations(params).subquery("durations")
        overall = percentiles(durations, ["step"]).subquery()
        by_region = percentiles(durations, ["step", "region_id"]).subquery()
        by_authority = percentiles(durations, ["step", "authority_id"]).subquery()
        rows_overall = session.execute(select(overall).order_by(overall.c.step)).all()
        rows_region = session.execute(
            select(Region.name, by_region)
            .join(Region, Region.id == by_region.c.region_id)
            .order_by(Region.name, by_region.c.step)
        ).all()
        rows_authority = session.execute(
            select(Authority.name, by_authority)
            .join(Authority, Authority.id == by_authority.c.authority_id)
            .order_by(Authority.name, by_authority.c.step)
        ).all()
        figures = {row.step: row for row in rows_overall}
        notes = (
            _(
                "A step counts in the period it ended in; the whole lead time when the placement started. "
                "Days are calendar days with decimals."
            ),
        )
        tables = (
            Table(
                _("Each step"),
                (_("Step"), COUNT, MEDIAN, P90),
                tuple((STEPS[step], *_figures(figures.get(step))) for step in STEPS),
                count_columns=frozenset({1}),
                derived_columns=((2, 1), (3, 1)),
                notes=notes,
                chart=BarChart((2, 3), unit=_("days")),
            ),
            Table(
                _("By region"),
                (_("Region"), _("Step"), COUNT, MEDIAN, P90),
                tuple((row.name, STEPS[row.step], *_figures(row)) for row in rows_region),
                count_columns=frozenset({2}),
                derived_columns=((3, 2), (4, 2)),
            ),
            Table(
                _("By authority"),
                (_("Authority"), _("Step"), COUNT, MEDIAN, P90),
                tuple((row.name, STEPS[row.step], *_figures(row)) for row in rows_authority),
                count_columns=frozenset({2}),
                derived_columns=((3, 2), (4, 2)),
            ),
        )
        return BuiltReport(self.title, tables, subtitle=covers(params), sums=_sums(tables))


def _sums(tables) -> tuple[Sum, ...]:
    """Each step's count is the sum of its regions' counts, and of its authorities'."""
    sums = []
    for position, step in enumerate(STEPS.values()):
        for table in (1, 2):
            parts = tuple((table, row, 2) for row, values in enumerate(tables[table].rows) if values[1] == step)
            sums.append(Sum((0, position, 1), parts))
    return tuple(sums)


def _figures(row) -> tuple:
    if row is None:
        return (0, None, None)
    return (row.count, rounded(row.p50), rounded(row.p90))


def _durations(params):
    """One row per step taken in the period: (step, region, authority, days)."""
    period, region, authority = params["period"], params.get("region"), params.get("authority")
    first_offer = (
        select(Offer.referral_id, func.min(Offer.offered_at).label("at"))
        .group_by(Offer.referral_id)
        .subquery("first_offer")
    )
    start = func.coalesce(Placement.started_at, Placement.start_date)

    def step(number, days, *joins_and_conditions):
        query = select(literal(number).label("step"), Referral.region_id, Referral.authority_id, days.label("days"))
        conditions = [condition for condition in joins_and_conditions]
        if region is not None:
            conditions.append(Referral.region_id == region.id)
        if authority is not None:
            conditions.append(Referral.authority_id == authority.id)
        return query.where(and_(*conditions))

    def in_period(moment):
        return and_(moment >= period.starts_at, moment < period.ends_before)

    placed = and_(
        Placement.referral_id == Referral.id,
        Placement.state.in_(STARTED_STATES),
        Placement.start_date >= period.start,
        Placement.start_date <= period.end,
    )
    accepted = and_(Offer.referral_id == Referral.id, Offer.state == OfferState.ACCEPTED)
    return union_all(
        step(
            1,
            days_between(first_offer.c.at, Referral.submitted_at),
            first_offer.c.referral_id == Referral.id,
            in_period(first_offer.c.at),
        ),
        step(
            2,
            days_between(Offer.responded_at, first_offer.c.at),
            first_offer.c.referral_id == Referral.id,
            accepted,
            in_period(Offer.responded_at),
        ),
        step(3, days_between(start, Offer.responded_at), placed, Placement.offer_id == Offer.id),
        step(4, days_between(start, Referral.submitted_at), placed),
    )
