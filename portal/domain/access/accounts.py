"""Who invites, lists and changes which people, and who reviews the audit log."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from portal.models import (
    AuditEvent,
    Authority,
    Cooperative,
    Municipality,
    Participant,
    Role,
    Supervisor,
    User,
)


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
