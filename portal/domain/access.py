"""Who may see what. Every view asks here; nothing else decides access.

Each function returns an SQL condition, so that lists filter in the database and a page
costs the same number of queries whatever the data size:

- caseworkers see their own authority's referrals and participants;
- supervisors see referrals offered to them (open or accepted) and their placements,
  and only those participants;
- coordinators see their region;
- admins see everything.

Reports are held to the same lines (`report_scope`): a coordinator runs them for their
region, an admin for any, a caseworker only those open to caseworkers (lead times), for
their own authority.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_, select, true

from portal.models import (
    AuditEvent,
    Authority,
    Cohort,
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


class ParticipantAction(enum.StrEnum):
    """What can be done with a participant one may see."""

    VIEW = "view"  # the participant page: name, municipality, needs
    IDENTITY_NUMBER = "identity_number"  # the personnummer in clear, and the ESF details
    CONSENT = "consent"  # record or withdraw a consent (withdrawal stops their referrals)
    WRITE_REFERRAL = "write_referral"


PARTICIPANT_ACTIONS: dict[str, frozenset[ParticipantAction]] = {
    Role.CASEWORKER: frozenset(ParticipantAction),
    Role.COORDINATOR: frozenset({ParticipantAction.VIEW, ParticipantAction.IDENTITY_NUMBER}),
    Role.ADMIN: frozenset({ParticipantAction.VIEW, ParticipantAction.IDENTITY_NUMBER}),
    Role.SUPERVISOR: frozenset({ParticipantAction.VIEW}),
}


def may_on_participant(user: User, action: ParticipantAction) -> bool:
    """Whether `user`'s role may do `action` with a participant they see
    (`participants_visible_to` decides which ones they see). Consent is the caseworkers'
    alone: only the authority that refers the person records or withdraws it."""
    return action in PARTICIPANT_ACTIONS.get(user.role, frozenset())


def participant_actions(user: User) -> frozenset[ParticipantAction]:
    """Every action `user` may do with a participant they see (for a page to offer)."""
    return PARTICIPANT_ACTIONS.get(user.role, frozenset())


def may_see_duplicates(user: User) -> bool:
    """The list of people registered at several authorities: the offices', who coordinate
    the authorities (each only among the participants of their region)."""
    return user.role in (Role.ADMIN, Role.COORDINATOR)


def may_see_offer(user: User, offer: Offer) -> bool:
    """Within a referral one sees: a supervisor sees only the offers made to themselves,
    not who else was asked or why they declined; everyone else sees every offer."""
    return user.role != Role.SUPERVISOR or offer.supervisor.user_id == user.id


def may_see_step_details(user: User, referral: Referral, step) -> bool:
    """Whether the timeline shows who took a step of `referral` and their note. A
    supervisor sees them only for their own steps and for others' steps since the
    referral was first offered to them, never another supervisor's (an earlier decline
    and its reason); everyone else sees all."""
    if user.role != Role.SUPERVISOR or step.actor_id == user.id:
        return True
    if step.actor is not None and step.actor.role == Role.SUPERVISOR:
        return False
    mine = [offer.offered_at for offer in referral.offers if offer.supervisor.user_id == user.id]
    return bool(mine) and step.occurred_at >= min(mine)


class FollowUpAction(enum.StrEnum):
    """What can be done in the follow-up of a placement one may see (`follow_up_visible_to`)."""

    READ = "read"  # the plan, meetings and end report
    WRITE_PLAN = "write_plan"  # draft the plan and send it to the caseworker
    DECIDE_PLAN = "decide_plan"  # approve the plan or send it back
    MEETINGS = "meetings"  # book, change, cancel and record meetings
    END_REPORT = "end_report"  # write the end report
    REPORT = "report"  # record attendance and write progress reports (on one's own placements)


FOLLOW_UP_ACTIONS: dict[str, frozenset[FollowUpAction]] = {
    Role.SUPERVISOR: frozenset(FollowUpAction) - {FollowUpAction.DECIDE_PLAN},
    Role.CASEWORKER: frozenset({FollowUpAction.READ, FollowUpAction.DECIDE_PLAN, FollowUpAction.MEETINGS}),
    Role.COORDINATOR: frozenset({FollowUpAction.READ}),
    Role.ADMIN: frozenset({FollowUpAction.READ}),
}


def follow_up_visible_to(user: User) -> ColumnElement[bool]:
    """Condition on `Referral` for the placements whose follow-up `user` sees: a supervisor
    only their own placements (not what is merely offered to them), everyone else what
    `referrals_visible_to` gives (caseworkers their authority's, coordinators their region's)."""
    if user.role == Role.SUPERVISOR:
        placed = select(Placement.referral_id).where(Placement.supervisor_id == _own_supervisor_id(user))
        return Referral.id.in_(placed)
    return referrals_visible_to(user)


def may_on_follow_up(user: User, action: FollowUpAction) -> bool:
    """Whether `user`'s role may do `action` in the follow-up of a placement they see."""
    return action in FOLLOW_UP_ACTIONS.get(user.role, frozenset())


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


