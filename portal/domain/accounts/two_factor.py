"""Two-factor sign-in with an authenticator app (TOTP, RFC 6238) and recovery codes.

The secret is made when the person starts setting it up, shown as a QR code drawn on
the server (segno, inline SVG: nothing leaves the portal) and kept in their session
until a first code proves the app has it; only then is it stored, Fernet-encrypted with
the data key. Ten recovery codes are shown once and stored as SHA-256 hashes; each works
once, in place of a code. A code is accepted one 30-second step either side, for clocks
that drift. `PORTAL_REQUIRE_TWO_FACTOR` makes it compulsory for admins and coordinators,
who see the most.
"""

from __future__ import annotations

import hashlib
import secrets

import pyotp
import segno
from cryptography.fernet import Fernet
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal.domain import audit
from portal.domain.errors import InvalidInput
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


def _code_ok(secret: str, code: str) -> bool:
    code = "".join((code or "").split())
    return len(code) == 6 and code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=1)


def _digest(code: str) -> str:
    return hashlib.sha256("".join((code or "").lower().split()).replace("-", "").encode()).hexdigest()


def enable(session: Session, user: User, secret: str, code: str, data_key: str) -> list[str]:
    """Store the secret once `code` proves the app has it; the recovery codes, to show once."""
    if not secret or not _code_ok(secret, code):
        raise InvalidInput({"code": _("The code is wrong or too old. Type the six digits the app shows now.")})
    user.totp_secret = _fernet(data_key).encrypt(secret.encode()).decode()
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _index in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    audit.record_change(session, actor_id=user.id, action="user.two_factor_on", detail=f"user={user.id}")
    return codes


def disable(session: Session, user: User, password: str) -> None:
    """Turn two-factor sign-in off (the current password is asked for)."""
    if not user.check_password(password or ""):
        raise InvalidInput({"password": _("The password is wrong.")})
    user.totp_secret = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record_change(session, actor_id=user.id, action="user.two_factor_off", detail=f"user={user.id}")


def verify(session: Session, user: User, code: str, data_key: str) -> bool:
    """Whether `code` is the app's current code or an unused recovery code (then used up)."""
    if not user.totp_secret:
        return False
    secret = _fernet(data_key).decrypt(user.totp_secret.encode()).decode()
    if _code_ok(secret, code):
        return True
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
