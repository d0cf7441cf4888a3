"""Which supervisors a referral can be offered to: the hard filters, in SQL.

Active, certified, with a free place now, serving the participant's municipality (or
any municipality of the region when the referral allows it), and not already offered
this referral (declined, expired or open). Ranking by named factors builds on this.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, func, not_, or_, select
from sqlalchemy.orm import Session, joinedload

from ..models import Municipality, Offer, Placement, PlacementState, Referral, Supervisor
from ..models.supervisor import supervisor_municipality

RUNNING = (PlacementState.PLANNED, PlacementState.ACTIVE)


def running_placements():
    """A correlated count of a supervisor's planned and active placements."""
    return (
        select(func.count(Placement.id))
        .where(Placement.supervisor_id == Supervisor.id, Placement.state.in_(RUNNING))
        .correlate(Supervisor)
        .scalar_subquery()
    )


def candidates_query(referral: Referral) -> Select:
    participant_municipality = referral.participant.municipality_id
    serves_municipality = select(supervisor_municipality.c.supervisor_id).where(
        supervisor_municipality.c.municipality_id == participant_municipality
    )
    serves_region = (
        select(supervisor_municipality.c.supervisor_id)
        .join(Municipality, Municipality.id == supervisor_municipality.c.municipality_id)
        .where(Municipality.region_id == referral.region_id)
    )
    already_offered = select(Offer.supervisor_id).where(Offer.referral_id == referral.id)
    area = or_(Supervisor.id.in_(serves_municipality), and_(referral.region_wide, Supervisor.id.in_(serves_region)))
    return (
        select(Supervisor)
        .where(
            Supervisor.active.is_(True),
            Supervisor.certified_on.is_not(None),
            running_placements() < Supervisor.capacity,
            area,
            not_(Supervisor.id.in_(already_offered)),
        )
        .order_by(Supervisor.id)
    )


def eligible_supervisors(session: Session, referral: Referral) -> list[Supervisor]:
    query = candidates_query(referral).options(joinedload(Supervisor.user), joinedload(Supervisor.cooperative))
    return list(session.scalars(query).unique())
