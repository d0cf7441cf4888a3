"""Fyrbodal's review and questions through the portal's own pages (in Swedish, the default)."""

from sqlalchemy import select

from portal.models import Referral, ReferralFieldValue
from portal.testing import sign_in

FORM = {
    "goal": "Arbetsträning i kafé",
    "hours_per_week": "20",
    "fyrbodal.cooperation_team": "no",
    "fyrbodal.coordination_contact": "Samordningsförbundet Väst",
}


def write_referral(client, participant, **changes) -> tuple[int, str]:
    response = client.post(f"/participants/{participant.id}/referrals/new", data={**FORM, **changes})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1]), response.location


def test_the_form_asks_fyrbodals_questions_and_the_page_shows_the_answers(client, session, world, person):
    participant = person("Trollhättan")
    sign_in(client, world.caseworker.email)
    form = client.get(f"/participants/{participant.id}/referrals/new").get_data(as_text=True)
    assert "Har personen diskuterats i det lokala samverkansteamet?" in form
    assert 'name="fyrbodal.cooperation_team"' in form and 'name="fyrbodal.coordination_contact"' in form
    _referral_id, location = write_referral(client, participant)
    session.rollback()
    assert {(row.name, row.value) for row in session.scalars(select(ReferralFieldValue))} == {
        ("cooperation_team", "no"),
        ("coordination_contact", "Samordningsförbundet Väst"),
    }
    page = client.get(location).get_data(as_text=True)
    assert "<dt>Har personen diskuterats i det lokala samverkansteamet?</dt><dd>Nej</dd>" in page
    assert "<dt>Kontaktperson på samordningsförbundet</dt><dd>Samordningsförbundet Väst</dd>" in page


def test_the_cooperation_team_question_must_be_answered(client, session, world, person):
    participant = person("Trollhättan")
    sign_in(client, world.caseworker.email)
    response = client.post(
        f"/participants/{participant.id}/referrals/new", data={**FORM, "fyrbodal.cooperation_team": ""}
    )
    assert response.status_code == 400 and "Besvara frågan." in response.get_data(as_text=True)
    session.rollback()
    assert session.scalar(select(Referral)) is None


def test_a_form_elsewhere_does_not_ask_fyrbodals_questions(client, world, person):
    participant = person("Skövde")
    sign_in(client, world.caseworker.email)
    assert "fyrbodal." not in client.get(f"/participants/{participant.id}/referrals/new").get_data(as_text=True)


def test_review_return_and_approval_through_the_referral_page(client, session, world, person):
    participant = person("Trollhättan")
    sign_in(client, world.caseworker.email)
    referral_id, location = write_referral(client, participant)
    assert client.post(f"/referrals/{referral_id}/act/submit").status_code == 303
    assert "Samordnarens granskning" in client.get(location).get_data(as_text=True)
    client.post("/sign-out")

    sign_in(client, world.coordinator.email)
    page = client.get(location).get_data(as_text=True)
    assert "Godkänn för matchning" in page and "Skicka tillbaka till handläggaren" in page
    assert '<label for="return-note">Anteckning (obligatorisk)</label>' in page  # the form says so
    response = client.post(f"/referrals/{referral_id}/act/return")
    returned = response.get_data(as_text=True)
    assert response.status_code == 409 and 'id="return-note-error">Skriv i anteckningen' in returned
    assert 'aria-invalid="true"' in returned and "Felkod" not in returned  # at the field, on the referral page
    response = client.post(f"/referrals/{referral_id}/act/return", data={"note": "Fyll i kontaktperson."})
    assert response.status_code == 303
    client.post("/sign-out")

    sign_in(client, world.caseworker.email)
    page = client.get(location).get_data(as_text=True)
    assert "Utkast" in page and "Fyll i kontaktperson." in page
    assert client.post(f"/referrals/{referral_id}/act/submit").status_code == 303
    client.post("/sign-out")

    sign_in(client, world.coordinator.email)
    assert client.post(f"/referrals/{referral_id}/act/approve").status_code == 303
    page = client.get(location).get_data(as_text=True)
    assert "Matchning" in page
    for step in (
        "Skickad till samordnaren för granskning",
        "Skickad tillbaka till handläggaren",
        "Godkänd för matchning",
    ):
        assert step in page  # the timeline names each step, as an event
    session.rollback()
    assert session.get(Referral, referral_id).state == "matching"


def test_the_admin_page_draws_the_workflow_fyrbodal_follows(client, world):
    sign_in(client, world.admin.email)
    page = client.get("/admin/workflows/fyrbodal").get_data(as_text=True)
    assert "Samordnarens granskning" in page and "Godkänn för matchning" in page


def test_the_coordinators_home_page_lists_each_referral_waiting_for_review_with_a_link(client, session, world, person):
    sign_in(client, world.caseworker.email)
    referral_id, location = write_referral(client, person("Trollhättan"))
    assert client.post(f"/referrals/{referral_id}/act/submit").status_code == 303
    client.post("/sign-out")

    sign_in(client, world.coordinator.email)
    home = client.get("/").get_data(as_text=True)
    assert f'<a href="{location}">Granska remiss {referral_id}</a>' in home
    assert client.post(f"/referrals/{referral_id}/act/approve").status_code == 303
    assert f"Granska remiss {referral_id}" not in client.get("/").get_data(as_text=True)  # done: off the list
    client.post("/sign-out")

    sign_in(client, world.caseworker.email)
    assert "Granska remiss" not in client.get("/").get_data(as_text=True)  # the coordinator's work, not theirs
