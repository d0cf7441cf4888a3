"""The directory the regional offices keep: social cooperatives and their supervisors."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import User
from portal.models.base import Gender, code_set, code_set_model, keep_code_copies, one_of
from portal.models.geography import Municipality
from portal.models.training import Cohort

CooperativeTrade = code_set_model("cooperative", "trade", "CooperativeTrade")
CooperativeAccessibility = code_set_model("cooperative", "accessibility", "CooperativeAccessibility")


class Cooperative(db.Model):
    """A social work cooperative where placements happen.

    `trade_codes` and `accessibility_codes` are copies of `trades` and `accessibility`
    (`keep_code_copies`), read by matching's own statement and deferred elsewhere.
    """

    __tablename__ = "cooperative"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation_number: Mapped[str] = mapped_column(String(11), unique=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    trade_codes: Mapped[str | None] = mapped_column(Text, deferred=True)
    accessibility_codes: Mapped[str | None] = mapped_column(Text, deferred=True)

    municipality: Mapped[Municipality] = relationship()
    _trade_rows, trades = code_set(CooperativeTrade, "_trade_rows")
    _accessibility_rows, accessibility = code_set(CooperativeAccessibility, "_accessibility_rows")

    def __repr__(self) -> str:
        return f"<Cooperative {self.organisation_number} {self.name}>"


supervisor_municipality = Table(
    "supervisor_municipality",
    db.metadata,
    Column("supervisor_id", ForeignKey("supervisor.id", ondelete="CASCADE"), primary_key=True),
    Column("municipality_id", ForeignKey("municipality.id"), primary_key=True, index=True),
)

SupervisorLanguage = code_set_model("supervisor", "language", "SupervisorLanguage")
SupervisorSpecialty = code_set_model("supervisor", "specialty", "SupervisorSpecialty")
SupervisorAccessibility = code_set_model("supervisor", "accessibility", "SupervisorAccessibility")


class Supervisor(db.Model):
    """A supervisor's profile. `capacity` is how many placements they can run at once.

    A pause ("takes no offers until …") keeps an active supervisor out of matching up to
    and including `paused_until`, without touching their record otherwise. Certification
    is the coordinator's decision (who, when, on what grounds) and gates matching.
    `specialty_codes`, `language_codes` and `accessibility_codes` are copies of the code
    sets (`keep_code_copies`), read by matching's own statement and deferred elsewhere.
    """

    __tablename__ = "supervisor"
    __table_args__ = (
        CheckConstraint("capacity >= 0 AND capacity <= 50", name="capacity_range"),
        one_of("gender", Gender),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), unique=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"), index=True)
    gender: Mapped[str] = mapped_column(String(20), default=Gender.NOT_STATED)
    capacity: Mapped[int] = mapped_column(Integer, default=2)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id"), index=True)
    certified_on: Mapped[date | None] = mapped_column(Date)
    certified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    certification_grounds: Mapped[str | None] = mapped_column(String(500))
    paused_until: Mapped[date | None] = mapped_column(Date)
    pause_reason: Mapped[str | None] = mapped_column(String(200))
    specialty_codes: Mapped[str | None] = mapped_column(Text, deferred=True)
    language_codes: Mapped[str | None] = mapped_column(Text, deferred=True)
    accessibility_codes: Mapped[str | None] = mapped_column(Text, deferred=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    certified_by: Mapped[User | None] = relationship(foreign_keys=[certified_by_id])
    cooperative: Mapped[Cooperative] = relationship()
    cohort: Mapped[Cohort | None] = relationship()
    municipalities: Mapped[set[Municipality]] = relationship(
        secondary=supervisor_municipality, collection_class=set, lazy="selectin"
    )
    _language_rows, languages = code_set(SupervisorLanguage, "_language_rows")
    _specialty_rows, specialties = code_set(SupervisorSpecialty, "_specialty_rows")
    _accessibility_rows, accessibility = code_set(SupervisorAccessibility, "_accessibility_rows")

    @property
    def certified(self) -> bool:
        return self.certified_on is not None

    def paused_on(self, day: date) -> bool:
        return self.paused_until is not None and self.paused_until >= day

    def __repr__(self) -> str:
        return f"<Supervisor {self.id} user={self.user_id}>"


keep_code_copies(Cooperative, {"_trade_rows": "trade_codes", "_accessibility_rows": "accessibility_codes"})
keep_code_copies(
    Supervisor,
    {
        "_specialty_rows": "specialty_codes",
        "_language_rows": "language_codes",
        "_accessibility_rows": "accessibility_codes",
    },
)
