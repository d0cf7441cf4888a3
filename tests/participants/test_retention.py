"""Retention: closed cases are anonymised after the period; open ones are never touched."""

from datetime import timedelta

from flows import offered, submitted
from sqlalchemy import select

from portal.domain.participants import retention
from portal.domain.referrals import actions as referrals
from portal.models import AuditEvent, Participant, Placement, Referral, Transition
from portal.models.base import utcnow
from portal.testing import approve_plan, write_end_report


def close_after_completion(session, engine, world, referral, offer):
    referrals.answer(session, engine, world.supervisor_user, offer.id, accept=True, note="Passar bra")
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.supervisor_user, referral.id, "start")
    write_end_report(session, engine, world, referral.id)
    referrals.act(
        session,
        engine,
        world.caseworker,
        referral.id,
        "complete",
        note="Anställd på kaféet",
        params={"outcome": "employment"},
    )
    session.commit()
    return session.get(Referral, referral.id).closed_at


def test_a_closed_case_is_anonymised_after_the_period_and_keeps_what_reports_count(
    session, engine, vault, world, certified
):
    referral, offer = offered(session, engine, vault, world, certified)
    closed = close_after_completion(session, engine, world, referral, offer)
    assert retention.due(session, days=365, now=closed + timedelta(days=364)) == []
    assert retention.run(session, days=365, now=closed + timedelta(days=366)) == 1

    session.rollback()
    person = session.get(Participant, referral.participant_id)
    assert (person.given_name, person.family_name, person.email) == ("–", "–", None)
    assert person.personnummer_ciphertext is None and person.personnummer_index is None
    assert person.needs == set() and person.languages == set() and person.interests == set()
    assert person.gender == "woman" and person.birth_date.isoformat() == "2000-01-01"
    case = session.get(Referral, referral.id)
    assert case.goal == "" and case.state == "completed"
    assert case.participant_gender == "woman" and {o.participant_gender for o in case.offers} == {"woman"}  # for 3R
    assert all(t.note is None for t in session.scalars(select(Transition).where(Transition.referral_id == case.id)))
    placement = session.scalar(select(Placement).where(Placement.referral_id == case.id))
    assert placement.outcome == "employment" and placement.outcome_note is None
    assert session.scalar(select(AuditEvent.action).where(AuditEvent.action == "participant.anonymise"))


def test_an_open_case_is_never_anonymised(session, engine, vault, world, certified):
    referral = submitted(session, engine, vault, world)
    assert retention.run(session, days=1, now=utcnow() + timedelta(days=3650)) == 0
    session.rollback()
    assert session.get(Participant, referral.participant_id).given_name == "Kim"


def test_running_twice_anonymises_once(session, engine, vault, world, certified):
    referral, offer = offered(session, engine, vault, world, certified)
    closed = close_after_completion(session, engine, world, referral, offer)
    later = closed + timedelta(days=800)
    assert retention.run(session, days=730, now=later) == 1
    assert retention.run(session, days=730, now=later) == 0


def test_the_command_uses_the_configured_period(runner, session, engine, vault, world, certified):
    referral, offer = offered(session, engine, vault, world, certified)
    close_after_completion(session, engine, world, referral, offer)
    assert runner.invoke(args=["retention", "run"]).output == (
        "Anonymised 0 participants.\nStored report figures: 0 no longer valid dropped, 0 logged changes deleted.\n"
    )


def test_absences_and_step_answers_go_while_the_hours_present_stay(session, engine, vault, world, certified):
    """Issue 14: an absence's reason ("ill") is health data and goes with the rest; the
    hours present stay, as 3R's Resources count them. A step's structured answers are
    free text like its note, and go too."""
    from decimal import Decimal

    from portal.domain.calendar import local_today
    from portal.models import AttendanceDay

    referral, offer = offered(session, engine, vault, world, certified)
    referrals.answer(session, engine, world.supervisor_user, offer.id, accept=True)
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.supervisor_user, referral.id, "start")
    placement = session.scalar(select(Placement).where(Placement.referral_id == referral.id))
    present, ill = local_today() - timedelta(days=1), local_today()
    session.add_all(
        [
            AttendanceDay(placement_id=placement.id, day=present, hours=Decimal("6.5")),
            AttendanceDay(placement_id=placement.id, day=ill, absence_reason="ill"),
        ]
    )
    step = session.scalar(
        select(Transition).where(Transition.referral_id == referral.id).order_by(Transition.id.desc())
    )
    step.answers = {"changes": "Mår bättre efter sjukskrivningen"}
    write_end_report(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "complete", params={"outcome": "employment"})
    session.commit()
    closed = session.get(Referral, referral.id).closed_at
    assert retention.run(session, days=365, now=closed + timedelta(days=366)) == 1

    session.rollback()
    days = session.execute(select(AttendanceDay.day, AttendanceDay.hours, AttendanceDay.absence_reason)).all()
    assert [(day, hours, reason) for day, hours, reason in days] == [(present, Decimal("6.5"), None)]
    answers = session.scalars(select(Transition.answers).where(Transition.referral_id == referral.id)).all()
    assert answers and all(value is None for value in answers)
