"""The closed loop in the domain: register, consent, submit, offer, answer, place, end."""

from datetime import UTC, datetime, timedelta

import pytest
from flows import consent, draft, offered, register, submitted
from sqlalchemy import func, select

from portal.domain.calendar import local_today, reminder_at
from portal.domain.errors import InvalidInput
from portal.domain.matching.filters import eligible_supervisors
from portal.domain.participants import registration as participants
from portal.domain.referrals import actions as referrals
from portal.domain.referrals import offer_timers
from portal.domain.referrals.transitions import Refused
from portal.models import AuditEvent, Placement, Referral, Supervisor, User
from portal.testing import approve_plan, write_end_report


def test_submission_needs_consent_first(session, engine, vault, world):
    referral = draft(session, engine, vault, world)
    with pytest.raises(Refused) as error:
        referrals.act(session, engine, world.caseworker, referral.id, "submit")
    assert error.value.status == 409 and "consent" in str(error.value)
    session.rollback()
    consent(session, world, referral)
    referrals.act(session, engine, world.caseworker, referral.id, "submit")
    session.commit()
    assert referral.state == "matching"  # submitted, then matching at once in the default workflow
    assert [t.name for t in referral.transitions] == ["create", "submit", "start_matching"]
    assert referral.transitions[-1].actor_id is None


def test_a_second_open_referral_for_the_same_person_is_detected_without_revealing_where(session, engine, vault, world):
    submitted(session, engine, vault, world)
    second = draft(session, engine, vault, world, number="000101-2384", caseworker=world.other_caseworker)
    consent(session, world, second, world.other_caseworker)
    with pytest.raises(Refused) as error:
        referrals.act(session, engine, world.other_caseworker, second.id, "submit")
    message = str(error.value)
    assert "coordinator" in message and "Trollhättan" not in message and "Försäkringskassan" not in message


def test_invalid_identity_number_is_refused_with_what_is_wrong(session, vault, world):
    with pytest.raises(InvalidInput) as error:
        register(session, vault, world, number="20000101-2385")
    assert "check digit" in error.value.errors["personnummer"]
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_the_whole_loop_with_timeline_and_lead_times(session, engine, vault, world, certified):
    referral, offer = offered(session, engine, vault, world, certified)
    assert referral.state == "offered" and offer.state == "open"
    assert offer.expires_at > offer.offered_at + timedelta(days=4)
    supervisor_user = world.supervisor_user
    referrals.answer(session, engine, supervisor_user, offer.id, accept=True)
    session.commit()
    assert referral.state == "accepted" and referral.placement.state == "planned"
    assert referral.placement.authority_id == referral.authority_id  # what continuity counts by
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, supervisor_user, referral.id, "start")
    write_end_report(session, engine, world, referral.id)
    referrals.act(
        session,
        engine,
        world.caseworker,
        referral.id,
        "complete",
        note="Fick anställning",
        params={"outcome": "employment"},
    )
    session.commit()
    assert referral.state == "completed" and referral.placement.outcome == "employment"
    assert referral.closed_at is not None
    assert [(t.from_state, t.to_state) for t in referral.transitions] == [
        (None, "draft"),
        ("draft", "submitted"),
        ("submitted", "matching"),
        ("matching", "offered"),
        ("offered", "accepted"),
        ("accepted", "active"),
        ("active", "completed"),
    ]
    times = referrals.lead_times(referral)
    assert times["days"]["submitted_active"] is not None and times["days"]["submitted_active"] >= 0
    assert times["days"]["waiting_since_submission"] is None


def test_decline_sends_the_referral_back_and_remembers_who_declined(session, engine, vault, world, certified):
    referral, offer = offered(session, engine, vault, world, certified)
    with pytest.raises(InvalidInput):
        referrals.answer(session, engine, world.supervisor_user, offer.id, accept=False, reason="because")
    session.rollback()
    referrals.answer(session, engine, world.supervisor_user, offer.id, accept=False, reason="timing", note="Fullt")
    session.commit()
    assert referral.state == "matching"
    assert offer.state == "declined" and offer.decline_reason == "timing" and offer.decline_note == "Fullt"
    assert certified not in eligible_supervisors(session, referral)


def test_overdue_offers_expire_and_return_to_matching(session, engine, vault, world, certified):
    referral, offer = offered(session, engine, vault, world, certified)
    assert offer_timers.expire_overdue(session, engine, now=offer.expires_at - timedelta(minutes=1)) == 0
    assert offer_timers.expire_overdue(session, engine, now=offer.expires_at + timedelta(minutes=1)) == 1
    session.refresh(referral)
    session.refresh(offer)
    assert offer.state == "expired" and referral.state == "matching"
    assert referral.transitions[-1].name == "expire" and referral.transitions[-1].actor_id is None


def test_an_expired_offer_cannot_be_accepted(session, engine, vault, world, certified):
    referral, offer = offered(session, engine, vault, world, certified)
    offer.offered_at = datetime.now(UTC) - timedelta(days=8)
    offer.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    session.commit()
    with pytest.raises(Refused) as error:
        referrals.answer(session, engine, world.supervisor_user, offer.id, accept=True)
    assert error.value.status == 409 and "expired" in str(error.value)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Placement)) == 0


