"""The offices manage people: list, deactivate, reactivate, invite again, and (admins)
change a person's role, authority or region.

Whom an actor may manage is `access.users_managed_by`; every change is audited and ends
the person's sessions, so a new role or a deactivation takes effect at their next click.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.domain import access, audit
from portal.domain.accounts import invitations
from portal.domain.errors import InvalidInput
from portal.domain.pagination import Page, paginate, searched
from portal.domain.referrals.transitions import Refused, found
from portal.i18n import lazy_gettext as _
from portal.models import Role, User


@dataclass(frozen=True)
class UserFilters:
    search: str = ""
    role: str = ""
    status: str = ""  # "", "active", "inactive", "invited"


def listed(session: Session, actor: User, filters: UserFilters, page: int, per_page: int) -> Page:
    """The people `actor` manages, by name, two queries whatever the number."""
    query = (
        select(User)
        .where(access.users_managed_by(actor))
        .options(joinedload(User.authority), joinedload(User.region))
        .order_by(User.name, User.id)
    )
    query = searched(query, filters.search, User.name, User.email)
    if filters.role in set(Role):
        query = query.where(User.role == filters.role)
    if filters.status == "active":
        query = query.where(User.active.is_(True))
    elif filters.status == "inactive":
        query = query.where(User.active.is_(False))
    elif filters.status == "invited":
        query = query.where(User.password_hash == "")
    return paginate(session, query, page, per_page)


def managed(session: Session, actor: User, user_id: int) -> User:
    """The person, if `actor` manages them (404 otherwise, so ids tell nothing)."""
    return found(
        session.scalar(select(User).where(User.id == user_id, access.users_managed_by(actor))),
        _("There is no such person among those you manage."),
    )


def set_active(session: Session, actor: User, user: User, active: bool) -> None:
    """Deactivate (their sessions end, they cannot sign in) or reactivate."""
    if user.id == actor.id:
        raise Refused(_("You cannot deactivate your own account."), 409)
    user.active = active
    user.session_generation = (user.session_generation or 0) + 1
    action = "user.reactivate" if active else "user.deactivate"
    audit.record_change(session, actor_id=actor.id, action=action, detail=f"user={user.id}")


def invite_again(session: Session, actor: User, user: User) -> None:
    """A new invitation link for someone who has not chosen a password yet."""
    if user.password_hash or not user.active:
        raise Refused(_("This person has already chosen a password; they can ask for a new one at sign-in."), 409)
    invitations.send(session, actor, user)


def change_role(
    session: Session,
    actor: User,
    user: User,
    *,
    role: str,
    authority_id: int | None,
    region_id: int | None,
) -> None:
    """Change role, authority or region (admins); audited, and the person's sessions end."""
    if not access.may_change_roles(actor):
        raise Refused(_("Only administrators change roles."), 403)
    errors: dict[str, object] = {}
    if Role.SUPERVISOR in (role, user.role) or role not in set(Role):  # supervisors belong to the directory
        errors["role"] = _(
            "Choose caseworker, coordinator or administrator (supervisors are invited in the directory)."
        )
    authority, region = invitations.workplace(session, role, authority_id, region_id, errors)
    if user.id == actor.id and role != Role.ADMIN:
        errors["role"] = _("You cannot take the administrator role from yourself.")
    if errors:
        raise InvalidInput(errors)
    before = f"{user.role}/{user.authority_id or '-'}/{user.region_id or '-'}"
    user.take_role(role, authority, region)
    session.flush()
    after = f"{user.role}/{user.authority_id or '-'}/{user.region_id or '-'}"
    if before == after:
        return
    user.session_generation = (user.session_generation or 0) + 1
    audit.record_change(session, actor_id=actor.id, action="user.role", detail=f"user={user.id} {before}>{after}")
