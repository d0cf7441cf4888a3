"""Sessions end on sign-out everywhere (a copied cookie too), on deactivation, after 30
idle minutes and 10 hours in all; the page carries the idle clock for its warning."""

import time

import pytest
from conftest import sign_in


def _copy_of(client, app):
    """A second browser holding a copy of `client`'s session cookie."""
    other = app.test_client()
    other.set_cookie(app.config.get("SESSION_COOKIE_NAME", "session"), client.get_cookie("session").value)
    return other


def test_a_cookie_copied_before_sign_out_is_worthless_afterwards(app, client, world):
    sign_in(client, world.caseworker.email)
    copy = _copy_of(client, app)
    assert copy.get("/").status_code == 200
    client.post("/sign-out")
    assert copy.get("/").status_code == 302
    assert copy.get("/participants").status_code == 302


def test_deactivation_ends_the_session(app, client, session, world):
    sign_in(client, world.caseworker.email)
    world.caseworker.active = False
    session.commit()
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(("key", "age"), [("seen_at", 31 * 60), ("signed_in_at", 10 * 3600 + 1)])
def test_an_idle_or_too_old_session_ends(client, world, key, age):
    sign_in(client, world.caseworker.email)
    assert client.get("/").status_code == 200
    with client.session_transaction() as browser_session:
        browser_session[key] = int(time.time()) - age
    assert client.get("/").status_code == 302


def test_a_request_within_the_idle_time_keeps_the_session(client, world):
    sign_in(client, world.caseworker.email)
    with client.session_transaction() as browser_session:
        browser_session["seen_at"] = int(time.time()) - 29 * 60
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200


def test_the_idle_time_is_a_setting_and_the_page_carries_it_for_the_warning(make_app, world):
    client = make_app(SESSION_IDLE_MINUTES=5).test_client()
    sign_in(client, world.caseworker.email)
    page = client.get("/").get_data(as_text=True)
    assert 'data-idle-seconds="300"' in page and "session.js" in page
    with client.session_transaction() as browser_session:
        browser_session["seen_at"] = int(time.time()) - 6 * 60
    assert client.get("/").status_code == 302
