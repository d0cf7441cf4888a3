"""The clock side of offers: expiring those nobody answered, reminding a day before.

Run by `portal offers expire` (once, e.g. from cron) or by `portal worker` in a loop.
Each offer is handled in its own transaction, so one failure does not hold up the rest,
and two workers running at once neither expire nor remind anything twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.domain.notifications import inbox as notifications
from portal.domain.referrals.actions import fire_first
from portal.domain.referrals.transitions import Engine, Refused
from portal.domain.transactions import begin_write, locked
from portal.models import Offer, OfferState, Referral
from portal.models.base import utcnow

log = logging.getLogger(__name__)
REMIND_BEFORE = timedelta(days=1)


def expire_overdue(session: Session, engine: Engine, now: datetime | None = None) -> int:
    """Expire every open offer past its time, each in its own transaction; returns how many."""
    now = now or utcnow()
    due = session.scalars(
        select(Offer.id).where(Offer.state == OfferState.OPEN, Offer.expires_at <= now).order_by(Offer.id)
    ).all()
    expired = 0
    for offer_id in due:
        begin_write(session)
        referral_id = session.scalar(select(Offer.referral_id).where(Offer.id == offer_id))
        referral = locked(session, Referral, referral_id)  # referral before offer, as everywhere
        the_offer = locked(session, Offer, offer_id)
        if the_offer.state != OfferState.OPEN:
            session.rollback()
            continue
        try:
            fire_first(session, engine, referral, ("expire", "expire_one"), None, None, {"offer": the_offer}, now)
        except Refused:
            session.rollback()
            log.exception("offer %s could not be expired", offer_id)
            continue
        session.commit()
        expired += 1
    return expired


def remind_expiring(session: Session, engine: Engine, now: datetime | None = None) -> int:
    """Remind each supervisor once, a day before their open offer expires."""
    now = now or utcnow()
    due = session.scalars(
        select(Offer.id)
        .where(
            Offer.state == OfferState.OPEN,
            Offer.reminded_at.is_(None),
            Offer.expires_at > now,
            Offer.expires_at <= now + REMIND_BEFORE,
        )
        .order_by(Offer.id)
    ).all()
    reminded = 0
    for offer_id in due:
        begin_write(session)
        claimed = session.execute(
            update(Offer)
            .where(Offer.id == offer_id, Offer.reminded_at.is_(None), Offer.state == OfferState.OPEN)
            .values(reminded_at=now)
        ).rowcount
        if claimed:
            offer = session.get(Offer, offer_id)
            notifications.notify(
                session,
                recipients=[offer.supervisor.user],
                kind="offer_reminder",
                referral_id=offer.referral_id,
                settings=engine.settings,
                answer_by=offer.expires_at,
            )
            reminded += 1
        session.commit()
    return reminded
