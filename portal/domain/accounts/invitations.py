"""Inviting a person: their account, without a password, and a mail with a one-time link.

Other capabilities call this too (the directory invites supervisors together with their
supervisor record): `invite()` makes a caseworker, coordinator or admin account and
sends the mail; `send(session, actor, user)` sends the invitation for an account the
caller has just made (or sends it again). Both run in the caller's transaction and
commit nothing, so the account, its audit event and its mail stand or fall together.

The account has no usable password until the link is used (an empty hash matches
nothing), so an invited person cannot be signed in as by anyone before then.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from portal.domain import access, audit
from portal.domain.accounts import mails, tokens
from portal.domain.accounts.passwords import problem
from portal.domain.accounts.users import checked_person
from portal.domain.errors import InvalidInput
from portal.domain.referrals.transitions import Refused
from portal.i18n import lazy_gettext as _
from portal.models import Authority, Gender, Region, Role, TokenPurpose, User
from portal.models.base import utcnow


def invite(
    session: Session,
    actor: User,
    *,
    email: str,
    name: str,
    role: str,
    authority_id: int | None = None,
    region_id: int | None = None,
    gender: str = Gender.NOT_STATED,
    locale: str | None = None,
    settings: Mapping | None = None,
) -> User:
    """A new caseworker (of `authority_id`), coordinator (of `region_id`) or admin, invited
    by mail. InvalidInput names each bad field; Refused (403) if `actor` may not invite them.
    Supervisors are invited from the directory, with their supervisor record."""
    errors: dict[str, object] = {}
    email, name = checked_person(session, email, name, errors)
    if role not in (Role.CASEWORKER, Role.COORDINATOR, Role.ADMIN):
        errors["role"] = _(
            "Choose caseworker, coordinator or administrator (supervisors are invited in the directory)."
        )
    if gender not in set(Gender):
        errors["gender"] = _("Choose from the list.")
    authority, region = workplace(session, role, authority_id, region_id, errors)
    where = authority.municipality.region_id if role == Role.CASEWORKER and authority else region_id
    if role in set(Role) and not access.may_invite(actor, role, where):
        raise Refused(_("You may invite only caseworkers and supervisors of your own region."), 403)
    if errors:
        raise InvalidInput(errors)
    user = User(email=email, name=name, gender=gender, password_hash="", locale=locale, created_at=utcnow())
    user.take_role(role, authority, region)
    session.add(user)
    session.flush()
    send(session, actor, user, settings=settings)
    return user


def send(session: Session, actor: User | None, user: User, *, settings: Mapping | None = None) -> None:
    """Send (or send again) the invitation of `user`, retiring earlier links; audited."""
    session.flush()
    mails.send_link(session, user, TokenPurpose.INVITATION, settings)
    audit.record_change(
        session, actor_id=actor.id if actor else None, action="user.invite", detail=f"user={user.id} role={user.role}"
    )


def workplace(
    session: Session, role: str, authority_id: int | None, region_id: int | None, errors: dict
) -> tuple[Authority | None, Region | None]:
    """The authority and region chosen for a person of `role`; a caseworker needs an
    authority and a coordinator a region (a message in `errors` otherwise)."""
    authority = session.get(Authority, authority_id) if authority_id else None
    region = session.get(Region, region_id) if region_id else None
    if role == Role.CASEWORKER and authority is None:
        errors["authority_id"] = _("Choose the caseworker's authority.")
    if role == Role.COORDINATOR and region is None:
        errors["region_id"] = _("Choose the coordinator's region.")
    return authority, region


def choose_password(session: Session, token: str, purpose: TokenPurpose, password: str, repeated: str) -> User:
    """Set the password of the link's account and use the link up, in one transaction.

    InvalidInput with `token` when the link is unknown, used or expired (the same
    message for each), or with `password`/`repeated` when the password will not do;
    nothing is written then. All the person's sessions end (a reset signs out a thief)."""
    row = tokens.valid(session, token, purpose)
    if row is None or not row.user.active:
        raise InvalidInput({"token": _("This link has expired or has already been used. Ask for a new one.")})
    user = row.user
    message = problem(password, known=(user.name, user.email))
    if message:
        raise InvalidInput({"password": message})
    if password != repeated:
        raise InvalidInput({"repeated": _("The two passwords differ.")})
    if not tokens.use(session, row):
        raise InvalidInput({"token": _("This link has expired or has already been used. Ask for a new one.")})
    user.set_password(password)
    user.session_generation = (user.session_generation or 0) + 1
    audit.record_change(session, actor_id=user.id, action=f"user.password_{purpose}", detail=f"user={user.id}")
    return user
