"""Skaraborg: the caseworker, the participant and the supervisor meet before the placement starts."""

import pytest
from portal_skaraborg import SKARABORG
from sqlalchemy import select

from portal.builtin.default_workflow import DEFAULT
from portal.domain.referrals import actions as referrals
from portal.domain.referrals.actions import workflow_for_region
from portal.domain.referrals.transitions import Refused, fire
from portal.models import Cooperative, Notification, Placement, Supervisor, User
from portal.testing import approve_plan, hold_meeting, password_hash, write_end_report


def test_the_workflow_is_valid_and_keeps_every_core_step():
    SKARABORG.validate()
    assert {t.name for t in DEFAULT.transitions} <= {t.name for t in SKARABORG.transitions}
    assert SKARABORG.transition("start").sources == ("meeting_held",)
    assert [t.name for t in SKARABORG.outgoing("accepted")] == ["withdraw", "record_meeting"]


def test_referrals_in_skaraborg_follow_the_meeting_workflow_and_other_regions_the_default(
    session, engine, world, draft
):
    assert workflow_for_region(session, engine, "skaraborg").name == "skaraborg"
    for code in ("fyrbodal", "sjuharad", "goteborgsregionen"):
        assert workflow_for_region(session, engine, code).name == "default"
    assert draft("Skövde").workflow_name == "skaraborg"
    assert draft("Trollhättan", number="200001011493").workflow_name == "default"


def test_the_placement_cannot_start_before_the_meeting(session, engine, world, accepted):
    referral = accepted()
    with pytest.raises(Refused) as refusal:
        referrals.act(session, engine, world.caseworker, referral.id, "start")
    assert refusal.value.status == 409


def test_the_structured_meeting_is_held_then_the_placement_starts_and_completes(session, engine, world, accepted):
    referral = accepted()
    assert (referral.workflow_name, referral.workflow_version) == ("skaraborg", 2)
    with pytest.raises(Refused, match="trepartsmötet|three-party meeting"):
        referrals.act(session, engine, world.caseworker, referral.id, "record_meeting", note="Möte hållet")
    session.rollback()
    hold_meeting(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "record_meeting")  # no note needed
    session.commit()
    assert referral.state == "meeting_held"
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.supervisor_user, referral.id, "start")
    write_end_report(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "complete", params={"outcome": "education"})
    session.commit()
    assert referral.state == "completed"
    assert [entry.name for entry in referral.transitions][-3:] == ["record_meeting", "start", "complete"]


def test_a_follow_up_meeting_is_not_the_three_party_meeting(session, engine, world, accepted):
    referral = accepted()
    hold_meeting(session, engine, world, referral.id, kind="follow_up")
    with pytest.raises(Refused):
        referrals.act(session, engine, world.caseworker, referral.id, "record_meeting")


def test_a_referral_that_started_under_version_1_keeps_the_note(session, engine, world, accepted):
    referral = accepted()
    referral.workflow_version = 1  # accepted before the structured meeting came
    session.commit()
    with pytest.raises(Refused, match="when the meeting was held"):
        referrals.act(session, engine, world.caseworker, referral.id, "record_meeting")
    session.rollback()
    note = "Möte 2026-11-20 på kooperativet; deltagaren var med."
    referrals.act(session, engine, world.caseworker, referral.id, "record_meeting", note=note)
    session.commit()
    assert referral.state == "meeting_held" and referral.transitions[-1].note == note


def test_the_supervisor_may_record_the_meeting_and_the_caseworker_is_told(session, engine, world, accepted):
    referral = accepted()
    hold_meeting(session, engine, world, referral.id)
    referrals.act(session, engine, world.supervisor_user, referral.id, "record_meeting")
    session.commit()
    told = session.scalars(
        select(Notification.kind).where(
            Notification.user_id == world.caseworker.id, Notification.kind == "referral_needs_action"
        )
    ).all()
    assert referral.state == "meeting_held" and told == ["referral_needs_action"]


def test_another_supervisor_cannot_record_the_meeting(session, engine, world, accepted):
    referral = accepted()
    other = User(email="annan@kooperativ.example.se", name="Annan", role="supervisor", password_hash=password_hash())
    session.add(Supervisor(user=other, cooperative=session.scalar(select(Cooperative)), capacity=1))
    session.commit()
    with pytest.raises(Refused, match="own supervisor"):
        fire(session, engine, referral, "record_meeting", actor=other, note="Möte hållet")


def test_withdrawing_after_the_meeting_frees_the_supervisors_place(session, engine, world, accepted):
    referral = accepted()
    hold_meeting(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "record_meeting")
    referrals.act(session, engine, world.caseworker, referral.id, "withdraw", note="Flyttar")
    session.commit()
    placement = session.scalar(select(Placement).where(Placement.referral_id == referral.id))
    assert referral.state == "withdrawn" and placement.state == "cancelled"
