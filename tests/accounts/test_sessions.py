"""Sessions end on sign-out everywhere (a copied cookie too), on deactivation, after 30
idle minutes and 10 hours in all; the page carries the idle clock for its warning."""

import re
import time

import pytest
from conftest import sign_in

from portal.web.sessions import CLOCK_STEP


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


def _clock(page: str) -> tuple[int, int]:
    """The idle time and what is left of it, as the page gives them to its warning."""
    idle = re.search(r'data-idle-seconds="(\d+)"', page)
    left = re.search(r'data-idle-left-seconds="(-?\d+)"', page)
    return int(idle[1]), int(left[1])


def test_the_idle_clock_moves_once_a_minute_and_the_page_tells_what_is_left(client, world):
    """The cookie is not re-signed and sent on every response, only when the clock moves;
    the page counts its warning from the clock the cookie holds, not from its own load."""
    sign_in(client, world.caseworker.email)
    assert client.get("/").status_code == 200
    with client.session_transaction() as browser_session:
        browser_session["seen_at"] = int(time.time()) - 40
    quiet = client.get("/")
    assert "Set-Cookie" not in quiet.headers  # nothing changed: no cookie sent
    idle, left = _clock(quiet.get_data(as_text=True))
    assert idle == 30 * 60 and idle - 42 <= left <= idle - 40
    with client.session_transaction() as browser_session:
        browser_session["seen_at"] = int(time.time()) - CLOCK_STEP
    moved = client.get("/")
    assert "Set-Cookie" in moved.headers
    with client.session_transaction() as browser_session:
        assert int(time.time()) - browser_session["seen_at"] <= 2
    assert _clock(moved.get_data(as_text=True))[1] >= idle - 2


def test_stay_signed_in_restarts_the_clock_within_its_step(client, world):
    sign_in(client, world.caseworker.email)
    with client.session_transaction() as browser_session:
        browser_session["seen_at"] = int(time.time()) - 30
    assert client.get("/session/stay").status_code == 204
    with client.session_transaction() as browser_session:
        assert int(time.time()) - browser_session["seen_at"] <= 2
