"""Fyrbodal's quarterly report: referrals submitted, placements started and placements
completed in the quarter, in the Fyrbodal region, by the participant's gender: the
figures the region's funders ask for each quarter.

A referral counts in the quarter it was (last) submitted; a placement in the quarter it
started (its start date, once it has begun) or was completed (its end date).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.domain.calendar import local_today
from portal.domain.reports.catalogue import Period
from portal.domain.reports.interface import BuiltReport, ReportParameter, Sum, Table
from portal.domain.vocabulary import GENDERS
from portal.i18n import lazy_gettext as _
from portal.models import Participant, Placement, PlacementState, Referral, Region

REGION_CODE = "fyrbodal"
GENDER_ORDER = ("woman", "man", "not_stated")
STARTED = (PlacementState.ACTIVE, PlacementState.COMPLETED, PlacementState.DISCONTINUED)


def last_quarter(today: date) -> Period:
    """The last quarter that has ended: the one a quarterly report is usually written for."""
    quarter = (today.month - 1) // 3
    return Period.parse(f"{today.year}-Q{quarter}" if quarter else f"{today.year - 1}-Q4")


class QuarterlyReport:
    identifier = "fyrbodal-quarterly"
    title = _("Fyrbodal quarterly report")
    description = _(
        "Referrals submitted, placements started and placements completed in Fyrbodal in the quarter, by gender."
    )

    @property
    def parameters(self):
        return (ReportParameter("quarter", _("Quarter"), "period", required=True, default=last_quarter(local_today())),)

    def build(self, session, params) -> BuiltReport:
        quarter: Period = params["quarter"]
        in_fyrbodal = Referral.region_id == select(Region.id).where(Region.code == REGION_CODE).scalar_subquery()
        submitted = _by_gender(
            session,
            in_fyrbodal,
            Referral.submitted_at >= quarter.starts_at,
            Referral.submitted_at < quarter.ends_before,
        )
        started = _by_gender(
            session,
            in_fyrbodal,
            Placement.state.in_(STARTED),
            Placement.start_date.between(quarter.start, quarter.end),
            placements=True,
        )
        completed = _by_gender(
            session,
            in_fyrbodal,
            Placement.state == PlacementState.COMPLETED,
            Placement.end_date.between(quarter.start, quarter.end),
            placements=True,
        )
        rows = tuple(
            (GENDERS[gender], submitted.get(gender, 0), started.get(gender, 0), completed.get(gender, 0))
            for gender in GENDER_ORDER
        )
        rows += ((_("Total"), *(sum(row[column] for row in rows) for column in (1, 2, 3))),)
        table = Table(
            _("By gender"),
            (_("Gender"), _("Referrals submitted"), _("Placements started"), _("Placements completed")),
            rows,
            count_columns=frozenset({1, 2, 3}),
        )
        notes = (
            _(
                "A referral counts in the quarter it was last submitted; a placement in the quarter it started "
                "or was completed. Gender is the participant's, as the caseworker recorded it."
            ),
        )
        sums = tuple(Sum.down(0, column, len(GENDER_ORDER), range(len(GENDER_ORDER))) for column in (1, 2, 3))
        return BuiltReport(
            self.title, (table,), subtitle=_("Fyrbodal, %(period)s", period=str(quarter)), notes=notes, sums=sums
        )


def _by_gender(session, *conditions, placements: bool = False) -> dict[str, int]:
    """{participant's gender: how many referrals (or their placements) meet `conditions`}: one query."""
    query = select(Participant.gender, func.count()).select_from(Referral).join(Referral.participant)
    if placements:
        query = query.join(Referral.placement)
    return dict(session.execute(query.where(*conditions).group_by(Participant.gender)).all())
