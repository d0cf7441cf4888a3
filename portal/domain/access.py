"""Who may see what. Every view asks here; nothing else decides access.

Each function returns an SQL condition, so that lists filter in the database and a page
costs the same number of queries whatever the data size:

- caseworkers see their own authority's referrals and participants;
- supervisors see referrals offered to them (open or accepted) and their placements,
  and only those participants;
- coordinators see their region;
- admins see everything.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from ..models import Cooperative, Municipality, Offer, OfferState, Participant, Placement, Referral, Role, Supervisor, User


def _own_supervisor_id(user: User):
    return select(Supervisor.id).where(Supervisor.user_id == user.id).scalar_subquery()


def referrals_visible_to(user: User) -> ColumnElement[bool]:
    """Condition on `Referral` for the referrals `user` may see."""
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.COORDINATOR:
        return Referral.region_id == user.region_id
    if user.role == Role.CASEWORKER:
        return Referral.authority_id == user.authority_id
    if user.role == Role.SUPERVISOR:
        supervisor_id = _own_supervisor_id(user)
        offered = select(Offer.referral_id).where(
            Offer.supervisor_id == supervisor_id, Offer.state.in_([OfferState.OPEN, OfferState.ACCEPTED])
        )
        placed = select(Placement.referral_id).where(Placement.supervisor_id == supervisor_id)
        return or_(Referral.id.in_(offered), Referral.id.in_(placed))
    return false()


def participants_visible_to(user: User) -> ColumnElement[bool]:
    """Condition on `Participant`: those registered by, or referred within, what `user` sees."""
    if user.role == Role.ADMIN:
        return true()
    referred = select(Referral.participant_id).where(referrals_visible_to(user))
    if user.role == Role.CASEWORKER:
        return or_(Participant.registered_by_authority_id == user.authority_id, Participant.id.in_(referred))
    if user.role == Role.COORDINATOR:
        in_region = select(Municipality.id).where(Municipality.region_id == user.region_id)
        return or_(Participant.municipality_id.in_(in_region), Participant.id.in_(referred))
    return Participant.id.in_(referred)


def supervisors_visible_to(user: User) -> ColumnElement[bool]:
    """Condition on `Supervisor`: the directory of active supervisors for those who refer,
    inactive ones too for the region's coordinator, only oneself for a supervisor."""
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.SUPERVISOR:
        return Supervisor.user_id == user.id
    if user.role == Role.COORDINATOR:
        in_region = select(Cooperative.id).join(Municipality).where(Municipality.region_id == user.region_id)
        return or_(Supervisor.active.is_(True), Supervisor.cooperative_id.in_(in_region))
    if user.role == Role.CASEWORKER:
        return Supervisor.active.is_(True)
    return false()