# The directory and the training registry ---------------------------------------------


def _home_region_id(user: User):
    """The region a caseworker works in: their authority's, as an SQL value."""
    return (
        select(Municipality.region_id)
        .join(Authority, Authority.municipality_id == Municipality.id)
        .where(Authority.id == user.authority_id)
        .scalar_subquery()
    )


def _cooperatives_in(region_id):
    return select(Cooperative.id).join(Municipality).where(Municipality.region_id == region_id)


def may_see_directory(user: User) -> bool:
    """The directory is for those who refer and those who keep it; a supervisor has their profile."""
    return user.role in (Role.ADMIN, Role.COORDINATOR, Role.CASEWORKER)


def may_keep_directory(user: User) -> bool:
    """Whether `user` may change the directory and the training registry at all (of
    which region: `may_act_for_region`)."""
    return user.role in (Role.ADMIN, Role.COORDINATOR)


def may_act_for_region(user: User, region_id: int | None) -> bool:
    """Changes to a region's cooperatives, supervisors and cohorts: its coordinators, and admins."""
    return user.role == Role.ADMIN or (
        user.role == Role.COORDINATOR and region_id is not None and user.region_id == region_id
    )


def cooperatives_in_directory(user: User) -> ColumnElement[bool]:
    """Condition on `Cooperative` for the directory's list: admins all, coordinators their
    region's (inactive too), caseworkers their region's active ones, supervisors none."""
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.COORDINATOR:
        return Cooperative.id.in_(_cooperatives_in(user.region_id))
    if user.role == Role.CASEWORKER:
        return Cooperative.active.is_(True) & Cooperative.id.in_(_cooperatives_in(_home_region_id(user)))
    return false()


def supervisors_in_directory(user: User) -> ColumnElement[bool]:
    """Condition on `Supervisor` for the directory's list, by the supervisor's cooperative:
    admins all, coordinators their region's, caseworkers their region's active ones (of
    active cooperatives), supervisors none (they have their own profile page)."""
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.COORDINATOR:
        return Supervisor.cooperative_id.in_(_cooperatives_in(user.region_id))
    if user.role == Role.CASEWORKER:
        active_in_region = _cooperatives_in(_home_region_id(user)).where(Cooperative.active.is_(True))
        return Supervisor.active.is_(True) & Supervisor.cooperative_id.in_(active_in_region)
    return false()


def cohorts_visible_to(user: User) -> ColumnElement[bool]:
    """Condition on `Cohort`: the training registry is the offices' (coordinators their region's)."""
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.COORDINATOR:
        return Cohort.region_id == user.region_id
    return false()


def regions_administered_by(user: User) -> ColumnElement[bool]:
    """Condition on `Region`: where `user` may enable plugins and move stranded referrals
    (admins: every region; coordinators: their own)."""
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.COORDINATOR:
        return Region.id == user.region_id
    return false()


def may_administer_region(user: User, region: Region) -> bool:
    return user.role == Role.ADMIN or (user.role == Role.COORDINATOR and user.region_id == region.id)


def may_enable_outside_intended_regions(user: User) -> bool:
    """A plugin made for other regions is turned on elsewhere by an admin only."""
    return user.role == Role.ADMIN


def may_see_region_workflow(user: User, region: Region) -> bool:
    """A region's workflow picture: admins every region's, a coordinator their own."""
    return may_administer_region(user, region)


def may_see_workflows(user: User) -> bool:
    """The workflow pictures and plugin pages: for the offices (admins and coordinators)."""
    return user.role in (Role.ADMIN, Role.COORDINATOR)


# Reports -------------------------------------------------------------------------------

REPORT_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})  # who runs a report that names no roles


