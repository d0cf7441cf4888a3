"""A referral and what happens to it: offers to supervisors, the placement, the timeline.

`Referral.state` holds a state name of the workflow the referral runs under
(`workflow_name`, `workflow_version`); workflows are plugin data, so the column is not
limited by a CHECK constraint; offers and placements have fixed life cycles and are.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import Authority, User
from portal.models.base import Gender, UTCDateTime, one_of, utcnow
from portal.models.directory import Supervisor
from portal.models.geography import Region
from portal.models.participants import EducationLevel, LabourMarketStatus, Participant


class Referral(db.Model):
    """A caseworker's request for a placement for one participant.

    `participant_gender` is the participant's gender, copied when the referral is made
    and kept in step when it is corrected (`domain.participants.registration.update`),
    so that the 3R report counts a year of referrals and placements by gender without
    joining every participant (bench/README.md has the timings). Offers carry it too.
    """

    __tablename__ = "referral"
    __table_args__ = (
        CheckConstraint("hours_per_week BETWEEN 1 AND 40", name="hours_per_week_range"),
        one_of("participant_gender", Gender),
        Index("ix_referral_region_state", "region_id", "state"),
        Index("ix_referral_authority_state", "authority_id", "state"),
        Index("ix_referral_submitted_at", "submitted_at"),  # the reports' periods
        {"sqlite_autoincrement": True},  # a number is never given again (migration 0024)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    participant_gender: Mapped[str] = mapped_column(String(20))
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    caseworker_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    workflow_name: Mapped[str] = mapped_column(String(60))
    workflow_version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(40), index=True)
    goal: Mapped[str] = mapped_column(Text)
    hours_per_week: Mapped[int] = mapped_column(Integer)
    earliest_start: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    region_wide: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    participant: Mapped[Participant] = relationship()
    authority: Mapped[Authority] = relationship()
    caseworker: Mapped[User] = relationship()
    region: Mapped[Region] = relationship()
    offers: Mapped[list[Offer]] = relationship(back_populates="referral", order_by="Offer.offered_at")
    placement: Mapped[Placement | None] = relationship(back_populates="referral")
    transitions: Mapped[list[Transition]] = relationship(
        back_populates="referral", order_by="Transition.occurred_at, Transition.id"
    )

    def __repr__(self) -> str:
        return f"<Referral {self.id} {self.state}>"


class OfferState(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class DeclineReason(enum.StrEnum):
    NO_CAPACITY = "no_capacity"
    POOR_MATCH = "poor_match"
    TIMING = "timing"
    ACCESSIBILITY = "accessibility"
    OTHER = "other"


class Offer(db.Model):
    """A referral offered to one supervisor until `expires_at`.

    `participant_gender` is the referral's copy of the participant's gender, taken when
    the offer is made and kept in step with it, so that the 3R report counts a year of
    offers by gender without joining their referrals and participants.
    """

    __tablename__ = "offer"
    __table_args__ = (
        UniqueConstraint("referral_id", "supervisor_id", name="uq_offer_referral_supervisor"),
        Index("ix_offer_supervisor_state", "supervisor_id", "state"),
        Index("ix_offer_offered_at", "offered_at"),  # the reports' periods
        one_of("state", OfferState),
        one_of("decline_reason", DeclineReason, nullable=True),
        one_of("participant_gender", Gender),
        CheckConstraint("expires_at > offered_at", name="expires_after_offer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    participant_gender: Mapped[str] = mapped_column(String(20))
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("supervisor.id"))
    offered_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    state: Mapped[str] = mapped_column(String(20), default=OfferState.OPEN)
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str | None] = mapped_column(String(30))
    decline_note: Mapped[str | None] = mapped_column(Text)

    referral: Mapped[Referral] = relationship(back_populates="offers")
    supervisor: Mapped[Supervisor] = relationship()
    offered_by: Mapped[User] = relationship()


class PlacementState(enum.StrEnum):
    """A planned placement withdrawn before it began is *cancelled*: it never was a
    placement. One that began and ended early is *discontinued*."""

    PLANNED = "planned"
    ACTIVE = "active"
    COMPLETED = "completed"
    DISCONTINUED = "discontinued"
    CANCELLED = "cancelled"


RUNNING_PLACEMENT_STATES = (PlacementState.PLANNED, PlacementState.ACTIVE)  # begun or about to: not yet ended


class Outcome(enum.StrEnum):
    EMPLOYMENT = "employment"
    EDUCATION = "education"
    JOB_SEEKING = "job_seeking"
    OTHER = "other"


class Placement(db.Model):
    """The accepted offer running from start to end. One per referral, by constraint.

    `start_date` is the planned start until the placement starts, then the start date
    entered. `status_at_entry` and `education_at_entry` are the participant's
    labour-market status and education copied when it starts, so that the ESF report
    counts them at entry, whatever is recorded on the participant later.
    """

    __tablename__ = "placement"
    __table_args__ = (
        one_of("state", PlacementState),
        one_of("outcome", Outcome, nullable=True),
        one_of("status_at_entry", LabourMarketStatus, nullable=True),
        one_of("education_at_entry", EducationLevel, nullable=True),
        CheckConstraint("hours_per_week BETWEEN 1 AND 40", name="hours_per_week_range"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ends_after_start"),
        # Serves the running count (capacity) and the count completed for an authority (continuity).
        Index("ix_placement_supervisor_state_authority", "supervisor_id", "state", "authority_id"),
        Index("ix_placement_start_date", "start_date"),  # the reports' periods
        Index("ix_placement_end_date", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), unique=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id"), unique=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("supervisor.id"))
    # The referral's authority, copied when the placement is made (it never changes after),
    # so that the placements a supervisor completed for an authority are counted from an index.
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    state: Mapped[str] = mapped_column(String(20), default=PlacementState.PLANNED)
    start_date: Mapped[date] = mapped_column(Date)
    hours_per_week: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_date: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    status_at_entry: Mapped[str | None] = mapped_column(String(30))
    education_at_entry: Mapped[str | None] = mapped_column(String(20))

    referral: Mapped[Referral] = relationship(back_populates="placement")
    offer: Mapped[Offer] = relationship()
    supervisor: Mapped[Supervisor] = relationship()


class Transition(db.Model):
    """One step on a referral's timeline: who moved it, when, from where to where, and why."""

    __tablename__ = "transition"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
    answers: Mapped[dict | None] = mapped_column(JSON)  # the step's `Transition.fields`, stored text by name

    referral: Mapped[Referral] = relationship(back_populates="transitions")
    actor: Mapped[User | None] = relationship()


@event.listens_for(Referral, "before_insert")
def _gender_of_participant(mapper, connection, referral: Referral) -> None:
    """A new referral takes its participant's gender, wherever it is made."""
    referral.participant_gender = referral.participant.gender


@event.listens_for(Offer, "before_insert")
def _gender_of_referral(mapper, connection, offer: Offer) -> None:
    """A new offer takes its referral's copy of the participant's gender."""
    offer.participant_gender = offer.referral.participant_gender


@event.listens_for(Placement, "before_insert")
def _authority_of_referral(mapper, connection, placement: Placement) -> None:
    """A new placement takes its referral's authority, wherever it is made."""
    if placement.authority_id is None:
        placement.authority_id = placement.referral.authority_id
