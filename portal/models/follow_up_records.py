"""What is recorded while a placement runs: attendance per day, kept per week, and the
referral's conversation.

A week of attendance is saved whole from one screen; `AttendanceWeek.version` is what
two people saving the same week at once compare against, so the second save is refused
with a request to reload instead of silently replacing the first.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import User
from portal.models.base import UTCDateTime, utcnow

ABSENCE_REASONS = ("ill", "child_care", "leave", "other_agreed", "unexplained")


class AttendanceWeek(db.Model):
    """One Monday-to-Sunday week of a placement as last saved, with its version."""

    __tablename__ = "attendance_week"
    __table_args__ = (
        UniqueConstraint("placement_id", "monday", name="uq_attendance_week_placement_monday"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"))
    monday: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    saved_by: Mapped[User | None] = relationship()


class AttendanceDay(db.Model):
    """A day of a placement: hours present, or an absence with its reason (never both)."""

    __tablename__ = "attendance_day"
    __table_args__ = (
        UniqueConstraint("placement_id", "day", name="uq_attendance_day_placement_day"),
        CheckConstraint("(hours IS NULL) <> (absence_reason IS NULL)", name="hours_or_absence"),
        CheckConstraint("hours IS NULL OR (hours > 0 AND hours <= 24)", name="hours_in_a_day"),
        CheckConstraint(
            "absence_reason IS NULL OR absence_reason IN ("
            + ", ".join(f"'{reason}'" for reason in ABSENCE_REASONS)
            + ")",
            name="absence_reason_valid",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    absence_reason: Mapped[str | None] = mapped_column(String(20))


class Message(db.Model):
    """One message in a referral's conversation (its caseworker, supervisor and the
    region's coordinator). Its text never leaves the portal: e-mails only say it exists."""

    __tablename__ = "message"
    __table_args__ = (CheckConstraint("length(body) > 0", name="body_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()


class MessageRead(db.Model):
    """How far a user has read a referral's conversation: the newest message id seen."""

    __tablename__ = "message_read"

    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    last_read_id: Mapped[int] = mapped_column(Integer)


PROGRESS = ("on_track", "some_progress", "not_yet")


class ProgressReport(db.Model):
    """A progress report (lägesrapport): the supervisor's word on each goal, every few
    weeks (`Workflow.progress_report_weeks`); `period` counts them from 1, once each."""

    __tablename__ = "progress_report"
    __table_args__ = (
        UniqueConstraint("placement_id", "period", name="uq_progress_report_placement_period"),
        CheckConstraint("period >= 1", name="period_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), index=True)
    period: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    goals: Mapped[list[ProgressGoal]] = relationship(
        order_by="ProgressGoal.position", cascade="all, delete-orphan", back_populates="report"
    )


class ProgressGoal(db.Model):
    """One goal's state in a progress report, with a short text."""

    __tablename__ = "progress_goal"
    __table_args__ = (
        CheckConstraint("progress IN (" + ", ".join(f"'{code}'" for code in PROGRESS) + ")", name="progress_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_report.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    goal: Mapped[str] = mapped_column(Text)
    progress: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)

    report: Mapped[ProgressReport] = relationship(back_populates="goals")
