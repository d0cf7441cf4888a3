"""A forgotten password: a one-hour link by mail, with the same answer for every address.

Whether the address has an account is never told: the page says the same thing, and
the request costs the same (a token is issued and hashed either way; an unknown or
deactivated address just sends nothing). The page's sign-in limit counts every request.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import audit
from portal.domain.accounts import mails, tokens
from portal.domain.accounts.users import normalise_email
from portal.models import TokenPurpose, User


def request_reset(session: Session, email: str, settings: Mapping | None = None) -> None:
    """Queue a reset mail if an active account has this address; otherwise do nothing."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        tokens.digest(tokens.secrets.token_urlsafe(32))  # the same work as for a real account
        return
    mails.send_link(session, user, TokenPurpose.RESET, settings)
    audit.record_change(session, actor_id=None, action="user.reset_asked", detail=f"user={user.id}")
