"""domain.access: who sees which referrals, participants and supervisors."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.domain import access
from portal.models import Offer, Participant, Referral, Supervisor

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def cases(session, world):
    """Four referrals: two from Försäkringskassan Trollhättan (Fyrbodal), one from
    Skövde's social services (Skaraborg); one offered to the supervisor, one declined."""

    def referral(name, authority, caseworker, municipality, state):
        person = Participant(
            given_name=name,
            family_name="Testsson",
            municipality=world.municipality[municipality],
            registered_by_authority=authority,
        )
        case = Referral(
            participant=person,
            authority=authority,
            caseworker=caseworker,
            region=person.municipality.region,
            workflow_name="default",
            workflow_version=1,
            state=state,
            goal="Arbetsträning",
            hours_per_week=10,
        )
        session.add(case)
        return case

    offered = referral("Offered", world.fk, world.caseworker, "Trollhättan", "offered")
    declined = referral("Declined", world.fk, world.caseworker, "Vänersborg", "matching")
    draft = referral("Draft", world.fk, world.caseworker, "Trollhättan", "draft")
    skovde = referral("Skovde", world.social, world.other_caseworker, "Skövde", "submitted")
    session.flush()
    session.add_all(
        [
            Offer(
                referral=offered,
                supervisor=world.supervisor,
                offered_by=world.caseworker,
                state="open",
                offered_at=NOW,
                expires_at=NOW + timedelta(days=7),
            ),
            Offer(
                referral=declined,
                supervisor=world.supervisor,
                offered_by=world.caseworker,
                state="declined",
                offered_at=NOW,
                expires_at=NOW + timedelta(days=7),
                decline_reason="timing",
            ),
        ]
    )
    session.commit()
    return {"offered": offered, "declined": declined, "draft": draft, "skovde": skovde}


def visible_referrals(session, user):
    return {
        r.participant.given_name for r in session.scalars(select(Referral).where(access.referrals_visible_to(user)))
    }


def visible_participants(session, user):
    return set(session.scalars(select(Participant.given_name).where(access.participants_visible_to(user))))


def test_caseworker_sees_own_authority_only(session, world, cases):
    assert visible_referrals(session, world.caseworker) == {"Offered", "Declined", "Draft"}
    assert visible_referrals(session, world.other_caseworker) == {"Skovde"}
    assert visible_participants(session, world.other_caseworker) == {"Skovde"}


def test_supervisor_sees_only_what_is_offered_to_them_now(session, world, cases):
    assert visible_referrals(session, world.supervisor_user) == {"Offered"}
    assert visible_participants(session, world.supervisor_user) == {"Offered"}


def test_coordinator_sees_their_region(session, world, cases):
    assert visible_referrals(session, world.coordinator) == {"Offered", "Declined", "Draft"}
    assert visible_participants(session, world.coordinator) == {"Offered", "Declined", "Draft"}


def test_admin_sees_everything(session, world, cases):
    assert visible_referrals(session, world.admin) == {"Offered", "Declined", "Draft", "Skovde"}


def test_supervisor_directory_hides_inactive_supervisors_from_caseworkers(session, world):
    world.supervisor.active = False
    session.commit()

    def directory(user):
        return session.scalars(select(Supervisor.id).where(access.supervisors_visible_to(user))).all()

    assert directory(world.caseworker) == []
    assert directory(world.coordinator) == [world.supervisor.id]  # the supervisor works in Fyrbodal
    assert directory(world.supervisor_user) == [world.supervisor.id]
    assert directory(world.admin) == [world.supervisor.id]
