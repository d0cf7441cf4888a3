"""Refused workflow steps are shown on the referral page beside the step, with the input
kept; steps a guard refuses are shown disabled with the reason; dates are checked at the
field; steps that end the case ask to be confirmed (issue 12, points 2, 5 and 6)."""

from datetime import timedelta

from conftest import sign_in
from referrals.test_referral_pages import new_referral, register_person
from sqlalchemy import select

from portal.domain.calendar import local_today
from portal.models import Consent, Placement, Referral
from portal.testing import approve_plan, write_end_report


def _offered(client, world, certified, referral_id: int) -> str:
    """Submit the caseworker's draft `referral_id`, offer it to `certified`, and sign in as
    the supervisor: the offer's id, to answer."""
    client.post(f"/referrals/{referral_id}/act/submit")
    client.post(f"/referrals/{referral_id}/offers", data={"supervisor_id": str(certified.id)})
    client.post("/sign-out")
    sign_in(client, world.supervisor_user.email)
    page = client.get(f"/referrals/{referral_id}").get_data(as_text=True)
    return page.split("/offers/", 1)[1].split("/", 1)[0]


def _placed(client, session, world, certified, engine=None, **accept):
    """A referral offered to `certified` and accepted by them (signed in as the supervisor);
    with `engine`, its plan approved too, so that it can start."""
    sign_in(client, world.caseworker.email)
    referral_id = new_referral(client, session, world)
    offer_id = _offered(client, world, certified, referral_id)
    response = client.post(f"/offers/{offer_id}/accept", data=accept)
    if engine is not None:
        approve_plan(session, engine, world, referral_id)
    return referral_id, response


def test_submit_without_consent_is_shown_disabled_with_the_reason_and_a_link(client, session, world):
    sign_in(client, world.caseworker.email)
    participant_id = int(register_person(client, world).location.rsplit("/", 1)[1])
    response = client.post(
        f"/participants/{participant_id}/referrals/new", data={"goal": "Kafé", "hours_per_week": "20"}
    )
    page = client.get(response.location).get_data(as_text=True)
    assert "Registrera deltagarens samtycke" in page and 'disabled aria-describedby="submit-blocked"' in page
    assert f'href="/participants/{participant_id}#consent-heading">Registrera samtycke först</a>' in page


def test_a_refused_step_is_answered_on_the_referral_page_not_an_error_page(client, session, world):
    """Submitting twice: the second is refused (409) beside the step, the note kept."""
    sign_in(client, world.caseworker.email)
    referral_id = new_referral(client, session, world)
    session.rollback()
    session.execute(Consent.__table__.delete())  # the consent disappears between page and click
    session.commit()
    response = client.post(f"/referrals/{referral_id}/act/submit", data={"note": "Brådskande"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "Felkod" not in page
    assert f"<h1>Remiss {referral_id}</h1>" in page and "Registrera deltagarens samtycke" in page
    session.rollback()
    assert session.get(Referral, referral_id).state == "draft"


def test_a_planned_start_in_the_past_is_refused_at_the_field(client, session, world, certified):
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    referral_id, response = _placed(client, session, world, certified, start_date=yesterday, note="Kan börja")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="accept-start_date-error">Planerad start kan inte' in page
    assert f'value="{yesterday}"' in page and "Kan börja</textarea>" in page  # the input is kept
    session.rollback()
    assert session.scalar(select(Placement)) is None


def test_a_planned_start_before_the_earliest_start_is_refused(client, session, world, certified, engine):
    sign_in(client, world.caseworker.email)
    referral_id = new_referral(client, session, world)
    session.rollback()
    later = local_today() + timedelta(days=30)
    session.get(Referral, referral_id).earliest_start = later
    session.commit()
    offer_id = _offered(client, world, certified, referral_id)
    response = client.post(f"/offers/{offer_id}/accept", data={"start_date": local_today().isoformat()})
    assert response.status_code == 400 and "Remissen kan starta tidigast" in response.get_data(as_text=True)
    assert client.post(f"/offers/{offer_id}/accept", data={"start_date": later.isoformat()}).status_code == 303


def test_start_dates_after_today_or_before_acceptance_are_refused_at_the_field(
    client, session, world, certified, engine
):
    referral_id, accepted = _placed(client, session, world, certified)
    assert accepted.status_code == 303
    page = client.get(f"/referrals/{referral_id}").get_data(as_text=True)  # any guard's reason is shown
    assert 'disabled aria-describedby="start-blocked"' in page and "godkänt dess genomförandeplan" in page
    approve_plan(session, engine, world, referral_id)
    for day, message in (
        (local_today() + timedelta(days=1), "Startdatumet kan inte vara senare än i dag."),
        (local_today() - timedelta(days=1), "Startdatumet kan inte vara före den dag erbjudandet accepterades"),
    ):
        response = client.post(f"/referrals/{referral_id}/act/start", data={"start_date": day.isoformat()})
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and 'id="start-start_date-error">' + message in page
    session.rollback()
    assert session.scalar(select(Placement)).state == "planned"


def test_complete_asks_for_a_confirmed_end_date_not_before_the_start(client, session, world, certified, engine):
    referral_id, _ = _placed(client, session, world, certified, engine)
    client.post(f"/referrals/{referral_id}/act/start", data={"start_date": local_today().isoformat()})
    write_end_report(session, engine, world, referral_id)
    page = client.get(f"/referrals/{referral_id}").get_data(as_text=True)
    assert 'id="complete-end_date"' in page and 'id="complete-confirm" name="confirm" required' in page
    data = {"outcome": "employment", "end_date": local_today().isoformat()}
    unconfirmed = client.post(f"/referrals/{referral_id}/act/complete", data=data)
    assert unconfirmed.status_code == 400 and "Kryssa i rutan för att bekräfta." in unconfirmed.get_data(as_text=True)
    early = {**data, "confirm": "y", "end_date": (local_today() - timedelta(days=1)).isoformat()}
    refused = client.post(f"/referrals/{referral_id}/act/complete", data=early)
    assert refused.status_code == 400 and "Slutdatumet kan inte vara före starten" in refused.get_data(as_text=True)
    assert client.post(f"/referrals/{referral_id}/act/complete", data={**data, "confirm": "y"}).status_code == 303
    session.rollback()
    placement = session.scalar(select(Placement))
    assert (placement.state, placement.end_date) == ("completed", local_today())  # what the reports read


def test_withdrawing_a_referral_and_a_consent_need_the_box_ticked(client, session, world):
    sign_in(client, world.caseworker.email)
    referral_id = new_referral(client, session, world)
    response = client.post(f"/referrals/{referral_id}/act/withdraw")
    assert response.status_code == 400 and "Kryssa i rutan" in response.get_data(as_text=True)
    session.rollback()
    referral = session.get(Referral, referral_id)
    consent = session.scalar(select(Consent))
    address = f"/participants/{referral.participant_id}/consents/{consent.id}/withdraw"
    response = client.post(address, data={"withdrawn_on": local_today().isoformat()})
    assert response.status_code == 400 and "Kryssa i rutan för att bekräfta." in response.get_data(as_text=True)
    session.rollback()
    assert session.get(Consent, consent.id).withdrawn_on is None and referral.state == "draft"
    assert client.post(f"/referrals/{referral_id}/act/withdraw", data={"confirm": "y"}).status_code == 303