def test_withdrawal_cancels_open_offers(session, engine, vault, world, certified):
    referral, offer = offered(session, engine, vault, world, certified)
    referrals.act(session, engine, world.caseworker, referral.id, "withdraw", note="Flyttat")
    session.commit()
    assert referral.state == "withdrawn" and offer.state == "withdrawn"


def test_withdrawn_consent_stops_open_referrals(session, engine, vault, world, certified):
    referral, offer = offered(session, engine, vault, world, certified)
    given = referral.participant.consents[0]
    participants.withdrawn_consent(session, world.caseworker, given, local_today())
    assert referrals.withdraw_after_consent_withdrawn(session, engine, world.caseworker, referral.participant_id) == 1
    session.commit()
    assert referral.state == "withdrawn" and offer.state == "withdrawn"


@pytest.mark.parametrize(
    "who, transition, status",
    [
        ("supervisor_user", "submit", 404),  # a draft is invisible to supervisors
        ("caseworker", "accept", 403),
        ("caseworker", "start", 409),
        ("coordinator", "close", 409),
    ],
)
def test_illegal_transitions_are_refused_with_a_status(session, engine, vault, world, who, transition, status):
    referral = draft(session, engine, vault, world)
    actor = getattr(world, who)
    with pytest.raises(Refused) as error:
        referrals.act(session, engine, actor, referral.id, transition)
    assert error.value.status == status
    session.rollback()
    assert session.get(Referral, referral.id).state == "draft"


def test_a_supervisor_cannot_withdraw_a_referral_offered_to_them(session, engine, vault, world, certified):
    referral, offer = offered(session, engine, vault, world, certified)
    with pytest.raises(Refused) as error:
        referrals.act(session, engine, world.supervisor_user, referral.id, "withdraw")
    assert error.value.status == 403


def test_other_authorities_cannot_act_on_a_referral(session, engine, vault, world):
    referral = draft(session, engine, vault, world)
    with pytest.raises(Refused) as error:
        referrals.act(session, engine, world.other_caseworker, referral.id, "withdraw")
    assert error.value.status == 404


def test_only_the_offered_supervisor_can_answer(session, engine, vault, world, certified):
    referral, offer = offered(session, engine, vault, world, certified)
    stranger = User(email="annan@example.se", name="Annan", role="supervisor", password_hash="x")
    session.add(Supervisor(user=stranger, cooperative=world.cooperative, capacity=3))
    session.commit()
    with pytest.raises(Refused) as error:
        referrals.answer(session, engine, stranger, offer.id, accept=True)
    assert error.value.status == 403


def test_reads_and_changes_of_participant_data_are_audited(session, engine, vault, world, certified):
    referral, offer = offered(session, engine, vault, world, certified)
    participants.view(session, world.coordinator, referral.participant_id)
    session.commit()
    actions = set(
        session.scalars(select(AuditEvent.action).where(AuditEvent.participant_id == referral.participant_id))
    )
    assert {
        "participant.create",
        "consent.record",
        "referral.create",
        "referral.submit",
        "referral.offer",
        "participant.view",
    } <= actions


def kinds_for(session, user):
    from portal.models import Notification

    session.rollback()
    return sorted(session.scalars(select(Notification.kind).where(Notification.user_id == user.id)))


def test_each_step_notifies_the_people_concerned_but_not_the_actor(session, engine, vault, world, certified):
    referral, offer = offered(session, engine, vault, world, certified)
    assert kinds_for(session, world.supervisor_user) == ["offer_received"]
    assert kinds_for(session, world.caseworker) == []
    referrals.answer(session, engine, world.supervisor_user, offer.id, accept=True)
    session.commit()
    assert kinds_for(session, world.caseworker) == ["offer_accepted"]
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "start")
    session.commit()
    assert kinds_for(session, world.supervisor_user) == ["offer_received", "placement_started", "plan_approved"]
    assert kinds_for(session, world.caseworker) == ["offer_accepted", "plan_submitted"]


def test_expiry_tells_both_the_caseworker_and_the_supervisor(session, engine, vault, world, certified):
    referral, offer = offered(session, engine, vault, world, certified)
    offer_timers.expire_overdue(session, engine, now=offer.expires_at + timedelta(seconds=1))
    assert kinds_for(session, world.caseworker) == ["offer_expired"]
    assert kinds_for(session, world.supervisor_user) == ["offer_expired", "offer_received"]


def test_a_reminder_goes_out_once_a_day_before_expiry(session, engine, vault, world, certified):
    from portal.models import OutboxMessage

    referral, offer = offered(session, engine, vault, world, certified)
    # 08:00 on the last working day before the offer's last day: the Friday before a
    # Monday, whatever day the test runs on (an offer made on a Monday ends on a Monday)
    due = reminder_at(offer.expires_at, offer.offered_at, engine.settings.get("TIMEZONE"))
    assert offer.offered_at < due < offer.expires_at - timedelta(hours=16)
    assert offer_timers.remind_expiring(session, engine, now=due - timedelta(minutes=1)) == 0
    assert offer_timers.remind_expiring(session, engine, now=due) == 1
    assert offer_timers.remind_expiring(session, engine, now=due + timedelta(hours=1)) == 0
    assert kinds_for(session, world.supervisor_user) == ["offer_received", "offer_reminder"]
    mails = session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == world.supervisor_user.email)).all()
    assert len(mails) == 2
    assert all("200001012384" not in m.body_text and "Kim" not in m.body_text for m in mails)
