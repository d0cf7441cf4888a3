"""The clock side of offers: expiring those nobody answered at their deadline (the end of
a working day, `calendar.deadline_after`), and reminding at 08:00 on the last working
day before the deadline's last day (`calendar.reminder_at`), never on a weekend or holiday.

Run by `portal offers expire` (once, e.g. from cron) or by `portal worker` in a loop.
Each offer is handled in its own transaction, so one failure does not hold up the rest,
and two workers running at once neither expire nor remind anything twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.domain.calendar import reminder_at
from portal.domain.notifications import inbox as notifications
from portal.domain.referrals.actions import fire_first, lock_offer
from portal.domain.referrals.transitions import Engine, Refused
from portal.domain.transactions import begin_write
from portal.models import Offer, OfferState
from portal.models.base import utcnow

log = logging.getLogger(__name__)
REMIND_BEFORE = timedelta(days=1)  # kept for callers that found it here; reminders follow `reminder_at`
LOOK_AHEAD = timedelta(days=7)  # a reminder is never further ahead of its deadline (Easter included)


def reminder_due(offer, now: datetime, zone: str | None = None) -> bool:
    """Whether the offer's (an `Offer` or a row with its times) reminder time has come
    (`calendar.reminder_at`)."""
    return now >= reminder_at(offer.expires_at, offer.offered_at, zone)


def expire_overdue(session: Session, engine: Engine, now: datetime | None = None) -> int:
    """Expire every open offer past its time, each in its own transaction; returns how many."""
    now = now or utcnow()
    due = session.scalars(
        select(Offer.id).where(Offer.state == OfferState.OPEN, Offer.expires_at <= now).order_by(Offer.id)
    ).all()
    expired = 0
    for offer_id in due:
        begin_write(session)
        referral, the_offer = lock_offer(session, offer_id)  # referral before offer, as everywhere
        if the_offer is None or the_offer.state != OfferState.OPEN:
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
    """Remind each supervisor once, at 08:00 on the last working day before their open
    offer's last day."""
    now = now or utcnow()
    zone = engine.settings.get("TIMEZONE")
    soon = session.execute(
        select(Offer.id, Offer.expires_at, Offer.offered_at)
        .where(
            Offer.state == OfferState.OPEN,
            Offer.reminded_at.is_(None),
            Offer.expires_at > now,
            Offer.expires_at <= now + LOOK_AHEAD,
        )
        .order_by(Offer.id)
    ).all()
    due = [offer.id for offer in soon if reminder_due(offer, now, zone)]
    reminded = 0
    for offer_id in due:
        begin_write(session)
        lock_offer(session, offer_id)  # the referral's lock first, as every writer of offers takes it
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
