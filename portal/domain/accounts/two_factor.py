"""Two-factor sign-in with an authenticator app (TOTP, RFC 6238) and recovery codes.

The secret is made when the person starts setting it up, shown as a QR code drawn on
the server (segno, inline SVG: nothing leaves the portal) and kept in their session
until a first code proves the app has it; only then is it stored, Fernet-encrypted with
the data key. Ten recovery codes are shown once and stored as SHA-256 hashes; each works
once, in place of a code. A code is accepted one 30-second step either side, for clocks
that drift, and only once: the step of the last code accepted is kept per person, and a
code of that step or an earlier one is refused (a code seen over a shoulder or caught in
transit cannot be used again in its window). `PORTAL_REQUIRE_TWO_FACTOR` makes it
compulsory for admins and coordinators, who see the most.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

import pyotp
import segno
from cryptography.fernet import Fernet
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from portal.domain import audit
from portal.domain.errors import InvalidInput
from portal.domain.transactions import begin_write
from portal.i18n import lazy_gettext as _
from portal.models import RecoveryCode, Role, User
from portal.models.base import utcnow

ISSUER = "Handledarportalen"
RECOVERY_CODES = 10
REQUIRED_FOR = frozenset({Role.ADMIN, Role.COORDINATOR})


def required(user: User, setting: bool) -> bool:
    """Whether `user` must have two-factor sign-in before using the portal."""
    return bool(setting) and user.role in REQUIRED_FOR and not user.totp_secret


def new_secret() -> str:
    return pyotp.random_base32()


def qr_svg(secret: str, email: str, title: str) -> str:
    """The setup QR code as inline SVG markup (no request to any other site)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_inline(scale=4, title=title, dark="#000", light="#fff")


def _fernet(data_key: str) -> Fernet:
    return Fernet(data_key.encode() if isinstance(data_key, str) else data_key)


def _step_of(secret: str, code: str) -> int | None:
    """The 30-second step (now, or one either side) whose code `code` is; None if none."""
    code = "".join((code or "").split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(datetime.now(UTC))
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_step(session: Session, user: User, step: int) -> bool:
    """Record `step` as the user's last one, unless it or a later one was used already
    (one statement, so two sign-ins racing with the same code cannot both win)."""
    used = session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount == 1:
        user.totp_last_step = step
    return used.rowcount == 1


def _digest(code: str) -> str:
    return hashlib.sha256("".join((code or "").lower().split()).replace("-", "").encode()).hexdigest()


def enable(session: Session, user: User, secret: str, code: str, data_key: str) -> list[str]:
    """Store the secret once `code` proves the app has it; the recovery codes, to show once."""
    step = _step_of(secret, code) if secret else None
    if step is None:
        raise InvalidInput({"code": _("The code is wrong or too old. Type the six digits the app shows now.")})
    user.totp_secret = _fernet(data_key).encrypt(secret.encode()).decode()
    user.totp_last_step = step
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _index in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    audit.record_change(session, actor_id=user.id, action="user.two_factor_on", detail=f"user={user.id}")
    return codes


def disable(session: Session, user: User, password: str) -> None:
    """Turn two-factor sign-in off (the current password is asked for)."""
    if not user.check_password(password or ""):
        raise InvalidInput({"password": _("The password is wrong.")})
    user.totp_secret = user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record_change(session, actor_id=user.id, action="user.two_factor_off", detail=f"user={user.id}")


def verify(session: Session, user: User, code: str, data_key: str) -> bool:
    """Whether `code` is the app's current code, not used before, or an unused recovery
    code (either is then used up, in a write transaction begun here: two sign-ins with one
    code at once wait for each other, and the second sees the first's step)."""
    begin_write(session)
    if not user.totp_secret:
        return False
    secret = _fernet(data_key).decrypt(user.totp_secret.encode()).decode()
    step = _step_of(secret, code)
    if step is not None:
        return _use_step(session, user, step)
    if not code or len(code) > 40:
        return False
    row = session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _digest(code), RecoveryCode.used_at.is_(None)
        )
    )
    if row is None:
        return False
    used = session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if used.rowcount == 1:
        audit.record_change(session, actor_id=user.id, action="user.recovery_code_used", detail=f"user={user.id}")
    return used.rowcount == 1


def current_code(secret: str) -> str:
    """The app's code now (for tests and the demo)."""
    return pyotp.TOTP(secret).now()
