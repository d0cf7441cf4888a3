"""The referral loop through the web pages, as a caseworker and a supervisor use it."""

import re

import pytest
from conftest import sign_in
from sqlalchemy import select

from portal.models import AuditEvent, Participant, Referral
from portal.testing import approve_plan, write_end_report

PERSON = {
    "personnummer": "20000101-2384",
    "given_name": "Kim",
    "family_name": "Andersson",
    "gender": "woman",
    "needs": ["mental_health"],
    "languages": ["sv"],
    "interests": ["cafe"],
}


def register_person(client, world, **changes):
    data = {**PERSON, "municipality_id": world.municipality["Trollhättan"].id, **changes}
    return client.post("/participants/new", data=data)


def new_referral(client, session, world):
    response = register_person(client, world)
    participant_path = response.location
    participant_id = int(participant_path.rsplit("/", 1)[1])
    client.post(
        f"/participants/{participant_id}/consents",
        data={"scope": "referral", "method": "written", "given_on": "2026-11-02"},
    )
    response = client.post(
        f"/participants/{participant_id}/referrals/new", data={"goal": "Arbetsträning i kafé", "hours_per_week": "20"}
    )
    return int(response.location.rsplit("/", 1)[1])


def test_registering_keeps_the_identity_number_out_of_addresses_and_pages_for_supervisors(client, session, world):
    sign_in(client, world.caseworker.email)
    response = register_person(client, world)
    assert response.status_code == 302 and "2384" not in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "20000101-2384" in page  # the caseworker sees it on the participant page
    session.rollback()
    stored = session.scalar(select(Participant))
    assert b"200001012384" not in stored.personnummer_ciphertext and stored.birth_date.isoformat() == "2000-01-01"


@pytest.mark.parametrize(
    "number, message",
    [
        ("20000101-2385", "Kontrollsiffran stämmer inte"),
        ("2000", "Skriv 10 eller 12 siffror"),
        ("20001301-2384", "Födelsedatumet i numret finns inte"),
    ],
)
def test_invalid_identity_numbers_are_explained_and_nothing_is_saved(client, session, world, number, message):
    sign_in(client, world.caseworker.email)
    response = register_person(client, world, personnummer=number)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert 'value="Kim"' in page  # what was typed is kept
    visible = re.sub(r'name="csrf_token"[^>]*>|nonce="[^"]*"', "", page)  # random tokens may hold any digits
    assert number not in visible  # …but the bad number is not echoed back into the page
    session.rollback()
    assert session.scalar(select(Participant)) is None


def test_missing_fields_get_field_messages(client, world):
    sign_in(client, world.caseworker.email)
    response = register_person(client, world, given_name="", municipality_id="0")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Skriv namnet." in page and "Välj kommunen personen bor i." in page


def test_the_whole_loop_through_the_pages(client, session, engine, world, certified):
    sign_in(client, world.caseworker.email)
    referral_id = new_referral(client, session, world)
    assert client.post(f"/referrals/{referral_id}/act/submit").status_code == 303
    page = client.get(f"/referrals/{referral_id}").get_data(as_text=True)
    assert "Matchning" in page and "Erbjud till en handledare" in page
    assert client.post(f"/referrals/{referral_id}/offers", data={"supervisor_id": str(certified.id)}).status_code == 303
    client.post("/sign-out")

    sign_in(client, world.supervisor_user.email)
    assert "Kim" in client.get("/").get_data(as_text=True)
    page = client.get(f"/referrals/{referral_id}").get_data(as_text=True)
    assert "Ditt svar" in page and "20000101" not in page and "Andersson" not in page
    offer_id = re.search(r"/offers/(\d+)/accept", page).group(1)
    assert client.post(f"/offers/{offer_id}/accept", data={"start_date": "2026-12-01"}).status_code == 303
    approve_plan(session, engine, world, referral_id)
    assert client.post(f"/referrals/{referral_id}/act/start").status_code == 303
    write_end_report(session, engine, world, referral_id)
    refused = client.post(f"/referrals/{referral_id}/act/complete", data={"note": "Anställd"})
    assert refused.status_code == 400 and "Välj utfall." in refused.get_data(as_text=True)
    assert "Anställd</textarea>" in refused.get_data(as_text=True)  # the note is kept beside the step
    assert (
        client.post(
            f"/referrals/{referral_id}/act/complete",
            data={"outcome": "employment", "note": "Anställd", "confirm": "y"},
        ).status_code
        == 303
    )
    page = client.get(f"/referrals/{referral_id}").get_data(as_text=True)
    assert "Genomförd" in page and "I arbete" in page and "Anställd" in page
    for step in ("Inskickad", "Erbjuden till en handledare", "Erbjudandet antaget", "Placeringen startad"):
        assert step in page  # the timeline names every step
    session.rollback()
    assert session.get(Referral, referral_id).state == "completed"


