"""Why a referral has no candidate: how many of the region's supervisors each hard filter
(`domain.eligibility.hard_filters`, the very conditions of the list) removes, most first,
in one query; and widening the area while the referral waits for an offer.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from portal.domain import audit, eligibility
from portal.domain.referrals.actions import lock_visible
from portal.domain.referrals.transitions import Engine, Refused
from portal.i18n import lazy_gettext as _
from portal.models import Referral, Role, User

FILTER_LABELS = {
    "active": _("not active in the portal"),
    "not_paused": _("paused"),
    "certified": _("not certified (training not completed)"),
    "cooperative_active": _("their cooperative is deactivated"),
    "free_place": _("no free place"),
    "area": _("do not serve the participant's area"),
    "not_offered": _("already offered this referral"),
}


@dataclass(frozen=True)
class Exclusion:
    """One hard filter: its name, what it means, and how many of the region's supervisors it removes."""

    name: str
    label: object
    count: int


@dataclass(frozen=True)
class WhyNone:
    """The region's supervisors, and the filters that remove some of them, most first."""

    supervisors: int
    exclusions: tuple[Exclusion, ...]
    may_widen: bool  # the area filter removes someone and the user may open the referral to the region

    @property
    def main(self) -> Exclusion | None:
        return self.exclusions[0] if self.exclusions else None


def why_none(session: Session, engine: Engine, referral: Referral, actor: User) -> WhyNone:
    """How many of the region's supervisors each hard filter removes for `referral`."""
    filters = eligibility.hard_filters(referral.region_wide)
    related = eligibility.in_region(referral.region_id)
    row = session.execute(
        select(
            func.count(),
            *(func.coalesce(func.sum(case((condition, 0), else_=1)), 0) for condition in filters.values()),
        ).where(related),
        eligibility.parameters(referral),
    ).one()
    exclusions = sorted(
        (Exclusion(name, FILTER_LABELS[name], count) for name, count in zip(filters, row[1:], strict=True) if count),
        key=lambda item: -item.count,
    )
    area_excludes = any(item.name == "area" for item in exclusions)
    return WhyNone(row[0], tuple(exclusions), area_excludes and may_widen(engine, referral, actor))


def may_widen(engine: Engine, referral: Referral, actor: User) -> bool:
    """The caseworker (or the region's coordinator) may open a referral waiting for an offer
    to supervisors in the whole region: open, not region-wide yet, in a state with the
    workflow's "offer" step."""
    if referral.region_wide or referral.closed_at is not None:
        return False
    if actor.role not in (Role.CASEWORKER, Role.COORDINATOR):
        return False
    workflow = engine.registry.get(referral.workflow_name, referral.workflow_version)
    return workflow is not None and any(t.name == "offer" for t in workflow.outgoing(referral.state))


def widen_area(session: Session, engine: Engine, actor: User, referral_id: int) -> Referral:
    """Open the referral to supervisors elsewhere in its region (`may_widen`); audited.
    The caller commits."""
    referral = lock_visible(session, actor, referral_id)
    if not may_widen(engine, referral, actor):
        raise Refused(_("The area can be widened only while the referral waits for an offer."), 409)
    referral.region_wide = True
    audit.on_referral(session, actor, referral, "referral.widen_area")
    return referral