@dataclass(frozen=True)
class ReportScope:
    """What a report is held to for one user: a region and/or an authority (None: free)."""

    region_id: int | None = None
    authority_id: int | None = None


def report_scope(user: User, roles: frozenset[str] = REPORT_ROLES) -> ReportScope | None:
    """Whether `user` may run a report that `roles` may run, and held to what: an admin
    to nothing, a coordinator to their region, a caseworker to their authority.
    Supervisors run no report. None: may not run it."""
    if user.role not in roles:
        return None
    if user.role == Role.ADMIN:
        return ReportScope()
    if user.role == Role.COORDINATOR:
        return ReportScope(region_id=user.region_id)
    if user.role == Role.CASEWORKER:
        return ReportScope(authority_id=user.authority_id)
    return None


def sees_exact_figures(user: User) -> bool:
    """On screen, the offices see a report's exact counts (a coordinator only ever runs
    reports of their own region); everyone else sees small counts suppressed there too."""
    return user.role in (Role.ADMIN, Role.COORDINATOR)


def may_write_analysis(user: User, region_id: int) -> bool:
    """The written 3R analysis (Realia) of a region: its coordinators, and admins."""
    return user.role == Role.ADMIN or (user.role == Role.COORDINATOR and user.region_id == region_id)


# People and accounts -------------------------------------------------------------------


def may_invite(actor: User, role: str, region_id: int | None) -> bool:
    """Admins invite anyone; a coordinator invites caseworkers of their region's authorities
    and supervisors of their region's cooperatives (`region_id`: where the new person works)."""
    if actor.role == Role.ADMIN:
        return True
    if actor.role == Role.COORDINATOR:
        return role in (Role.CASEWORKER, Role.SUPERVISOR) and region_id is not None and region_id == actor.region_id
    return False


def users_managed_by(actor: User) -> ColumnElement[bool]:
    """Condition on `User`: whom `actor` may list, deactivate and invite again (admins:
    everyone; a coordinator: the caseworkers of their region's authorities and the
    supervisors of their region's cooperatives)."""
    if actor.role == Role.ADMIN:
        return true()
    if actor.role != Role.COORDINATOR:
        return false()
    authorities = select(Authority.id).join(Municipality).where(Municipality.region_id == actor.region_id)
    supervisors = (
        select(Supervisor.user_id)
        .join(Cooperative, Supervisor.cooperative_id == Cooperative.id)
        .join(Municipality, Cooperative.municipality_id == Municipality.id)
        .where(Municipality.region_id == actor.region_id)
    )
    return or_(
        (User.role == Role.CASEWORKER) & User.authority_id.in_(authorities),
        (User.role == Role.SUPERVISOR) & User.id.in_(supervisors),
    )


def may_change_roles(actor: User) -> bool:
    """Role, authority and region of an account, and authorities: admins only."""
    return actor.role == Role.ADMIN


def audit_visible_to(actor: User) -> ColumnElement[bool] | None:
    """Condition on `AuditEvent` for the audit review: admins everything, a coordinator
    what people of their region did or what concerns their region's participants; None:
    may not review."""
    if actor.role == Role.ADMIN:
        return true()
    if actor.role != Role.COORDINATOR:
        return None
    region_users = select(User.id).where(
        or_(
            User.region_id == actor.region_id,
            User.authority_id.in_(
                select(Authority.id).join(Municipality).where(Municipality.region_id == actor.region_id)
            ),
            users_managed_by(actor),
        )
    )
    region_participants = select(Participant.id).where(
        Participant.municipality_id.in_(select(Municipality.id).where(Municipality.region_id == actor.region_id))
    )
    return or_(AuditEvent.actor_id.in_(region_users), AuditEvent.participant_id.in_(region_participants))


def may_manage_people(actor: User) -> bool:
    """The people pages (/admin/users): admins, and coordinators for their region."""
    return actor.role in (Role.ADMIN, Role.COORDINATOR)


def authorities_for_invitations(actor: User) -> ColumnElement[bool]:
    """Condition on `Authority`: whose caseworkers `actor` may invite."""
    if actor.role == Role.ADMIN:
        return true()
    if actor.role == Role.COORDINATOR:
        return Authority.municipality_id.in_(select(Municipality.id).where(Municipality.region_id == actor.region_id))
    return false()


def may_list_participants(user: User) -> bool:
    """The participants' list: everyone but supervisors, who see only their own placements."""
    return user.role in (Role.ADMIN, Role.COORDINATOR, Role.CASEWORKER)
