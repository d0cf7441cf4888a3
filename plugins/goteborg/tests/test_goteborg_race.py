"""Three supervisors accept their offers of one referral at the same instant, with real threads
on the real databases: every time exactly one placement, one accepted and two withdrawn offers.

Each thread has its own session and connection; all wait at a barrier and then answer at
once, and the database (row locks on PostgreSQL, the write lock on SQLite) puts them in
an order: the first acceptance withdraws the other offers, so the others find theirs
withdrawn and are refused.
"""

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.domain import referrals
from portal.domain.transitions import Refused
from portal.extensions import db
from portal.models import Offer, Placement, Referral, User

ROUNDS = 5


def at_once(app, jobs) -> list:
    """Run each job(session) in its own thread, released together; the outcome of each
    ("ok", a refusal's status, or the unexpected error), in job order."""
    with app.app_context():
        engine = db.engine
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        with Session(engine) as session:
            barrier.wait()
            try:
                job(session)
                session.commit()
                outcomes[index] = "ok"
            except Refused as refusal:
                session.rollback()
                outcomes[index] = refusal.status
            except Exception as error:  # reported, so that the test shows what went wrong
                session.rollback()
                outcomes[index] = repr(error)

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def accepting(engine, user_id, offer_id):
    def job(session):
        referrals.answer(session, engine, session.get(User, user_id), offer_id, accept=True)

    return job


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_three_acceptances_at_the_same_instant_give_one_placement_and_two_withdrawn_offers(
        app, session, engine, offered, supervisors, round_):
    referral, offers = offered()
    outcomes = at_once(app, [accepting(engine, offer.supervisor.user_id, offer.id) for offer in offers])

    assert sorted(outcomes, key=str) == [409, 409, "ok"], outcomes
    session.rollback()
    states = dict(session.execute(select(Offer.id, Offer.state).where(Offer.referral_id == referral.id)).all())
    assert sorted(states.values()) == ["accepted", "withdrawn", "withdrawn"]
    winner = offers[outcomes.index("ok")]
    assert states[winner.id] == "accepted"
    placements = session.scalars(select(Placement).where(Placement.referral_id == referral.id)).all()
    assert [(p.supervisor_id, p.offer_id, p.state) for p in placements] == [(winner.supervisor_id, winner.id,
                                                                              "planned")]
    assert session.scalar(select(func.count()).select_from(Placement)) == 1
    final = session.get(Referral, referral.id)
    assert final.state == "accepted"
    assert [entry.name for entry in final.transitions].count("accept") == 1