def test_refusals_answer_with_403_or_409_and_a_message(client, session, world, certified):
    sign_in(client, world.caseworker.email)
    referral_id = new_referral(client, session, world)
    response = client.post(f"/referrals/{referral_id}/act/start")
    assert response.status_code == 409 and "kan inte göras" in response.get_data(as_text=True)
    response = client.post(f"/referrals/{referral_id}/act/close")
    assert response.status_code == 403
    response = client.post(f"/referrals/{referral_id}/act/no-such-step")
    assert response.status_code == 404
    client.post("/sign-out")
    sign_in(client, world.other_caseworker.email)
    assert client.get(f"/referrals/{referral_id}").status_code == 404
    assert client.post(f"/referrals/{referral_id}/act/withdraw").status_code == 404


def test_viewing_a_referral_is_audited(client, session, world):
    sign_in(client, world.caseworker.email)
    referral_id = new_referral(client, session, world)
    client.get(f"/referrals/{referral_id}")
    session.rollback()
    assert (
        session.scalar(
            select(AuditEvent).where(AuditEvent.action == "referral.view", AuditEvent.referral_id == referral_id)
        )
        is not None
    )


def test_the_people_concerned_get_mails_with_only_a_link(
    mailed_settings, app, client, runner, session, world, certified, mail_server
):
    sign_in(client, world.caseworker.email)
    referral_id = new_referral(client, session, world)
    client.post(f"/referrals/{referral_id}/act/submit")
    client.post(f"/referrals/{referral_id}/offers", data={"supervisor_id": str(certified.id)})
    client.post("/sign-out")
    sign_in(client, world.supervisor_user.email)
    page = client.get(f"/referrals/{referral_id}").get_data(as_text=True)
    offer_id = re.search(r"/offers/(\d+)/accept", page).group(1)
    client.post(f"/offers/{offer_id}/accept")

    result = runner.invoke(args=["outbox", "send"])
    assert "Sent 2, failed 0" in result.output, result.output
    by_recipient = {message["To"]: message for message in mail_server.inbox.messages}
    offer_mail = by_recipient[world.supervisor_user.email]
    accepted_mail = by_recipient[world.caseworker.email]
    assert "Ny remiss erbjuden till dig" in offer_mail["Subject"]
    assert "Erbjudandet antaget" in accepted_mail["Subject"]
    for message in (offer_mail, accepted_mail):
        body = message.get_content()
        assert f"/referrals/{referral_id}" in body
        assert "2384" not in body and "Kim" not in body and "Andersson" not in body and "kafé" not in body


def test_finding_a_participant_by_number_goes_by_post_and_respects_access(client, session, world):
    sign_in(client, world.caseworker.email)
    location = register_person(client, world).location
    response = client.post("/participants/find", data={"personnummer": "000101-2384"})
    assert response.status_code == 303 and response.location == location
    response = client.post("/participants/find", data={"personnummer": "20000101-2385"}, follow_redirects=True)
    assert "Kontrollsiffran stämmer inte" in response.get_data(as_text=True)
    assert "20000101-2385" not in response.get_data(as_text=True)
    client.post("/sign-out")
    sign_in(client, world.other_caseworker.email)  # another authority: not found, nothing revealed
    response = client.post("/participants/find", data={"personnummer": "20000101-2384"}, follow_redirects=True)
    assert "Ingen deltagare du har behörighet till har det numret." in response.get_data(as_text=True)


def test_the_participant_list_shows_only_whom_the_user_may_see(client, session, world):
    sign_in(client, world.caseworker.email)
    register_person(client, world)
    assert "Andersson, Kim" in client.get("/participants").get_data(as_text=True)
    client.post("/sign-out")
    sign_in(client, world.other_caseworker.email)
    assert "Andersson" not in client.get("/participants").get_data(as_text=True)
    client.post("/sign-out")
    sign_in(client, world.supervisor_user.email)
    assert client.get("/participants").status_code == 403
