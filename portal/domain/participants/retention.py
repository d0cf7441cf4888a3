"""Retention (gallring): closed cases are anonymised once the retention period has passed.

A participant is anonymised when none of their referrals is open and the last one
ended more than `days` ago (a participant with no referral at all counts from the day
they were registered). What identifies the person or describes their health goes:
name, contact details, the identity number (and its blind index), needs, languages,
accessibility needs, interests, the answers to regional referral fields, and the free
texts and step answers of their referrals, offers, placements and timeline, their
referrals' messages, the texts of their progress reports, and the days they were absent
(a reason such as "ill" is health data). What the reports count stays: gender (and its
copies on the referrals and offers, which 3R reads), municipality, the year of birth,
the dates and outcomes of each step, and the hours present (3R's Resources).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from portal.domain import audit
from portal.domain.transactions import begin_write, locked, locked_all
from portal.models import (
    AttendanceDay,
    EndReport,
    Meeting,
    Message,
    MessageRead,
    Offer,
    Participant,
    Placement,
    PlanVersion,
    ProgressGoal,
    ProgressReport,
    Referral,
    ReferralFieldValue,
    Transition,
)
from portal.models.base import utcnow

ANONYMISED_NAME = "–"


def due(session: Session, days: int, now: datetime | None = None) -> list[int]:
    """Ids of participants whose retention period has passed, oldest first."""
    return list(session.scalars(_due_query(days, now).order_by(Participant.id)))


def _due_query(days: int, now: datetime | None):
    cutoff = (now or utcnow()) - timedelta(days=days)
    open_referral = exists().where(Referral.participant_id == Participant.id, Referral.closed_at.is_(None))
    last_closed = (
        select(func.max(Referral.closed_at))
        .where(Referral.participant_id == Participant.id)
        .correlate(Participant)
        .scalar_subquery()
    )
    return select(Participant.id).where(
        Participant.anonymised_at.is_(None),
        ~open_referral,
        or_(last_closed < cutoff, and_(last_closed.is_(None), Participant.created_at < cutoff)),
    )


def still_due(session: Session, participant_id: int, days: int, now: datetime | None = None) -> bool:
    """Lock the person's referrals (ascending ids, the order of `domain.transactions`) and
    their row, then ask again: a referral submitted since `due` was read keeps them."""
    locked_all(session, Referral, session.scalars(select(Referral.id).where(Referral.participant_id == participant_id)))
    locked(session, Participant, participant_id)
    return session.scalar(_due_query(days, now).where(Participant.id == participant_id)) is not None


def anonymise(session: Session, participant_id: int, now: datetime | None = None) -> None:
    """Anonymise one participant and their cases, in the caller's transaction."""
    now = now or utcnow()
    participant = session.get(Participant, participant_id)
    participant.given_name = participant.family_name = ANONYMISED_NAME
    participant.email = participant.phone = None
    participant.personnummer_ciphertext = participant.personnummer_index = None
    if participant.birth_date is not None:
        participant.birth_date = date(participant.birth_date.year, 1, 1)
    for codes in (participant.needs, participant.languages, participant.accessibility_needs, participant.interests):
        codes.clear()
    participant.anonymised_at = now
    referral_ids = select(Referral.id).where(Referral.participant_id == participant_id).scalar_subquery()
    session.execute(update(Referral).where(Referral.participant_id == participant_id).values(goal="", notes=None))
    steps = update(Transition).where(Transition.referral_id.in_(referral_ids))
    session.execute(steps.values(note=None, answers=None))
    session.execute(update(Offer).where(Offer.referral_id.in_(referral_ids)).values(decline_note=None))
    session.execute(update(Placement).where(Placement.referral_id.in_(referral_ids)).values(outcome_note=None))
    session.execute(delete(ReferralFieldValue).where(ReferralFieldValue.referral_id.in_(referral_ids)))
    session.execute(delete(PlanVersion).where(PlanVersion.referral_id.in_(referral_ids)))
    session.execute(delete(Meeting).where(Meeting.referral_id.in_(referral_ids)))
    session.execute(delete(EndReport).where(EndReport.referral_id.in_(referral_ids)))
    reports = select(ProgressReport.id).join(Placement).where(Placement.referral_id.in_(referral_ids))
    session.execute(update(ProgressGoal).where(ProgressGoal.report_id.in_(reports)).values(goal="", note=None))
    placements = select(Placement.id).where(Placement.referral_id.in_(referral_ids))
    session.execute(
        delete(AttendanceDay).where(AttendanceDay.placement_id.in_(placements), AttendanceDay.hours.is_(None))
    )
    session.execute(delete(MessageRead).where(MessageRead.referral_id.in_(referral_ids)))
    session.execute(delete(Message).where(Message.referral_id.in_(referral_ids)))
    audit.record(
        session, actor_id=None, action="participant.anonymise", participant_ids=[participant_id], detail="retention"
    )


def run(session: Session, days: int, now: datetime | None = None) -> int:
    """Anonymise everyone due, one participant per write transaction, each asked again
    under the lock of their referrals; returns how many."""
    count = 0
    for participant_id in due(session, days, now):
        begin_write(session)
        if not still_due(session, participant_id, days, now):
            session.rollback()
            continue
        anonymise(session, participant_id, now)
        session.commit()
        count += 1
    return count
