"""Trained supervisors (handledare): where they work, whom they can take on, and how many."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Column, Date, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Gender, code_set, code_set_model, one_of
from .geography import Municipality
from .organisation import Cooperative
from .training import Cohort
from .user import User

supervisor_municipality = Table(
    "supervisor_municipality",
    db.metadata,
    Column("supervisor_id", ForeignKey("supervisor.id", ondelete="CASCADE"), primary_key=True),
    Column("municipality_id", ForeignKey("municipality.id"), primary_key=True, index=True),
)

SupervisorLanguage = code_set_model("supervisor", "language", "SupervisorLanguage")
SupervisorSpecialty = code_set_model("supervisor", "specialty", "SupervisorSpecialty")


class Supervisor(db.Model):
    """A supervisor's profile. `capacity` is how many placements they can run at once."""

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

    user: Mapped[User] = relationship()
    cooperative: Mapped[Cooperative] = relationship()
    cohort: Mapped[Cohort | None] = relationship()
    municipalities: Mapped[set[Municipality]] = relationship(
        secondary=supervisor_municipality, collection_class=set, lazy="selectin"
    )
    _language_rows, languages = code_set(SupervisorLanguage, "_language_rows")
    _specialty_rows, specialties = code_set(SupervisorSpecialty, "_specialty_rows")

    @property
    def certified(self) -> bool:
        return self.certified_on is not None

    def __repr__(self) -> str:
        return f"<Supervisor {self.id} user={self.user_id}>"
