"""What each role sees first after signing in: the figures and lists of their landing page.

Every query is scoped by `domain.access` and aggregated in SQL; each landing page runs a
fixed number of queries whatever the size of the data. Participant names shown in a
list are audited as reads. The landing pages are the pages most requested: their
statements are built once (per role, through `access.Viewer`, or with the supervisor's
id as a bind parameter) and run with each request's values (bench/README.md, pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, selectinload

from portal.domain import access, audit, reads, referral_rows
from portal.domain.pagination import Page, Paged, paginate
from portal.domain.referral_rows import Named
from portal.domain.referrals.offer_timers import reminder_due
from portal.domain.training.definitions import trained_supervisors
from portal.models import (
    RUNNING_PLACEMENT_STATES,
    Authority,
    Cooperative,
    Municipality,
    Offer,
    OfferState,
    Participant,
    Placement,
    Referral,
    Region,
    Role,
    Supervisor,
    User,
)
from portal.models.base import utcnow

OPEN_FOR_MATCHING = ("submitted", "matching")


@dataclass
class Overview:
    """A landing page's content: counts by key, and one paginated list."""

    counts: dict
    page: Page | None
    extra: dict


@cache
def _referral_counts(role: str):
    viewer = access.Viewer(role)
    return select(Referral.state, func.count()).where(access.referrals_visible_to(viewer)).group_by(Referral.state)


def referral_counts(session: Session, user: User) -> dict[str, int]:
    return dict(reads.columns(session, _referral_counts(user.role), access.viewer_values(user)).all())


def _referral_page(viewer: access.Viewer, condition, order) -> Paged:
    return referral_rows.paged(select(Referral).where(access.referrals_visible_to(viewer), condition).order_by(*order))


def _audit_list(session: Session, user: User, referrals, view: str) -> None:
    audit.record(
        session,
        actor_id=user.id,
        action="participant.list",
        participant_ids=[r.participant_id for r in referrals],
        detail=view,
    )


@cache
def _caseworker_page() -> Paged:
    viewer = access.Viewer(Role.CASEWORKER)
    return _referral_page(viewer, Referral.caseworker_id == viewer.id, (Referral.created_at.desc(), Referral.id.desc()))


@cache
def _coordinator_page() -> Paged:
    viewer = access.Viewer(Role.COORDINATOR)
    return _referral_page(
        viewer, Referral.state.in_(OPEN_FOR_MATCHING), (Referral.submitted_at.asc(), Referral.id.asc())
    )


@cache
def _coordinator_supervisors():
    viewer = access.Viewer(Role.COORDINATOR)
    trained = trained_supervisors().subquery()
    return (
        select(func.count(), func.count(Supervisor.certified_on), func.count(trained.c.supervisor_id))
        .outerjoin(trained, trained.c.supervisor_id == Supervisor.id)
        .where(access.supervisors_visible_to(viewer), Supervisor.active.is_(True))
        .where(Supervisor.municipalities.any(Municipality.region_id == viewer.region_id))
    )


_AUTHORITY_NAME = select(Authority.name).where(Authority.id == bindparam("authority_id"))


def caseworker(session: Session, user: User, page: int, per_page: int) -> Overview:
    """The caseworker's authority's referrals, newest first, with counts by state, and the
    authority's name (read as a column: the list's rows bring no authority to the session)."""
    listing = paginate(session, _caseworker_page(), page, per_page, params=access.viewer_values(user))
    _audit_list(session, user, listing.items, "caseworker.home")
    authority = reads.columns(session, _AUTHORITY_NAME, {"authority_id": user.authority_id}).scalar()
    return Overview(referral_counts(session, user), listing, {"authority": authority})


def coordinator(session: Session, user: User, page: int, per_page: int) -> Overview:
    """The region's referrals waiting for a supervisor, longest-waiting first."""
    values = access.viewer_values(user)
    listing = paginate(session, _coordinator_page(), page, per_page, params=values)
    _audit_list(session, user, listing.items, "coordinator.home")
    supervisors = reads.columns(session, _coordinator_supervisors(), values).one()
    return Overview(
        referral_counts(session, user),
        listing,
        {
            "active_supervisors": supervisors[0],
            "certified_supervisors": supervisors[1],
            "trained_supervisors": supervisors[2],
        },
    )


_SUPERVISOR_ID = bindparam("supervisor_id")


class ShownParticipant(NamedTuple):
    """What the supervisor's lists show of a participant: the given name (and, for an
    offer, the municipality)."""

    given_name: str
    municipality: Named | None = None


class ShownReferral(NamedTuple):
    participant_id: int
    participant: ShownParticipant
    hours_per_week: int | None = None  # an offer's, which the page shows


class OfferRow(NamedTuple):
    """An open offer as the supervisor's page shows it (and `reminder_due` reads it)."""

    id: int
    referral_id: int
    offered_at: datetime
    expires_at: datetime
    referral: ShownReferral


class SupervisorProfile(NamedTuple):
    """What the supervisor's page shows of their profile."""

    id: int
    capacity: int
    cooperative: Named


