"""Participants (deltagare) and their consent. Health data under GDPR article 9.

The personal identity number is never stored in clear: `personnummer_ciphertext` is
Fernet-encrypted and `personnummer_index` is a keyed hash (blind index) that finds the
same person again without decrypting anything. `domain.participants.privacy` fills both.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import Authority, User
from portal.models.base import Gender, UTCDateTime, code_set, code_set_model, one_of, utcnow
from portal.models.geography import Municipality

ParticipantNeed = code_set_model("participant", "need", "ParticipantNeed")
ParticipantLanguage = code_set_model("participant", "language", "ParticipantLanguage")
ParticipantAccessibility = code_set_model("participant", "accessibility", "ParticipantAccessibility")
ParticipantInterest = code_set_model("participant", "interest", "ParticipantInterest")


class LabourMarketStatus(enum.StrEnum):
    """Status on the labour market when a placement begins, as the ESF reports it."""

    UNEMPLOYED = "unemployed"
    LONG_TERM_UNEMPLOYED = "long_term_unemployed"  # over 12 months (over 6 under age 25)
    INACTIVE = "inactive"  # neither working nor looking for work
    EMPLOYED = "employed"


class EducationLevel(enum.StrEnum):
    """Highest completed education, in ISCED 2011 bands, as the ESF reports it."""

    ISCED_0_2 = "isced_0_2"  # at most compulsory school (grundskola)
    ISCED_3_4 = "isced_3_4"  # upper secondary (gymnasium) or post-secondary, not tertiary
    ISCED_5_8 = "isced_5_8"  # tertiary (university, higher vocational)


class Participant(db.Model):
    __tablename__ = "participant"
    __table_args__ = (
        one_of("gender", Gender),
        one_of("labour_market_status", LabourMarketStatus, nullable=True),
        one_of("education_level", EducationLevel, nullable=True),
        {"sqlite_autoincrement": True},  # an id is never given again (migration 0024)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    personnummer_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    personnummer_index: Mapped[str | None] = mapped_column(String(64), index=True)
    birth_date: Mapped[date | None] = mapped_column(Date)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    gender: Mapped[str] = mapped_column(String(20), default=Gender.NOT_STATED)
    labour_market_status: Mapped[str | None] = mapped_column(String(30))
    education_level: Mapped[str | None] = mapped_column(String(20))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    registered_by_authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    municipality: Mapped[Municipality] = relationship()
    registered_by_authority: Mapped[Authority] = relationship()
    consents: Mapped[list[Consent]] = relationship(back_populates="participant", order_by="Consent.given_on")
    _need_rows, needs = code_set(ParticipantNeed, "_need_rows")
    _language_rows, languages = code_set(ParticipantLanguage, "_language_rows")
    _accessibility_rows, accessibility_needs = code_set(ParticipantAccessibility, "_accessibility_rows")
    _interest_rows, interests = code_set(ParticipantInterest, "_interest_rows")

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def __repr__(self) -> str:  # no names or numbers in logs
        return f"<Participant {self.id}>"

    @staticmethod
    def profile_loaded(path) -> tuple:
        """Loader options for a participant reached through `path` (e.g. `joinedload(Referral.participant)`):
        the municipality and every code set that matching and the referral page read, in a
        constant number of queries."""
        code_sets = (
            Participant._need_rows,
            Participant._language_rows,
            Participant._accessibility_rows,
            Participant._interest_rows,
        )
        return (path.joinedload(Participant.municipality), *(path.selectinload(rows) for rows in code_sets))


class ConsentScope(enum.StrEnum):
    REFERRAL = "referral"
    REFERRAL_AND_FOLLOW_UP = "referral_and_follow_up"


class ConsentMethod(enum.StrEnum):
    WRITTEN = "written"
    ORAL = "oral"
    DIGITAL = "digital"


class Consent(db.Model):
    """The participant's consent to be referred; required before submission."""

    __tablename__ = "consent"
    __table_args__ = (
        one_of("scope", ConsentScope),
        one_of("method", ConsentMethod),
        CheckConstraint("withdrawn_on IS NULL OR withdrawn_on >= given_on", name="withdrawn_after_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    scope: Mapped[str] = mapped_column(String(30))
    method: Mapped[str] = mapped_column(String(20))
    given_on: Mapped[date] = mapped_column(Date)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    participant: Mapped[Participant] = relationship(back_populates="consents")
    recorded_by: Mapped[User] = relationship()

    @property
    def in_force(self) -> bool:
        return self.withdrawn_on is None
