"""Issue 10.1 and 10.4: each role's right to each participant action comes from
`domain.access`, and the participant and referral pages show only what the viewer may open."""

import pytest
from conftest import sign_in
from sqlalchemy import func, select

from portal.domain import access
from portal.domain.access import ParticipantAction
from portal.domain.calendar import local_today
from portal.models import Consent, Offer, Referral


@pytest.mark.parametrize("role", ["supervisor_user", "coordinator", "admin"])
def test_only_caseworkers_record_or_withdraw_consent(client, session, world, case, role):
    sign_in(client, getattr(world, role).email)
    today = local_today().isoformat()
    recorded = client.post(
        f"/participants/{case['participant_id']}/consents",
        data={"scope": "referral", "method": "written", "given_on": today},
    )
    withdrawn = client.post(
        f"/participants/{case['participant_id']}/consents/{case['consent_id']}/withdraw",
        data={"withdrawn_on": today, "confirm": "y"},
    )
    assert (recorded.status_code, withdrawn.status_code) == (403, 403)
    session.rollback()  # a fresh snapshot: the request committed in its own connection
    assert session.scalar(select(func.count()).select_from(Consent)) == 1
    assert session.get(Consent, case["consent_id"]).withdrawn_on is None
    assert session.get(Referral, case["referral_id"]).state == "offered"


def test_the_referring_caseworker_withdraws_consent_and_stops_the_referral(client, session, world, case):
    sign_in(client, world.caseworker.email)
    response = client.post(
        f"/participants/{case['participant_id']}/consents/{case['consent_id']}/withdraw",
        data={"withdrawn_on": local_today().isoformat(), "confirm": "y"},
    )
    assert response.status_code == 302
    session.rollback()  # a fresh snapshot: the request committed in its own connection
    assert session.get(Referral, case["referral_id"]).state == "withdrawn"


@pytest.mark.parametrize("role", ["supervisor_user", "coordinator", "admin"])
def test_the_page_shows_no_consent_form_to_other_roles(client, world, case, role):
    sign_in(client, getattr(world, role).email)
    page = client.get(f"/participants/{case['participant_id']}").get_data(as_text=True)
    assert "/consents" not in page


def test_each_role_may_do_what_access_says_and_nothing_more(world):
    assert access.participant_actions(world.caseworker) == frozenset(ParticipantAction)
    assert access.participant_actions(world.supervisor_user) == {ParticipantAction.VIEW}
    for user in (world.coordinator, world.admin):
        assert not access.may_on_participant(user, ParticipantAction.CONSENT)
        assert not access.may_on_participant(user, ParticipantAction.WRITE_REFERRAL)


def test_the_participant_page_lists_only_referrals_the_viewer_can_open(
    client, session, engine, vault, world, case, outsiders
):
    """The same person, referred by a second authority: each caseworker sees only their own."""
    from portal.domain.referrals import actions as referrals
    from portal.domain.referrals.actions import ReferralDetails
    from portal.models import Participant

    participant = session.get(Participant, case["participant_id"])
    other = referrals.create_draft(
        session, engine, world.other_caseworker, participant, ReferralDetails(goal="Annat mål", hours_per_week=10)
    )
    session.commit()
    sign_in(client, world.caseworker.email)
    page = client.get(f"/participants/{case['participant_id']}").get_data(as_text=True)
    assert f"/referrals/{case['referral_id']}" in page
    assert f"/referrals/{other.id}" not in page


def test_a_supervisor_with_an_offer_sees_no_earlier_supervisor_or_their_decline_note(
    client, session, engine, world, case, outsiders
):
    from portal.domain.referrals import actions as referrals

    # The world's supervisor declines with a note; the referral is then offered to another one.
    world.supervisor_user.name = "Vera Vägensson"
    session.commit()
    referrals.answer(
        session,
        engine,
        world.supervisor_user,
        case["offer_id"],
        accept=False,
        reason="timing",
        note="Hemlig anteckning",
    )
    session.commit()
    outsiders.supervisor.municipalities.add(world.municipality["Trollhättan"])
    session.commit()
    referrals.offer(session, engine, world.caseworker, case["referral_id"], [outsiders.supervisor.id])
    session.commit()
    assert session.scalar(select(func.count()).select_from(Offer)) == 2

    sign_in(client, outsiders.supervisor_user.email)
    page = client.get(f"/referrals/{case['referral_id']}").get_data(as_text=True)
    assert "Hemlig anteckning" not in page
    assert world.supervisor_user.name not in page
    client.post("/sign-out")
    sign_in(client, world.caseworker.email)
    page = client.get(f"/referrals/{case['referral_id']}").get_data(as_text=True)
    assert "Hemlig anteckning" in page and world.supervisor_user.name in page