class PlacementRow(NamedTuple):
    """A placement as the supervisor's page lists it."""

    referral_id: int
    start_date: date
    hours_per_week: int
    state: str
    referral: ShownReferral


def _offer_row(
    offer_id, referral_id, offered_at, expires_at, participant_id, hours, given_name, municipality
) -> OfferRow:
    shown = ShownReferral(participant_id, ShownParticipant(given_name, Named(municipality)), hours)
    return OfferRow(offer_id, referral_id, offered_at, expires_at, shown)


def _placement_row(referral_id, start_date, hours, state, participant_id, given_name) -> PlacementRow:
    return PlacementRow(
        referral_id, start_date, hours, state, ShownReferral(participant_id, ShownParticipant(given_name))
    )


@cache
def _supervisor_statements() -> tuple:
    """The supervisor's profile, open offers, placements (a `Paged`) and running count; the
    profile, the offers and the placements as rows (`SupervisorProfile`, `OfferRow`,
    `PlacementRow`: the columns the page shows, no entities; see `referral_rows`)."""
    profile = (
        select(Supervisor.id, Supervisor.capacity, Cooperative.name)
        .join(Cooperative, Supervisor.cooperative_id == Cooperative.id)
        .where(Supervisor.user_id == bindparam("user_id"))
    )
    offers = (
        select(
            Offer.id,
            Offer.referral_id,
            Offer.offered_at,
            Offer.expires_at,
            Referral.participant_id,
            Referral.hours_per_week,
            Participant.given_name,
            Municipality.name,
        )
        .join(Referral, Offer.referral_id == Referral.id)
        .join(Participant, Referral.participant_id == Participant.id)
        .join(Municipality, Participant.municipality_id == Municipality.id)
        .where(Offer.supervisor_id == _SUPERVISOR_ID, Offer.state == OfferState.OPEN)
        .order_by(Offer.expires_at, Offer.id)
    )
    placements = select(Placement).where(Placement.supervisor_id == _SUPERVISOR_ID)
    placement_rows = (
        placements.with_only_columns(
            Placement.referral_id,
            Placement.start_date,
            Placement.hours_per_week,
            Placement.state,
            Referral.participant_id,
            Participant.given_name,
            maintain_column_froms=False,
        )
        .join(Referral, Placement.referral_id == Referral.id)
        .join(Participant, Referral.participant_id == Participant.id)
        .order_by(Placement.start_date.desc(), Placement.id.desc())
        .limit(bindparam("page_limit"))
        .offset(bindparam("page_offset"))
    )
    running = select(func.count()).where(
        Placement.supervisor_id == _SUPERVISOR_ID,
        Placement.state.in_(RUNNING_PLACEMENT_STATES),
    )
    return profile, offers, Paged(Paged.of(placements).count, placement_rows, row=_placement_row), running


def supervisor(session: Session, user: User, page: int, per_page: int) -> Overview:
    """The supervisor's open offers (soonest expiry first) and running placements."""
    profile_statement, offers_statement, placements, running_statement = _supervisor_statements()
    found = reads.columns(session, profile_statement, {"user_id": user.id}).first()
    if found is None:
        return Overview(
            {}, None, {"profile": None, "offers": [], "placements_running": 0, "expiring_soon": set(), "now": utcnow()}
        )
    profile = SupervisorProfile(found.id, found.capacity, Named(found.name))
    values = {"supervisor_id": profile.id}
    offers = [_offer_row(*columns) for columns in reads.columns(session, offers_statement, values)]
    listing = paginate(session, placements, page, per_page, params=values)
    running = reads.columns(session, running_statement, values).scalar()
    audit.record(
        session,
        actor_id=user.id,
        action="participant.list",
        detail="supervisor.home",
        participant_ids=[o.referral.participant_id for o in offers]
        + [p.referral.participant_id for p in listing.items],
    )
    now = utcnow()
    expiring = {offer.id for offer in offers if reminder_due(offer, now)}
    return Overview(
        {},
        listing,
        {"profile": profile, "offers": offers, "placements_running": running, "expiring_soon": expiring, "now": now},
    )


def admin(session: Session, user: User, page: int, per_page: int) -> Overview:
    """Per region: referrals open and in total, supervisors active; users by role."""
    open_states = ("submitted", "matching", "offered", "accepted", "active")
    referral_rows = session.execute(
        select(Region.id, func.count(Referral.id), func.count(Referral.id).filter(Referral.state.in_(open_states)))
        .outerjoin(Referral, Referral.region_id == Region.id)
        .group_by(Region.id)
    ).all()
    users_by_role = dict(session.execute(select(User.role, func.count()).group_by(User.role)).all())
    regions = select(Region).options(selectinload(Region.municipalities)).order_by(Region.name)
    listing = paginate(session, regions, page, per_page)
    per_region = {region_id: {"total": total, "open": open_} for region_id, total, open_ in referral_rows}
    return Overview(users_by_role, listing, {"per_region": per_region})


BY_ROLE = {
    Role.CASEWORKER: caseworker,
    Role.COORDINATOR: coordinator,
    Role.SUPERVISOR: supervisor,
    Role.ADMIN: admin,
}
