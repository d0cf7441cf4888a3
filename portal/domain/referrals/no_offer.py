"""Referrals that have waited too long for an offer: the region's coordinators are told.

A submitted referral that can be offered (its state has the workflow's "offer" step) and
has had no offer for ``NO_OFFER_ALERT_WORKING_DAYS`` working days (Swedish holidays
excepted, `calendar.add_working_days`) since it was submitted or its last offer was
answered, declined or expired, alerts the coordinators of its region, once per referral.
Run by `portal worker` with the offer timers; each referral in its own transaction,
under its lock, so two workers never alert twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from portal.domain.calendar import add_working_days, portal_zone
from portal.domain.notifications import inbox as notifications
from portal.domain.referrals.transitions import Engine
from portal.domain.transactions import begin_write, locked
from portal.models import Notification, Offer, OfferState, Referral, User
from portal.models.base import utcnow

KIND = "referral_no_offer"
DEFAULT_DAYS = 5


def _already_alerted():
    return exists().where(Notification.referral_id == Referral.id, Notification.kind == KIND)


def _waiting_rows(session: Session):
    """(id, waiting since) of submitted, open referrals with no open or accepted offer that
    have not yet been alerted about."""
    last_answer = (
        select(func.max(Offer.responded_at))
        .where(Offer.referral_id == Referral.id)
        .correlate(Referral)
        .scalar_subquery()
    )
    busy = exists().where(Offer.referral_id == Referral.id, Offer.state.in_((OfferState.OPEN, OfferState.ACCEPTED)))
    return session.execute(
        select(Referral.id, Referral.submitted_at, last_answer)
        .where(Referral.submitted_at.is_not(None), Referral.closed_at.is_(None), ~busy, ~_already_alerted())
        .order_by(Referral.id)
    ).all()


def alert_waiting(session: Session, engine: Engine, now: datetime | None = None) -> int:
    """Alert the coordinators about every referral waiting past the limit; how many referrals."""
    now = now or utcnow()
    days = int(engine.settings.get("NO_OFFER_ALERT_WORKING_DAYS", DEFAULT_DAYS))
    zone = portal_zone(engine.settings.get("TIMEZONE"))
    due = [
        referral_id
        for referral_id, submitted, answered in _waiting_rows(session)
        if add_working_days(max(filter(None, (submitted, answered))), days, zone) <= now
    ]
    session.rollback()
    alerted = 0
    for referral_id in due:
        begin_write(session)
        referral = locked(session, Referral, referral_id)
        if referral is None or not _still_waiting(session, engine, referral):
            session.rollback()
            continue
        coordinators = session.scalars(
            select(User).where(User.role == "coordinator", User.region_id == referral.region_id, User.active.is_(True))
        ).all()
        if not coordinators:  # nobody to tell yet: looked at again next round
            session.rollback()
            continue
        notifications.notify(
            session, recipients=coordinators, kind=KIND, referral_id=referral.id, settings=engine.settings
        )
        session.commit()
        alerted += 1
    return alerted


def _still_waiting(session: Session, engine: Engine, referral: Referral) -> bool:
    """Re-checked under the lock: still open, offerable, with no offer in the way, not alerted."""
    workflow = engine.registry.get(referral.workflow_name, referral.workflow_version)
    if workflow is None or referral.closed_at is not None:
        return False
    if not any(transition.name == "offer" for transition in workflow.outgoing(referral.state)):
        return False
    return not session.scalar(
        select(
            exists().where(Offer.referral_id == referral.id, Offer.state.in_((OfferState.OPEN, OfferState.ACCEPTED)))
            | exists().where(Notification.referral_id == referral.id, Notification.kind == KIND)
        )
    )
