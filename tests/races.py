"""Helpers for race tests: new people and offers per round, HTTP requests at once, and
what "consistent" means for referrals, offers and placements, checked over every row.

A race test runs people's actions at once and then asks `problems(session)`: each entry
is one row that breaks a rule the workflow keeps when actions happen one after another.
"""

from __future__ import annotations

import itertools
import threading
from datetime import date, timedelta

from sqlalchemy import func, select

from portal.domain.calendar import local_today
from portal.domain.participants import withdrawal
from portal.domain.referrals import actions as referrals
from portal.models import Consent, Offer, Placement, Referral, Transition, User
from portal.testing import sign_in

_serials = itertools.count()


def new_number() -> str:
    """A valid personnummer not used before in this run (a day of birth per call)."""
    born = date(1960, 1, 1) + timedelta(days=next(_serials))
    ten = f"{born:%y%m%d}123"
    total = sum(d - 9 if d > 9 else d for d in (int(c) * (2 - i % 2) for i, c in enumerate(ten)))
    return f"{born:%Y}{ten[2:]}{(10 - total % 10) % 10}"


def offered(session, engine, world, draft, supervisor_ids) -> tuple[Referral, list[int]]:
    """A new person's referral (the `draft` fixture: consent in force), submitted and offered
    to the supervisors; answers (referral, offer ids)."""
    session.rollback()  # SQLite: a transaction that read before others wrote could not write now
    referral = draft(number=new_number())
    referrals.act(session, engine, world.caseworker, referral.id, "submit")
    referrals.offer(session, engine, world.caseworker, referral.id, list(supervisor_ids))
    session.commit()
    return referral, session.scalars(select(Offer.id).where(Offer.referral_id == referral.id).order_by(Offer.id)).all()


def withdrawing_consent(engine, caseworker_id: int, participant_id: int):
    """A job for `portal.testing.at_once`: the caseworker withdraws the person's consent."""

    def job(session):
        consent_id = session.scalar(select(Consent.id).where(Consent.participant_id == participant_id))
        actor = session.get(User, caseworker_id)
        withdrawal.withdraw_consent(session, engine, actor, participant_id, consent_id, local_today())

    return job


def http_at_once(calls) -> list[int]:
    """Each call (answering an HTTP status) in a thread of its own, all released together."""
    barrier = threading.Barrier(len(calls))
    statuses = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        statuses[index] = call()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def signed_in(app, email):
    """A test client of its own, signed in as `email`."""
    client = app.test_client()
    assert sign_in(client, email).status_code in (302, 303)
    return client


RUNNING = ("planned", "active")


def problems(session) -> list[str]:
    """Every inconsistent row, described; empty when all is well."""
    session.rollback()
    found = []
    for placement_id, offer_state in session.execute(
        select(Placement.id, Offer.state).join(Offer, Offer.id == Placement.offer_id).where(Offer.state != "accepted")
    ):
        found.append(f"placement {placement_id} points at an offer that is {offer_state}")
    for referral_id, state, placement_state in session.execute(
        select(Referral.id, Referral.state, Placement.state)
        .join(Placement, Placement.referral_id == Referral.id)
        .where(Referral.closed_at.is_not(None), Placement.state.in_(RUNNING))
    ):
        found.append(f"referral {referral_id} is {state} (closed) but its placement is {placement_state}")
    for offer_id, state in session.execute(
        select(Offer.id, Referral.state)
        .join(Referral, Referral.id == Offer.referral_id)
        .where(Referral.closed_at.is_not(None), Offer.state == "open")
    ):
        found.append(f"offer {offer_id} is open on a referral that is {state}")
    for referral_id, accepted in session.execute(
        select(Offer.referral_id, func.count()).where(Offer.state == "accepted").group_by(Offer.referral_id)
    ):
        if accepted > 1:
            found.append(f"referral {referral_id} has {accepted} accepted offers")
    for referral_id, placements in session.execute(
        select(Placement.referral_id, func.count()).group_by(Placement.referral_id)
    ):
        if placements > 1:
            found.append(f"referral {referral_id} has {placements} placements")
    found.extend(_timeline_breaks(session))
    return found


def _timeline_breaks(session) -> list[str]:
    """Each step of a referral's timeline starts where the one before it ended, and the
    last one ends in the referral's state."""
    found = []
    steps: dict[int, list[tuple[str | None, str]]] = {}
    for referral_id, from_state, to_state in session.execute(
        select(Transition.referral_id, Transition.from_state, Transition.to_state).order_by(
            Transition.referral_id, Transition.id
        )
    ):
        steps.setdefault(referral_id, []).append((from_state, to_state))
    states = dict(session.execute(select(Referral.id, Referral.state)).all())
    for referral_id, timeline in steps.items():
        for (_, before), (after, _) in zip(timeline, timeline[1:], strict=False):
            if before != after:
                found.append(f"referral {referral_id}: a step from {after} follows one that ended in {before}")
        if timeline[-1][1] != states[referral_id]:
            found.append(f"referral {referral_id} is {states[referral_id]} but its timeline ends in {timeline[-1][1]}")
    return found
