"""What everyone may change about their own account: password and language."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.domain import audit
from portal.domain.accounts.passwords import problem
from portal.domain.errors import InvalidInput
from portal.i18n import lazy_gettext as _
from portal.models import User

LOCALES = ("sv", "en")


def change_password(session: Session, user: User, current: str, new: str, repeated: str) -> None:
    """A new password, the current one required. Every session of the account ends (the
    page starts the current one again), so a session someone else holds does not outlive it."""
    if not user.check_password(current or ""):
        raise InvalidInput({"current": _("The current password is wrong.")})
    if message := problem(new, known=(user.name, user.email)):
        raise InvalidInput({"new": message})
    if new != repeated:
        raise InvalidInput({"repeated": _("The two passwords differ.")})
    user.set_password(new)
    user.session_generation = (user.session_generation or 0) + 1
    audit.record_change(session, actor_id=user.id, action="user.password_change", detail=f"user={user.id}")


def set_language(session: Session, user: User, locale: str) -> None:
    if locale not in LOCALES:
        raise InvalidInput({"locale": _("Choose Swedish or English.")})
    user.locale = locale
    audit.record_change(session, actor_id=user.id, action="user.language", detail=f"user={user.id} locale={locale}")
