"""Fyrbodal: a coordinator reviews every submitted referral before matching starts."""

import pytest
from portal_fyrbodal import FYRBODAL
from sqlalchemy import select

from portal.builtin.default_workflow import DEFAULT
from portal.domain.referrals import actions as referrals
from portal.domain.referrals.actions import ReferralDetails, workflow_for_region
from portal.domain.referrals.transitions import Refused
from portal.models import Notification, Offer, Referral


def notified(session, user):
    session.rollback()
    return session.scalars(select(Notification.kind).where(Notification.user_id == user.id)).all()


def test_the_workflow_is_valid_and_keeps_every_core_step():
    FYRBODAL.validate()
    core = {t.name for t in DEFAULT.transitions} - {"start_matching"}
    assert core <= {t.name for t in FYRBODAL.transitions}
    assert [t.name for t in FYRBODAL.outgoing("in_review")] == ["withdraw", "approve", "return"]


def test_referrals_in_fyrbodal_follow_the_review_workflow_and_other_regions_the_default(session, engine, world, draft):
    assert workflow_for_region(session, engine, "fyrbodal").name == "fyrbodal"
    for code in ("skaraborg", "sjuharad", "goteborgsregionen"):
        assert workflow_for_region(session, engine, code).name == "default"
    assert draft("Trollhättan").workflow_name == "fyrbodal"
    assert draft("Skövde", number="200001011493").workflow_name == "default"


def test_a_submitted_referral_waits_for_the_coordinator_who_is_told(session, engine, world, draft):
    referral = draft()
    referrals.act(session, engine, world.caseworker, referral.id, "submit")
    session.commit()
    assert referral.state == "in_review"
    assert [entry.name for entry in referral.transitions] == ["create", "submit", "start_review"]
    assert notified(session, world.coordinator) == ["referral_needs_action"]


def test_the_coordinator_approves_and_matching_starts(session, engine, world, draft, certified):
    referral = draft()
    referrals.act(session, engine, world.caseworker, referral.id, "submit")
    referrals.act(session, engine, world.coordinator, referral.id, "approve")
    referrals.offer(session, engine, world.caseworker, referral.id, [certified.id])
    session.commit()
    assert referral.state == "offered"
    assert session.scalar(select(Offer.state).where(Offer.referral_id == referral.id)) == "open"


def test_a_referral_in_another_region_goes_straight_to_matching(session, engine, world, draft):
    referral = draft("Skövde")
    referrals.act(session, engine, world.caseworker, referral.id, "submit")
    session.commit()
    assert referral.state == "matching"


def test_the_coordinator_returns_a_referral_with_a_note_and_the_caseworker_submits_it_again(
    session, engine, world, draft
):
    referral = draft()
    referrals.act(session, engine, world.caseworker, referral.id, "submit")
    session.commit()
    with pytest.raises(Refused, match="Write in the note"):
        referrals.act(session, engine, world.coordinator, referral.id, "return", note="  ")
    session.rollback()
    referrals.act(session, engine, world.coordinator, referral.id, "return", note="Beskriv målet närmare.")
    session.commit()
    assert referral.state == "draft" and referral.transitions[-1].note == "Beskriv målet närmare."
    assert notified(session, world.caseworker) == ["referral_needs_action"]

    referrals.update_draft(
        session,
        engine,
        world.caseworker,
        referral.id,
        ReferralDetails(
            goal="Arbetsträning i kafé, fyra timmar om dagen",
            hours_per_week=20,
            answers={"fyrbodal.cooperation_team": "yes"},
        ),
    )
    referrals.act(session, engine, world.caseworker, referral.id, "submit")
    session.commit()
    assert session.get(Referral, referral.id).state == "in_review"


@pytest.mark.parametrize("step", ["approve", "return"])
def test_only_the_coordinator_reviews(session, engine, world, draft, step):
    referral = draft()
    referrals.act(session, engine, world.caseworker, referral.id, "submit")
    session.commit()
    with pytest.raises(Refused) as refusal:
        referrals.act(session, engine, world.caseworker, referral.id, step, note="Klar")
    assert refusal.value.status == 403


def test_a_referral_under_review_can_be_withdrawn(session, engine, world, draft):
    referral = draft()
    referrals.act(session, engine, world.caseworker, referral.id, "submit")
    referrals.act(session, engine, world.caseworker, referral.id, "withdraw", note="Fick jobb")
    session.commit()
    assert referral.state == "withdrawn" and referral.closed_at is not None
