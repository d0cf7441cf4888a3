"""People acting at once, with real threads on real databases: the result stays consistent.

Each thread has its own session and connection, all start together at a barrier, and
the database (row locks on PostgreSQL, the write lock on SQLite) decides the order.
"""

import pytest
from flows import offered, submitted
from sqlalchemy import func, select

from portal.domain.calendar import local_today
from portal.domain.referrals import actions as referrals
from portal.models import Offer, Placement, Referral, User
from portal.testing import accepting, at_once


def count(session, model, *conditions):
    session.rollback()
    return session.scalar(select(func.count()).select_from(model).where(*conditions))


def test_twenty_simultaneous_acceptances_of_one_offer_make_one_placement(app, session, engine, vault, world, certified):
    referral, offer = offered(session, engine, vault, world, certified)
    outcomes = at_once(app, [accepting(engine, world.supervisor_user.id, offer.id)] * 20)
    assert sorted(outcomes, key=str) == [409] * 19 + ["ok"]
    assert count(session, Placement, Placement.referral_id == referral.id) == 1
    assert session.get(Referral, referral.id).state == "accepted"


def test_simultaneous_acceptances_by_one_supervisor_never_exceed_capacity(
    app, session, engine, vault, world, certified
):
    certified.capacity = 2
    session.commit()
    offers = []
    for number in ("200001012384", "200001011493", "200001012392", "200001022375", "200001032374"):
        referral = submitted(session, engine, vault, world, number=number)
        referrals.offer(session, engine, world.caseworker, referral.id, [certified.id])
        session.commit()
        offers.append(session.scalar(select(Offer.id).where(Offer.referral_id == referral.id)))
    outcomes = at_once(app, [accepting(engine, world.supervisor_user.id, offer_id) for offer_id in offers])
    assert sorted(outcomes, key=str) == [409, 409, 409, "ok", "ok"]
    assert count(session, Placement, Placement.supervisor_id == certified.id) == 2


@pytest.mark.parametrize("round_", range(5))
def test_an_acceptance_racing_a_withdrawal_leaves_one_consistent_state(
    app, session, engine, vault, world, certified, round_
):
    referral, offer = offered(session, engine, vault, world, certified)

    def withdraw(s):
        referrals.act(s, engine, s.get(User, world.caseworker.id), referral.id, "withdraw", note="Ångrat")

    outcomes = at_once(app, [accepting(engine, world.supervisor_user.id, offer.id), withdraw])
    session.rollback()
    final = session.get(Referral, referral.id)
    offer_state = session.scalar(select(Offer.state).where(Offer.id == offer.id))
    placement = session.scalar(select(Placement).where(Placement.referral_id == referral.id))
    assert outcomes[1] == "ok", outcomes  # withdrawal is allowed before and after acceptance
    assert final.state == "withdrawn"
    if outcomes[0] == "ok":  # accepted first: the planned placement was cancelled with the withdrawal
        assert offer_state == "accepted" and placement.state == "cancelled"
    else:  # withdrawn first: the offer was withdrawn and could no longer be accepted
        assert outcomes[0] == 409 and offer_state == "withdrawn" and placement is None
    assert [t.to_state for t in final.transitions][-1] == "withdrawn"
    assert final.closed_at is not None and final.closed_at.date() <= local_today()
