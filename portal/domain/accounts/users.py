"""Creating users and checking their passwords."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from portal.domain.accounts.passwords import MIN_PASSWORD_LENGTH, problem
from portal.domain.errors import InvalidInput
from portal.i18n import lazy_gettext as _
from portal.models import Authority, Gender, Region, Role, User
from portal.models.base import utcnow

__all__ = ["MIN_PASSWORD_LENGTH", "authenticate", "checked_email", "checked_person", "create_user", "normalise_email"]

# Compared against when the e-mail is unknown, so that a wrong address costs the same
# time as a wrong password and does not reveal who has an account.
_DUMMY_HASH = "scrypt:32768:8:1$dummysaltdummysa$" + "0" * 128


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def checked_email(session: Session, email: str, errors: dict) -> str:
    """The normalised address; a message in `errors` if it is malformed or taken."""
    try:
        email = validate_email(email or "", check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        errors["email"] = _("Enter an e-mail address like name@example.se.")
        return email
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        errors["email"] = _("A user with this e-mail address already exists.")
    return email


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None; records the sign-in time."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def checked_person(session: Session, email: str, name: str, errors: dict) -> tuple[str, str]:
    """The normalised address and the trimmed name of a new account, checked the same way
    wherever one is made (invited, created on the command line, invited as a supervisor)."""
    email = checked_email(session, email, errors)
    name = (name or "").strip()
    if not name or len(name) > 200:
        errors["name"] = _("Enter the person's name (at most 200 characters).")
    return email, name


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    password: str,
    authority_id: int | None = None,
    region_code: str | None = None,
    gender: str = Gender.NOT_STATED,
) -> User:
    """Validate everything first, then add the user; raises InvalidInput naming each bad field."""
    errors: dict[str, str] = {}
    email, name = checked_person(session, email, name, errors)
    if role not in set(Role):
        errors["role"] = str(_("Choose one of: %(roles)s.", roles=", ".join(Role)))
    if gender not in set(Gender):
        errors["gender"] = str(_("Choose one of: %(genders)s.", genders=", ".join(Gender)))
    if message := problem(password, known=(name, email)):
        errors["password"] = message

    authority = session.get(Authority, authority_id) if authority_id is not None else None
    if role == Role.CASEWORKER and authority is None:
        errors["authority"] = str(_("A caseworker must belong to an existing authority."))
    region = session.scalar(select(Region).where(Region.code == region_code)) if region_code else None
    if role == Role.COORDINATOR and region is None:
        errors["region"] = str(_("A coordinator must belong to an existing region."))
    if errors:
        raise InvalidInput(errors)

    user = User(email=email, name=name, gender=gender)
    user.take_role(role, authority, region)
    user.set_password(password)
    session.add(user)
    return user
