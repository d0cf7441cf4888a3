"""Sjuhärad: a placement starts with a trial period, confirmed or stopped at its end."""

import pytest
from portal_sjuharad import SJUHARAD
from sqlalchemy import select

from portal.builtin.default_workflow import DEFAULT
from portal.domain.calendar import local_today
from portal.domain.referrals import actions as referrals
from portal.domain.referrals.actions import lead_times, workflow_for_region
from portal.domain.referrals.transitions import Refused
from portal.models import Notification, Placement
from portal.testing import approve_plan, write_end_report


def placement_of(session, referral):
    session.rollback()
    return session.scalar(select(Placement).where(Placement.referral_id == referral.id))


def test_the_workflow_is_valid_and_keeps_every_core_step():
    SJUHARAD.validate()
    assert {t.name for t in DEFAULT.transitions} <= {t.name for t in SJUHARAD.transitions}
    assert SJUHARAD.transition("start").target == "trial"
    assert [t.name for t in SJUHARAD.outgoing("trial")] == ["discontinue", "confirm"]
    assert [t.name for t in SJUHARAD.outgoing("active")] == ["complete", "discontinue"]


def test_referrals_in_sjuharad_follow_the_trial_workflow_and_other_regions_the_default(session, engine, world, draft):
    assert workflow_for_region(session, engine, "sjuharad").name == "sjuharad"
    for code in ("fyrbodal", "skaraborg", "goteborgsregionen"):
        assert workflow_for_region(session, engine, code).name == "default"
    assert draft("Borås").workflow_name == "sjuharad"
    assert draft("Trollhättan", number="200001011493").workflow_name == "default"


def test_starting_begins_the_trial_with_the_placement_running(session, engine, world, accepted):
    referral = accepted()
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.supervisor_user, referral.id, "start")
    session.commit()
    assert referral.state == "trial"
    placement = placement_of(session, referral)
    assert placement.state == "active" and placement.started_at is not None


def test_the_lead_time_to_the_start_ends_when_the_trial_begins(session, engine, world, accepted):
    referral = accepted()
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.supervisor_user, referral.id, "start")
    session.commit()
    days = lead_times(referral)["days"]
    assert days["submitted_active"] is not None and days["waiting_since_submission"] is None


def test_a_confirmed_trial_becomes_the_placement_which_then_completes(session, engine, world, accepted):
    referral = accepted()
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "start")
    with pytest.raises(Refused):
        referrals.act(session, engine, world.caseworker, referral.id, "complete", params={"outcome": "employment"})
    session.rollback()
    referrals.act(
        session,
        engine,
        world.supervisor_user,
        referral.id,
        "confirm",
        note="Det fungerar bra.",
        answers={"followed_up_on": local_today()},
    )
    write_end_report(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "complete", params={"outcome": "employment"})
    session.commit()
    assert [entry.name for entry in referral.transitions][-3:] == ["start", "confirm", "complete"]
    assert placement_of(session, referral).outcome == "employment"


def test_a_stopped_trial_ends_the_placement_with_its_outcome_and_both_are_told(session, engine, world, accepted):
    referral = accepted()
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "start")
    session.commit()
    with pytest.raises(Refused, match="end report"):
        referrals.act(session, engine, world.caseworker, referral.id, "discontinue")
    session.rollback()
    write_end_report(session, engine, world, referral.id)
    referrals.act(
        session,
        engine,
        world.caseworker,
        referral.id,
        "discontinue",
        note="Passade inte.",
        params={"outcome": "job_seeking"},
    )
    session.commit()
    assert referral.state == "discontinued" and referral.closed_at is not None
    placement = placement_of(session, referral)
    assert (placement.state, placement.outcome, placement.outcome_note) == (
        "discontinued",
        "job_seeking",
        "Passade inte.",
    )
    told = session.scalars(
        select(Notification.kind).where(
            Notification.user_id == world.supervisor_user.id, Notification.kind == "placement_ended"
        )
    ).all()
    assert told == ["placement_ended"]


def test_only_the_people_of_the_placement_confirm_it(session, engine, world, accepted):
    referral = accepted()
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "start")
    session.commit()
    with pytest.raises(Refused) as refusal:
        referrals.act(session, engine, world.admin, referral.id, "confirm")
    assert refusal.value.status == 403


def test_confirming_asks_for_the_follow_up_date_and_keeps_the_answers_on_the_timeline(session, engine, world, accepted):
    from portal.domain.errors import InvalidInput

    referral = accepted()
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "start")
    session.commit()
    with pytest.raises(InvalidInput) as refusal:
        referrals.act(session, engine, world.caseworker, referral.id, "confirm", answers={"changes": "often"})
    assert set(refusal.value.errors) == {"followed_up_on", "changes"}
    session.rollback()
    held = local_today()
    referrals.act(
        session, engine, world.caseworker, referral.id, "confirm", answers={"followed_up_on": held, "changes": "none"}
    )
    session.commit()
    assert referral.state == "active"
    assert referral.transitions[-1].answers == {"followed_up_on": held.isoformat(), "changes": "none"}


def test_a_trial_begun_under_version_1_is_confirmed_with_a_note_as_before(session, engine, world, accepted):
    from portal_sjuharad import SJUHARAD_WITH_NOTE

    from portal.models import Referral

    referral = accepted()
    session.get(Referral, referral.id).workflow_version = SJUHARAD_WITH_NOTE.version
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "start")
    referrals.act(session, engine, world.caseworker, referral.id, "confirm", note="Uppföljt i går.")
    session.commit()
    assert referral.state == "active" and referral.transitions[-1].answers is None
