"""A forgotten password: the same answer for every address, a link for one hour that works once."""

import re
from datetime import timedelta

import pytest
from account_mails import deliver, link_in
from conftest import PASSWORD, sign_in
from sqlalchemy import select

from portal.models import AccountToken

NEW_PASSWORD = "blåbär paraply ekorre"


@pytest.fixture
def settings(settings, mail_server):
    from mailserver import SENDER

    settings.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mail_server.port, MAIL_FROM=SENDER)
    return settings


def test_the_answer_is_the_same_whether_the_address_has_an_account(app, client, session, world, mail_server):
    known = client.post("/sign-in/forgot", data={"email": world.caseworker.email})
    unknown = client.post("/sign-in/forgot", data={"email": "nobody@example.se"})
    assert known.status_code == unknown.status_code == 200
    token = re.compile(r'name="csrf_token" value="[^"]*"')  # signed with the second it was made
    assert token.sub("", known.get_data(as_text=True)) == token.sub("", unknown.get_data(as_text=True))
    deliver(app, session)
    assert [message["To"] for message in mail_server.inbox.messages] == [world.caseworker.email]


def test_the_link_sets_a_new_password_once_and_ends_other_sessions(app, client, session, world, mail_server):
    other = app.test_client()
    assert sign_in(other, world.caseworker.email).status_code == 302
    client.post("/sign-in/forgot", data={"email": world.caseworker.email})
    deliver(app, session)
    link = link_in(mail_server.inbox.messages[0])
    assert client.post(link, data={"password": NEW_PASSWORD, "repeated": NEW_PASSWORD}).status_code == 302
    assert sign_in(client, world.caseworker.email, PASSWORD).status_code == 401
    assert sign_in(client, world.caseworker.email, NEW_PASSWORD).status_code == 302
    assert other.get("/").status_code == 302  # the session opened before the reset has ended
    client.post("/sign-out")
    assert client.post(link, data={"password": "ny fras igen ok", "repeated": "ny fras igen ok"}).status_code == 410


def test_a_link_older_than_an_hour_changes_nothing(app, client, session, world, mail_server):
    client.post("/sign-in/forgot", data={"email": world.caseworker.email})
    deliver(app, session)
    token = session.scalar(select(AccountToken))
    token.expires_at = token.created_at - timedelta(seconds=1)
    session.commit()
    link = link_in(mail_server.inbox.messages[0])
    assert client.post(link, data={"password": NEW_PASSWORD, "repeated": NEW_PASSWORD}).status_code == 410
    assert sign_in(client, world.caseworker.email, PASSWORD).status_code == 302


def test_asking_is_held_to_the_sign_in_limit(make_app, world):
    client = make_app(SIGN_IN_LIMIT="3 per minute").test_client()
    answers = [client.post("/sign-in/forgot", data={"email": f"n{i}@example.se"}).status_code for i in range(4)]
    assert answers == [200, 200, 200, 429]
