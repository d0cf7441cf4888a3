"""Two-factor sign-in: set up with a QR code drawn on the server, a code at sign-in, recovery
codes that work once, a code that works once too, a wrong or replayed code counted by the
sign-in limit, compulsory for the offices."""

import re
import time

import pyotp
import pytest
from conftest import PASSWORD, sign_in
from races import http_at_once
from sqlalchemy import func, select

from portal.models import RecoveryCode


def _turn_on(client) -> tuple[str, list[str]]:
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "<svg" in page  # the QR code, inline: no request to another site
    secret = re.search(r'id="totp-key">([A-Z2-7]+)<', page).group(1)
    answer = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert answer.status_code == 200
    codes = re.findall(r"<code>([0-9a-f]{8}-[0-9a-f]{8})</code>", answer.get_data(as_text=True))
    return secret, codes


def test_a_coordinator_turns_it_on_and_then_signs_in_with_a_code(app, client, session, world):
    sign_in(client, world.coordinator.email)
    secret, codes = _turn_on(client)
    assert len(codes) == 10
    session.refresh(world.coordinator)
    assert world.coordinator.totp_secret and secret not in world.coordinator.totp_secret  # stored encrypted
    stored = set(session.scalars(select(RecoveryCode.code_hash)))
    assert not stored & set(codes)  # stored hashed
    client.post("/sign-out")

    assert sign_in(client, world.coordinator.email).location == "/sign-in/code"
    assert client.get("/").status_code == 302  # the password alone does not sign in
    wrong = client.post("/sign-in/code", data={"code": "000000"})
    assert wrong.status_code == 401 and "Koden är fel" in wrong.get_data(as_text=True)
    assert client.post("/sign-in/code", data={"code": next_code(secret)}).status_code == 302
    assert client.get("/").status_code == 200


def next_code(secret: str) -> str:
    """The app's code for the next 30-second step (accepted for clocks that drift): the
    current one was used up when two-factor sign-in was turned on."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_a_code_works_once_and_its_replay_counts_towards_the_sign_in_limit(make_app, world):
    """Someone who saw or caught a code cannot sign in with it again in its window, and
    trying costs the account's sign-in allowance like a wrong code."""
    client = make_app(SIGN_IN_LIMIT="2 per minute").test_client()
    sign_in(client, world.coordinator.email)
    secret, _codes = _turn_on(client)
    client.post("/sign-out")
    earlier = pyotp.TOTP(secret).at(time.time() - 30)  # within the drift window, but not after the setup code
    sign_in(client, world.coordinator.email)
    assert client.post("/sign-in/code", data={"code": earlier}).status_code == 401
    code = next_code(secret)
    assert client.post("/sign-in/code", data={"code": code}).status_code == 302
    client.post("/sign-out")
    assert sign_in(client, world.coordinator.email).location == "/sign-in/code"
    replays = [client.post("/sign-in/code", data={"code": code}).status_code for _ in range(2)]
    assert replays == [401, 429]  # the earlier code and this replay used up the account's two
    assert client.get("/").status_code == 302


def test_the_same_code_sent_twice_at_once_signs_in_once(app, client, world):
    """Two sign-ins racing with one code (a code caught in transit, used at the same moment):
    the database lets one of them record the step, and the other is refused."""
    sign_in(client, world.coordinator.email)
    secret, _codes = _turn_on(client)
    client.post("/sign-out")
    racers = [app.test_client() for _ in range(2)]
    for racer in racers:
        assert sign_in(racer, world.coordinator.email).location == "/sign-in/code"
    code = next_code(secret)
    statuses = http_at_once(
        [lambda racer=racer: racer.post("/sign-in/code", data={"code": code}).status_code for racer in racers]
    )
    assert sorted(statuses) == [302, 401]


def test_a_recovery_code_works_once(client, session, world):
    sign_in(client, world.coordinator.email)
    _secret, codes = _turn_on(client)
    client.post("/sign-out")
    sign_in(client, world.coordinator.email)
    assert client.post("/sign-in/code", data={"code": codes[0]}).status_code == 302
    client.post("/sign-out")
    sign_in(client, world.coordinator.email)
    assert client.post("/sign-in/code", data={"code": codes[0]}).status_code == 401
    used = select(func.count()).select_from(RecoveryCode).where(RecoveryCode.used_at.is_not(None))
    assert session.scalar(used) == 1


def test_a_wrong_setup_code_changes_nothing(client, session, world):
    sign_in(client, world.coordinator.email)
    client.get("/account/two-factor")
    answer = client.post("/account/two-factor", data={"code": "123456"})
    assert answer.status_code == 400 and 'aria-invalid="true"' in answer.get_data(as_text=True)
    session.refresh(world.coordinator)
    assert world.coordinator.totp_secret is None
    assert session.scalar(select(func.count()).select_from(RecoveryCode)) == 0


def test_wrong_codes_count_towards_the_sign_in_limit(make_app, world):
    app = make_app(SIGN_IN_LIMIT="3 per minute")
    client = app.test_client()
    sign_in(client, world.coordinator.email)
    _turn_on(client)
    client.post("/sign-out")
    assert sign_in(client, world.coordinator.email, "wrong password!").status_code == 401
    assert sign_in(client, world.coordinator.email, "wrong again!!!").status_code == 401
    assert sign_in(client, world.coordinator.email).location == "/sign-in/code"  # a right password costs nothing
    answers = [client.post("/sign-in/code", data={"code": "000000"}).status_code for _ in range(2)]
    assert answers == [401, 429]  # two wrong passwords and one wrong code used up the account's three


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_the_offices_must_turn_it_on_first_when_required(make_app, world, role):
    client = make_app(REQUIRE_TWO_FACTOR=True).test_client()
    user = world.admin if role == "admin" else world.coordinator
    sign_in(client, user.email)
    assert client.get("/").location == "/account/two-factor"
    assert client.get("/participants").location == "/account/two-factor"
    _turn_on(client)
    assert client.get("/").status_code == 200


def test_a_caseworker_is_not_made_to(make_app, world):
    client = make_app(REQUIRE_TWO_FACTOR=True).test_client()
    sign_in(client, world.caseworker.email)
    assert client.get("/").status_code == 200


def test_the_password_step_alone_expires(client, world):
    sign_in(client, world.coordinator.email)
    _turn_on(client)
    client.post("/sign-out")
    sign_in(client, world.coordinator.email, PASSWORD)
    with client.session_transaction() as browser_session:
        browser_session["pending_sign_in"] = {**browser_session["pending_sign_in"], "at": 0}
    assert client.get("/sign-in/code").location == "/sign-in"
