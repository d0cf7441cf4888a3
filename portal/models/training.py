"""The regional supervisor training: cohorts, their modules, and who completed what."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow
from portal.models.geography import Region


class Cohort(db.Model):
    """One run (utbildningsomgång) of the supervisor training in a region."""

    __tablename__ = "cohort"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    evaluation_note: Mapped[str | None] = mapped_column(Text)

    region: Mapped[Region] = relationship()
    modules: Mapped[list[Module]] = relationship(back_populates="cohort", order_by="Module.position")


class Module(db.Model):
    """A part (moment) of a cohort's curriculum; certification requires all of them."""

    __tablename__ = "module"
    __table_args__ = (
        UniqueConstraint("cohort_id", "position", name="uq_module_cohort_position"),
        CheckConstraint("hours > 0", name="hours_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    hours: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[date | None] = mapped_column(Date)  # the session's day, once planned

    cohort: Mapped[Cohort] = relationship(back_populates="modules")


class ModuleCompletion(db.Model):
    """A supervisor completed a module on a date."""

    __tablename__ = "module_completion"

    supervisor_id: Mapped[int] = mapped_column(ForeignKey("supervisor.id", ondelete="CASCADE"), primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), primary_key=True, index=True)
    completed_on: Mapped[date] = mapped_column(Date)


class Attendance(db.Model):
    """Whether an enrolled person was at a module's session, and who recorded it when.

    Kept apart from completion: someone absent may complete the module by catching up.
    """

    __tablename__ = "attendance"

    supervisor_id: Mapped[int] = mapped_column(ForeignKey("supervisor.id", ondelete="CASCADE"), primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id", ondelete="CASCADE"), primary_key=True, index=True)
    attended: Mapped[bool] = mapped_column(Boolean)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
