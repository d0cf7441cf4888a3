"""One-time links that let a person set a password: invitations and forgotten passwords.

The link carries 32 random bytes; only their SHA-256 is stored, so a copy of the
database opens no account. A token works once (`used_at` is set in the same transaction
as the new password, with a conditional UPDATE so two tabs cannot both use it), expires
(an invitation after 48 hours, a reset after one hour), and issuing a new one of the
same purpose retires the person's earlier ones.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.models import AccountToken, TokenPurpose, User
from portal.models.base import utcnow

LIFETIMES = {TokenPurpose.INVITATION: timedelta(hours=48), TokenPurpose.RESET: timedelta(hours=1)}
MAX_TOKEN_LENGTH = 100


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(session: Session, user: User, purpose: TokenPurpose) -> str:
    """A new token for `user` (returned once, for the link), in the caller's transaction."""
    now = utcnow()
    if user.id is not None:
        session.execute(
            update(AccountToken)
            .where(AccountToken.user_id == user.id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
    token = secrets.token_urlsafe(32)
    session.add(
        AccountToken(
            user=user, purpose=purpose, token_hash=digest(token), created_at=now, expires_at=now + LIFETIMES[purpose]
        )
    )
    return token


def valid(session: Session, token: str, purpose: TokenPurpose) -> AccountToken | None:
    """The unused, unexpired token of this purpose, or None (unknown, used or expired alike)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = session.scalar(
        select(AccountToken).where(AccountToken.token_hash == digest(token), AccountToken.purpose == purpose)
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


def use(session: Session, row: AccountToken) -> bool:
    """Mark the token used; False if another request used it first (nothing to do then)."""
    result = session.execute(
        update(AccountToken)
        .where(AccountToken.id == row.id, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def link_path(purpose: TokenPurpose, token: str) -> str:
    """The page that takes the token (kept here so mails and routes agree)."""
    return f"/invitation/{token}" if purpose == TokenPurpose.INVITATION else f"/sign-in/reset/{token}"
