"""Three supervisors accept their offers of one referral at the same instant, with real threads
on the real databases: every time exactly one placement, one accepted and two withdrawn offers.

Each thread has its own session and connection; all wait at a barrier and then answer at
once, and the database (row locks on PostgreSQL, the write lock on SQLite) puts them in
an order: the first acceptance withdraws the other offers, so the others find theirs
withdrawn and are refused.
"""

import pytest
from sqlalchemy import func, select

from portal.models import Offer, Placement, Referral
from portal.testing import accepting, at_once

ROUNDS = 5


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_three_acceptances_at_the_same_instant_give_one_placement_and_two_withdrawn_offers(
    app, session, engine, offered, supervisors, round_
):
    referral, offers = offered()
    outcomes = at_once(app, [accepting(engine, offer.supervisor.user_id, offer.id) for offer in offers])

    assert sorted(outcomes, key=str) == [409, 409, "ok"], outcomes
    session.rollback()
    states = dict(session.execute(select(Offer.id, Offer.state).where(Offer.referral_id == referral.id)).all())
    assert sorted(states.values()) == ["accepted", "withdrawn", "withdrawn"]
    winner = offers[outcomes.index("ok")]
    assert states[winner.id] == "accepted"
    placements = session.scalars(select(Placement).where(Placement.referral_id == referral.id)).all()
    assert [(p.supervisor_id, p.offer_id, p.state) for p in placements] == [
        (winner.supervisor_id, winner.id, "planned")
    ]
    assert session.scalar(select(func.count()).select_from(Placement)) == 1
    final = session.get(Referral, referral.id)
    assert final.state == "accepted"
    assert [entry.name for entry in final.transitions].count("accept") == 1
