"""The lead-time report: where the time from submission to start went, for the placements
that started in the period, overall, by region and by authority.

Every placement begun in the period (a withdrawal before the start is no placement) is
followed through four steps: submission → first offer, first offer → the offer that was
accepted (time lost to declines and expiries), that offer → its acceptance, acceptance →
start. The start is the start date entered, from the beginning of that day in the
portal's time zone (or the acceptance, when it started the same day), never the moment
someone clicked "start". The same placements are in every step, so the steps' averages
add up to the whole lead time's; medians and percentiles, as always, need not.
"""

from __future__ import annotations

from sqlalchemy import and_, func, literal, select, union_all

from portal.domain.reports.interface import BarChart, BuiltReport, Sum, Table
from portal.domain.reports.sql import days_between, greatest, percentiles, start_of_day
from portal.i18n import lazy_gettext as _
from portal.models import Authority, Offer, OfferState, Placement, Referral, Region

from .common import AUTHORITY, PERIOD, REGION, STARTED_STATES, covers, rounded

STEPS = {
    1: _("Submission → first offer"),
    2: _("First offer → the offer accepted (declines and expiries)"),
    3: _("Offer accepted: made → accepted"),
    4: _("Acceptance → start"),
    5: _("Submission → start (whole lead time)"),
}
COUNT, MEAN, MEDIAN, P90 = _("Placements"), _("Average (days)"), _("Median (days)"), _("90th percentile (days)")
LOST = (_("Placements begun"), _("Of them after a decline or expiry"), _("Offers declined"), _("Offers expired"))
NOTES = (
    _(
        "Placements begun in the period (by the start date entered); a referral withdrawn before the start is not "
        "counted. The start counts from the beginning of its day in Swedish time, or from the acceptance when the "
        "placement started that day."
    ),
    _(
        "The same placements are in every step, so the steps' averages add up to the whole lead time's average. "
        "Days are calendar days with decimals. An offer that expired counts from its deadline."
    ),
)


class LeadTimeReport:
    identifier = "lead-times"
    title = _("Lead times")
    description = _(
        "Where the days from submission to start went, step by step: average, median and 90th percentile, "
        "by region and by authority."
    )
    parameters = (PERIOD, REGION, AUTHORITY)
    roles = frozenset({"admin", "coordinator", "caseworker"})

    def build(self, session, params) -> BuiltReport:
        placements = _placements(params).cte("placements")
        durations = _durations(placements).subquery("durations")
        overall = percentiles(durations, ["step"]).subquery()
        rows_overall = session.execute(select(overall).order_by(overall.c.step)).all()
        lost = session.execute(
            select(
                func.count(),
                func.count().filter(placements.c.declined + placements.c.expired > 0),
                func.coalesce(func.sum(placements.c.declined), 0),
                func.coalesce(func.sum(placements.c.expired), 0),
            )
        ).one()
        figures = {row.step: row for row in rows_overall}
        tables = (
            Table(
                _("Each step"),
                (_("Step"), COUNT, MEAN, MEDIAN, P90),
                tuple((STEPS[step], *_figures(figures.get(step))) for step in STEPS),
                count_columns=frozenset({1}),
                derived_columns=((2, 1), (3, 1), (4, 1)),
                notes=NOTES,
                chart=BarChart((2, 3), unit=_("days")),
            ),
            Table(
                _("Offers declined or expired before the acceptance"),
                LOST,
                (tuple(lost),),
                count_columns=frozenset({0, 1, 2, 3}),
            ),
            _by(session, durations, Region, "region_id", _("By region"), _("Region")),
            _by(session, durations, Authority, "authority_id", _("By authority"), _("Authority")),
        )
        return BuiltReport(self.title, tables, subtitle=covers(params), sums=_sums(tables))


def _by(session, durations, model, column: str, title, heading) -> Table:
    """Each step's figures per region or per authority (`model`, whose id is `column` of
    `durations`), by its name."""
    figures = percentiles(durations, ["step", column]).subquery()
    rows = session.execute(
        select(model.name, figures).join(model, model.id == figures.c[column]).order_by(model.name, figures.c.step)
    ).all()
    return Table(
        title,
        (heading, _("Step"), COUNT, MEAN, MEDIAN, P90),
        tuple((row.name, STEPS[row.step], *_figures(row)) for row in rows),
        count_columns=frozenset({2}),
        derived_columns=((3, 2), (4, 2), (5, 2)),
    )


def _sums(tables) -> tuple[Sum, ...]:
    """Each step's count is the sum of its regions' counts, and of its authorities'; the
    placements begun are each step's count."""
    sums = [Sum((0, position, 1), ((1, 0, 0),)) for position in range(len(STEPS))]
    for position, step in enumerate(STEPS.values()):
        for table in (2, 3):
            parts = tuple((table, row, 2) for row, values in enumerate(tables[table].rows) if values[1] == step)
            sums.append(Sum((0, position, 1), parts))
    return tuple(sums)


def _figures(row) -> tuple:
    if row is None:
        return (0, None, None, None)
    return (row.count, rounded(row.mean), rounded(row.p50), rounded(row.p90))


def _placements(params):
    """One row per placement begun in the period, with the moments of its steps and the
    offers declined and expired before it."""
    period, region, authority = params["period"], params.get("region"), params.get("authority")
    first_offer = (
        select(
            Offer.referral_id,
            func.min(Offer.offered_at).label("at"),
            func.count().filter(Offer.state == OfferState.DECLINED).label("declined"),
            func.count().filter(Offer.state == OfferState.EXPIRED).label("expired"),
        )
        .group_by(Offer.referral_id)
        .subquery("first_offer")
    )
    query = (
        select(
            Referral.region_id,
            Referral.authority_id,
            Referral.submitted_at.label("submitted"),
            first_offer.c.at.label("first_offer"),
            Offer.offered_at.label("offered"),
            Offer.responded_at.label("accepted"),
            greatest(start_of_day(Placement.start_date, period.zone), Offer.responded_at).label("started"),
            first_offer.c.declined,
            first_offer.c.expired,
        )
        .select_from(Placement)
        .join(Referral, Referral.id == Placement.referral_id)
        .join(Offer, Offer.id == Placement.offer_id)
        .join(first_offer, first_offer.c.referral_id == Referral.id)
        .where(
            and_(
                Placement.state.in_(STARTED_STATES),
                Placement.start_date.between(period.start, period.end),
                Referral.submitted_at.is_not(None),
            )
        )
    )
    if region is not None:
        query = query.where(Referral.region_id == region.id)
    if authority is not None:
        query = query.where(Referral.authority_id == authority.id)
    return query


def _durations(placements):
    """(step, region, authority, days): five rows per placement."""
    ends = {
        1: ("first_offer", "submitted"),
        2: ("offered", "first_offer"),
        3: ("accepted", "offered"),
        4: ("started", "accepted"),
        5: ("started", "submitted"),
    }
    return union_all(
        *(
            select(
                literal(step).label("step"),
                placements.c.region_id,
                placements.c.authority_id,
                days_between(placements.c[later], placements.c[earlier]).label("days"),
            )
            for step, (later, earlier) in ends.items()
        )
    )
