"""Signing in and out, landing pages per role, and the language switch."""

import pytest
from conftest import PASSWORD, sign_in

LANDING_HEADINGS_SV = {
    "caseworker": "<h1>Mina remisser</h1>",
    "supervisor": "<h1>Mina erbjudanden och placeringar</h1>",
    "coordinator": "<h1>Översikt: Fyrbodal</h1>",
    "admin": "<h1>Administration</h1>",
}


@pytest.mark.parametrize("role", LANDING_HEADINGS_SV)
def test_each_role_lands_on_its_own_page_in_swedish(client, world, role):
    account = {
        "caseworker": world.caseworker,
        "supervisor": world.supervisor_user,
        "coordinator": world.coordinator,
        "admin": world.admin,
    }[role]
    response = sign_in(client, account.email)
    assert response.status_code == 302 and response.location == "/"
    page = client.get("/").get_data(as_text=True)
    assert LANDING_HEADINGS_SV[role] in page
    assert '<html lang="sv">' in page


def test_landing_page_requires_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.location.startswith("/sign-in")


def test_wrong_password_is_refused_with_a_message_and_no_session(client, world):
    response = sign_in(client, world.caseworker.email, "not the password")
    assert response.status_code == 401
    assert "Fel e-postadress eller lösenord." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_unknown_address_gets_the_same_answer_as_a_wrong_password(client, world):
    unknown = sign_in(client, "nobody@example.se", PASSWORD)
    wrong = sign_in(client, world.caseworker.email, "wrong password!")
    assert unknown.status_code == wrong.status_code == 401
    assert "Fel e-postadress eller lösenord." in unknown.get_data(as_text=True)


def test_empty_fields_get_field_level_messages(client, world):
    response = client.post("/sign-in", data={"email": "", "password": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Skriv din e-postadress." in page and "Skriv ditt lösenord." in page
    assert 'aria-invalid="true"' in page


def test_malformed_address_gets_a_field_message(client, world):
    response = client.post("/sign-in", data={"email": "not-an-address", "password": "x"})
    assert response.status_code == 400
    assert "Skriv en e-postadress som namn@exempel.se." in response.get_data(as_text=True)


def test_address_is_matched_case_insensitively(client, world):
    assert sign_in(client, world.caseworker.email.upper()).status_code == 302


def test_inactive_user_cannot_sign_in(client, session, world):
    world.caseworker.active = False
    session.commit()
    assert sign_in(client, world.caseworker.email).status_code == 401


def test_sign_in_follows_only_local_next_addresses(client, world):
    response = client.post(
        "/sign-in?next=https://evil.example/", data={"email": world.admin.email, "password": PASSWORD}
    )
    assert response.location == "/"
    client.post("/sign-out")
    response = client.post("/sign-in?next=/health", data={"email": world.admin.email, "password": PASSWORD})
    assert response.location == "/health"


def test_sign_out_ends_the_session(client, world):
    sign_in(client, world.admin.email)
    assert client.get("/").status_code == 200
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 302
    assert client.get("/").status_code == 302


def test_language_switch_shows_english_and_is_remembered_for_the_user(client, session, world):
    sign_in(client, world.caseworker.email)
    response = client.post("/language", data={"locale": "en", "next": "/"})
    assert response.location == "/"
    page = client.get("/").get_data(as_text=True)
    assert "<h1>My referrals</h1>" in page and '<html lang="en">' in page
    session.rollback()  # end the test's own read snapshot, then read afresh
    assert world.caseworker.locale == "en"


def test_language_switch_before_sign_in_applies_to_the_session(client):
    client.post("/language", data={"locale": "en", "next": "/sign-in"})
    assert "<h1>Sign in</h1>" in client.get("/sign-in").get_data(as_text=True)


def test_language_switch_ignores_unknown_languages_and_foreign_targets(client):
    response = client.post("/language", data={"locale": "xx", "next": "//evil.example/"})
    assert response.location == "/"
    assert "<h1>Logga in</h1>" in client.get("/sign-in").get_data(as_text=True)


def test_forms_without_a_csrf_token_are_refused_with_a_clear_page(make_app, world):
    app = make_app(WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/sign-in", data={"email": world.admin.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Formuläret hade gått ut" in response.get_data(as_text=True)


def test_unknown_page_gives_a_translated_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Sidan finns inte." in response.get_data(as_text=True)


def test_health_answers_when_the_database_does(client):
    assert client.get("/health").get_json() == {"status": "ok"}
