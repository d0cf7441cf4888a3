"""Sjuhärad's trial period and question through the portal's own pages (in Swedish, the default)."""

from datetime import date

from sqlalchemy import select

from portal.domain.calendar import local_today
from portal.models import Placement, Referral, ReferralFieldValue
from portal.testing import accept_through_pages, approve_plan, offered_through_pages, sign_in, write_end_report

FORM = {"goal": "Arbetsträning i second hand-butik", "hours_per_week": "15", "sjuharad.trial_weeks": "6"}


def test_the_form_asks_for_the_trial_length_and_the_page_shows_it(client, session, world, person):
    participant = person("Borås")
    sign_in(client, world.caseworker.email)
    form = client.get(f"/participants/{participant.id}/referrals/new").get_data(as_text=True)
    assert "Provperiodens längd" in form and "4 veckor" in form
    response = client.post(f"/participants/{participant.id}/referrals/new", data=FORM)
    assert response.status_code == 302
    session.rollback()
    assert session.scalar(select(ReferralFieldValue.value).where(ReferralFieldValue.name == "trial_weeks")) == "6"
    assert "<dt>Provperiodens längd</dt><dd>6 veckor</dd>" in client.get(response.location).get_data(as_text=True)


def test_the_trial_length_is_required_and_one_of_the_choices(client, session, world, person):
    participant = person("Borås")
    sign_in(client, world.caseworker.email)
    response = client.post(f"/participants/{participant.id}/referrals/new", data={**FORM, "sjuharad.trial_weeks": ""})
    assert response.status_code == 400 and "Besvara frågan." in response.get_data(as_text=True)
    response = client.post(f"/participants/{participant.id}/referrals/new", data={**FORM, "sjuharad.trial_weeks": "3"})
    assert response.status_code == 400
    session.rollback()
    assert session.scalar(select(Referral)) is None


def test_a_form_elsewhere_does_not_ask_for_a_trial(client, world, person):
    participant = person("Trollhättan")
    sign_in(client, world.caseworker.email)
    assert "sjuharad." not in client.get(f"/participants/{participant.id}/referrals/new").get_data(as_text=True)


def test_trial_then_confirmation_through_the_referral_page(client, session, engine, world, person, certified):
    referral_id, location = offered_through_pages(client, world, person("Borås"), FORM, certified.id)
    accept_through_pages(client, world.supervisor_user.email, location)
    approve_plan(session, engine, world, referral_id)
    assert "Starta provperioden" in client.get(location).get_data(as_text=True)
    assert (
        client.post(f"/referrals/{referral_id}/act/start", data={"start_date": local_today().isoformat()}).status_code
        == 303
    )
    page = client.get(location).get_data(as_text=True)
    assert "Provperiod" in page and "Bekräfta placeringen efter provperioden" in page
    assert "Avbryt placeringen" in page and "Slutför" not in page
    assert 'id="confirm-followed_up_on"' in page and "Datum för provperiodens uppföljningsmöte" in page
    held = local_today()
    answers = {"note": "Bra start.", "followed_up_on": held.isoformat(), "changes": "hours"}
    assert client.post(f"/referrals/{referral_id}/act/confirm", data=answers).status_code == 303
    page = client.get(location).get_data(as_text=True)
    assert "Placering pågår" in page and "Slutför" in page
    assert "<dt>Datum för provperiodens uppföljningsmöte</dt>" in page and "<dd>Andra timmar per vecka</dd>" in page
    session.rollback()
    referral = session.get(Referral, referral_id)
    assert referral.state == "active"
    assert referral.transitions[-1].answers == {"followed_up_on": held.isoformat(), "changes": "hours"}


def test_confirming_without_the_follow_up_date_is_refused_at_the_field_and_keeps_the_input(
    client, session, engine, world, person, certified
):
    referral_id, location = offered_through_pages(client, world, person("Borås"), FORM, certified.id)
    accept_through_pages(client, world.supervisor_user.email, location)
    approve_plan(session, engine, world, referral_id)
    client.post(f"/referrals/{referral_id}/act/start")
    missing = client.post(f"/referrals/{referral_id}/act/confirm", data={"note": "Bra start.", "changes": "tasks"})
    page = missing.get_data(as_text=True)
    assert missing.status_code == 400
    assert 'id="confirm-followed_up_on-error"' in page and "Besvara frågan." in page
    assert '<option selected value="tasks">' in page and "Bra start." in page
    ahead = client.post(f"/referrals/{referral_id}/act/confirm", data={"followed_up_on": date(2099, 1, 1).isoformat()})
    assert ahead.status_code == 409 and "Uppföljningen kan inte vara efter i dag." in ahead.get_data(as_text=True)
    session.rollback()
    referral = session.get(Referral, referral_id)
    assert referral.state == "trial" and referral.transitions[-1].name == "start"


def test_stopping_the_trial_asks_for_the_outcome_on_the_referral_page(
    client, session, engine, world, person, certified
):
    referral_id, location = offered_through_pages(client, world, person("Borås"), FORM, certified.id)
    accept_through_pages(client, world.supervisor_user.email, location)
    approve_plan(session, engine, world, referral_id)
    client.post(f"/referrals/{referral_id}/act/start")
    write_end_report(session, engine, world, referral_id, outcome="job_seeking")
    assert 'name="outcome"' in client.get(location).get_data(as_text=True)
    refused = client.post(f"/referrals/{referral_id}/act/discontinue", data={"note": "Passade inte."})
    assert refused.status_code == 400 and "Välj utfall." in refused.get_data(as_text=True)
    assert (
        client.post(
            f"/referrals/{referral_id}/act/discontinue",
            data={"outcome": "other", "note": "Passade inte.", "confirm": "y"},
        ).status_code
        == 303
    )
    session.rollback()
    placement = session.scalar(select(Placement).where(Placement.referral_id == referral_id))
    assert session.get(Referral, referral_id).state == "discontinued" and placement.outcome == "other"


def test_the_admin_page_draws_the_workflow_sjuharad_follows(client, world):
    sign_in(client, world.admin.email)
    response = client.get("/admin/workflows/sjuharad")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Provperiod" in page
    assert "Bekräfta placeringen efter provperioden" in page
