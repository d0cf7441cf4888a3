"""People who sign in, the role that decides what each may see and do, and the authorities caseworkers belong to."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from portal.extensions import db
from portal.models.base import Gender, UTCDateTime, one_of, utcnow
from portal.models.geography import Municipality, Region


class AuthorityKind(enum.StrEnum):
    FORSAKRINGSKASSAN = "forsakringskassan"
    ARBETSFORMEDLINGEN = "arbetsformedlingen"
    SOCIAL_SERVICES = "social_services"
    LABOUR_MARKET_UNIT = "labour_market_unit"
    HEALTH_CARE = "health_care"


class Authority(db.Model):
    """An office of a referring authority (huvudman); caseworkers belong to one."""

    __tablename__ = "authority"
    __table_args__ = (
        UniqueConstraint("name", "municipality_id", name="uq_authority_name_municipality"),
        one_of("kind", AuthorityKind),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)

    municipality: Mapped[Municipality] = relationship()

    def __repr__(self) -> str:
        return f"<Authority {self.name}>"


class Role(enum.StrEnum):
    CASEWORKER = "caseworker"
    SUPERVISOR = "supervisor"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    """A signed-in person. Caseworkers belong to an authority, coordinators to a region."""

    __tablename__ = "user_account"
    __table_args__ = (
        one_of("role", Role),
        one_of("gender", Gender),
        CheckConstraint("role <> 'caseworker' OR authority_id IS NOT NULL", name="caseworker_has_authority"),
        CheckConstraint("role <> 'coordinator' OR region_id IS NOT NULL", name="coordinator_has_region"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), index=True)
    gender: Mapped[str] = mapped_column(String(20), default=Gender.NOT_STATED)
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("authority.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Raised by sign-out, deactivation, a new password or a change of role: every session
    # carries the number it was opened with and ends when it no longer matches.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Base32 TOTP secret, Fernet-encrypted with the data key; None: no two-factor sign-in.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    # The 30-second step of the last code accepted: a code works once, not again in its window.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    authority: Mapped[Authority | None] = relationship()
    region: Mapped[Region | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def take_role(self, role: str, authority: Authority | None, region: Region | None) -> None:
        """Give the person `role` and the workplace that goes with it: a caseworker keeps
        `authority` and a coordinator `region`; every other role keeps neither, since access
        reads them (one rule for invited, created and changed accounts alike)."""
        self.role = role
        self.authority = authority if role == Role.CASEWORKER else None
        self.region = region if role == Role.COORDINATOR else None

    def set_password(self, password: str) -> None:
        """Hash with werkzeug's scrypt (memory-hard), salted per user."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class TokenPurpose(enum.StrEnum):
    INVITATION = "invitation"
    RESET = "reset"


class AccountToken(db.Model):
    """A one-time link to set a password (invitation or forgotten password).

    Only the SHA-256 of the token is kept, so a copy of the database opens no account."""

    __tablename__ = "account_token"
    __table_args__ = (one_of("purpose", TokenPurpose),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """A two-factor recovery code, stored hashed; each works once."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
