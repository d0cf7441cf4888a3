"""Göteborgsregionen: up to three offers at once; the first acceptance wins, the others are withdrawn."""

from datetime import timedelta

import pytest
from portal_goteborg import GOTEBORG
from sqlalchemy import select

from portal.builtin.default_workflow import DEFAULT
from portal.domain.referrals import actions as referrals
from portal.domain.referrals import offer_timers
from portal.domain.referrals.actions import workflow_for_region
from portal.domain.referrals.transitions import Refused
from portal.models import Notification, Offer, Placement, Referral


def offer_states(session, referral):
    session.rollback()
    return [
        state
        for (state,) in session.execute(select(Offer.state).where(Offer.referral_id == referral.id).order_by(Offer.id))
    ]


def test_the_workflow_is_valid_keeps_every_core_step_and_allows_three_offers():
    GOTEBORG.validate()
    assert {t.name for t in DEFAULT.transitions} <= {t.name for t in GOTEBORG.transitions}
    assert GOTEBORG.max_parallel_offers == 3
    assert [(t.name, t.target) for t in GOTEBORG.outgoing("offered")] == [
        ("accept", "accepted"),
        ("decline", "matching"),
        ("expire", "matching"),
        ("withdraw", "withdrawn"),
        ("decline_one", "offered"),
        ("expire_one", "offered"),
    ]


def test_referrals_in_goteborgsregionen_follow_the_workflow_and_other_regions_the_default(
    session, engine, world, draft
):
    assert workflow_for_region(session, engine, "goteborgsregionen").name == "goteborg"
    for code in ("fyrbodal", "skaraborg", "sjuharad"):
        assert workflow_for_region(session, engine, code).name == "default"
    assert draft("Göteborg").workflow_name == "goteborg"
    assert draft("Trollhättan", number="200001011493").workflow_name == "default"


def test_a_referral_is_offered_to_three_supervisors_at_once_but_not_four(session, engine, world, draft, supervisors):
    referral = draft()
    referrals.act(session, engine, world.caseworker, referral.id, "submit")
    session.commit()
    with pytest.raises(Refused, match="At most 3 offers"):
        referrals.offer(session, engine, world.caseworker, referral.id, [s.id for s in supervisors] + [999])
    session.rollback()
    referrals.offer(session, engine, world.caseworker, referral.id, [s.id for s in supervisors])
    session.commit()
    assert referral.state == "offered" and offer_states(session, referral) == ["open"] * 3
    told = session.scalars(select(Notification.user_id).where(Notification.kind == "offer_received")).all()
    assert sorted(told) == sorted(s.user_id for s in supervisors)


def test_elsewhere_one_supervisor_at_a_time(session, engine, world, draft, supervisors):
    referral = draft("Trollhättan")
    referrals.act(session, engine, world.caseworker, referral.id, "submit")
    session.commit()
    with pytest.raises(Refused, match="At most 1 offers"):
        referrals.offer(session, engine, world.caseworker, referral.id, [s.id for s in supervisors[:2]])


def test_the_first_acceptance_wins_and_withdraws_the_other_offers(session, engine, world, offered, supervisors):
    referral, offers = offered()
    referrals.answer(session, engine, supervisors[1].user, offers[1].id, accept=True)
    session.commit()
    assert referral.state == "accepted"
    assert offer_states(session, referral) == ["withdrawn", "accepted", "withdrawn"]
    with pytest.raises(Refused) as refusal:
        referrals.answer(session, engine, supervisors[0].user, offers[0].id, accept=True)
    assert refusal.value.status == 409
    session.rollback()
    placements = session.scalars(select(Placement)).all()
    assert [(p.referral_id, p.supervisor_id) for p in placements] == [(referral.id, supervisors[1].id)]


def test_the_supervisors_whose_offers_were_withdrawn_are_told(session, engine, world, offered, supervisors):
    referral, offers = offered()
    referrals.answer(session, engine, supervisors[1].user, offers[1].id, accept=True)
    session.commit()
    told = {
        user_id
        for (user_id,) in session.execute(select(Notification.user_id).where(Notification.kind == "offer_withdrawn"))
    }
    assert told == {supervisors[0].user.id, supervisors[2].user.id}


def test_declines_keep_the_referral_offered_until_the_last_one(session, engine, world, offered, supervisors):
    referral, offers = offered()
    for index, expected in ((0, "offered"), (2, "offered"), (1, "matching")):
        referrals.answer(session, engine, supervisors[index].user, offers[index].id, accept=False, reason="timing")
        session.commit()
        assert session.get(Referral, referral.id).state == expected
    assert [entry.name for entry in referral.transitions][-3:] == ["decline_one", "decline_one", "decline"]
    assert offer_states(session, referral) == ["declined"] * 3


def test_after_one_decline_another_supervisor_may_still_accept(session, engine, world, offered, supervisors):
    referral, offers = offered()
    referrals.answer(session, engine, supervisors[0].user, offers[0].id, accept=False, reason="no_capacity")
    referrals.answer(session, engine, supervisors[2].user, offers[2].id, accept=True)
    session.commit()
    assert referral.state == "accepted"
    assert offer_states(session, referral) == ["declined", "withdrawn", "accepted"]


def test_expiry_keeps_the_referral_offered_until_the_last_offer_expires(session, engine, world, offered):
    referral, offers = offered()
    later = offers[0].expires_at + timedelta(minutes=1)
    assert offer_timers.expire_overdue(session, engine, now=later) == 3
    session.rollback()
    assert session.get(Referral, referral.id).state == "matching"
    assert [entry.name for entry in referral.transitions][-3:] == ["expire_one", "expire_one", "expire"]
    assert offer_states(session, referral) == ["expired"] * 3
