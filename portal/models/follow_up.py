"""Following a placement: the plan (genomförandeplan) and its versions.

A plan is never changed in place: every save is a new `PlanVersion` with the next
`number`, so what the caseworker approved stays readable after later changes. The
unique (referral, number) pair is the last line against two people saving the same
version at once (the writers also lock the referral first).
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import User
from portal.models.base import UTCDateTime, one_of, utcnow
from portal.models.referrals import Outcome


class PlanState(enum.StrEnum):
    """Draft (the supervisor is writing), submitted (the caseworker is asked), approved,
    or returned (sent back with a comment)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class PlanVersion(db.Model):
    """One saved version of a referral's plan: concrete goals, activities, hours and schedule."""

    __tablename__ = "plan_version"
    __table_args__ = (
        UniqueConstraint("referral_id", "number", name="uq_plan_version_referral_number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("hours_per_week BETWEEN 1 AND 40", name="hours_per_week_range"),
        one_of("state", PlanState),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), default=PlanState.DRAFT)
    goals: Mapped[list] = mapped_column(JSON)  # the concrete goals, in order, as texts
    activities: Mapped[str] = mapped_column(Text)
    hours_per_week: Mapped[int] = mapped_column(Integer)
    schedule: Mapped[str | None] = mapped_column(Text)
    written_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    comment: Mapped[str | None] = mapped_column(Text)

    written_by: Mapped[User] = relationship(foreign_keys=[written_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    def __repr__(self) -> str:
        return f"<PlanVersion referral={self.referral_id} no. {self.number} {self.state}>"


class MeetingKind(enum.StrEnum):
    START = "start"
    THREE_PARTY = "three_party"  # participant, caseworker and supervisor
    FOLLOW_UP = "follow_up"


class Meeting(db.Model):
    """A meeting on a referral: booked with a time and a place or a video link, then
    recorded with who attended, notes and agreed actions.

    `uid` and `sequence` are the calendar invitation's (RFC 5545): every change or
    cancellation is sent again under the same UID with the next SEQUENCE, so calendars
    update the event they have instead of adding another.
    """

    __tablename__ = "meeting"
    __table_args__ = (
        one_of("kind", MeetingKind),
        CheckConstraint("minutes BETWEEN 15 AND 480", name="minutes_range"),
        CheckConstraint("place IS NOT NULL OR video_url IS NOT NULL", name="place_or_video"),
        CheckConstraint("sequence >= 0", name="sequence_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    minutes: Mapped[int] = mapped_column(Integer)
    place: Mapped[str | None] = mapped_column(String(300))
    video_url: Mapped[str | None] = mapped_column(String(500))
    uid: Mapped[str] = mapped_column(String(120), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    booked_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attended: Mapped[list | None] = mapped_column(JSON)  # codes of `domain.vocabulary.MEETING_ATTENDEES`
    notes: Mapped[str | None] = mapped_column(Text)
    agreed_actions: Mapped[str | None] = mapped_column(Text)

    booked_by: Mapped[User] = relationship()

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


class GoalResult(enum.StrEnum):
    ACHIEVED = "achieved"
    PARTLY = "partly"
    NOT_ACHIEVED = "not_achieved"


class NextStep(enum.StrEnum):
    WORK = "work"
    EDUCATION = "education"
    FURTHER_PLACEMENT = "further_placement"
    OTHER_SUPPORT = "other_support"


class EndReport(db.Model):
    """The supervisor's end report (slutrapport) of a placement: one per referral.

    `goals` are the goals as reported on (the approved plan's), `results` their results in
    the same order; `outcome` is the result at exit the ESF report counts (`Outcome`);
    `answers` are the region's own questions (`portal_end_report_questions`), keyed
    ``"<plugin>.<name>"``, as stored texts.
    """

    __tablename__ = "end_report"
    __table_args__ = (
        one_of("next_step", NextStep),
        one_of("outcome", Outcome),
        CheckConstraint("length(can_do_now) > 0", name="can_do_now_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), unique=True)
    goals: Mapped[list] = mapped_column(JSON)
    results: Mapped[list] = mapped_column(JSON)
    can_do_now: Mapped[str] = mapped_column(Text)
    next_step: Mapped[str] = mapped_column(String(30))
    outcome: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    written_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    written_by: Mapped[User] = relationship()
