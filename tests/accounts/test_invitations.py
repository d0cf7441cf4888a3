"""Invitations: an account without a password, a mail through the outbox with a one-time
link that works once and for 48 hours, and who may invite whom."""

from datetime import timedelta

import pytest
from account_mails import deliver, link_in
from conftest import sign_in
from sqlalchemy import func, select

from portal.domain.accounts import invitations
from portal.domain.errors import InvalidInput
from portal.domain.referrals.transitions import Refused
from portal.models import AccountToken, AuditEvent, OutboxMessage, User

NEW_PASSWORD = "gurka tandem sjöfart"


@pytest.fixture
def invited(app, session, world, mail_server):
    with app.test_request_context():
        user = invitations.invite(
            session,
            world.admin,
            email="Ny.Handlaggare@fk.example.se",
            name="Ny Handläggare",
            role="caseworker",
            authority_id=world.fk.id,
            settings=app.config,
        )
    session.commit()
    deliver(app, session)
    return user


@pytest.fixture
def settings(settings, mail_server):
    from mailserver import SENDER

    settings.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mail_server.port, MAIL_FROM=SENDER)
    return settings


def test_an_invited_person_chooses_a_password_once_and_signs_in(app, client, session, world, mail_server, invited):
    (message,) = mail_server.inbox.messages
    assert message["To"] == "ny.handlaggare@fk.example.se"
    body = message.get_body(("plain",)).get_content()
    assert "handläggare" in body and "48" in body and world.caseworker.email not in body
    link = link_in(message)
    assert sign_in(client, invited.email, "").status_code in (400, 401)  # no password yet

    page = client.get(link)
    assert page.status_code == 200 and "Välj ditt lösenord" in page.get_data(as_text=True)
    answer = client.post(link, data={"password": NEW_PASSWORD, "repeated": NEW_PASSWORD})
    assert answer.status_code == 302
    assert sign_in(client, invited.email, NEW_PASSWORD).status_code == 302

    client.post("/sign-out")
    again = client.post(link, data={"password": "en helt annan fras", "repeated": "en helt annan fras"})
    assert again.status_code == 410 and "redan använts" in again.get_data(as_text=True)
    assert sign_in(client, invited.email, NEW_PASSWORD).status_code == 302
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "user.invite")) == 1


def test_an_expired_invitation_changes_nothing(client, session, invited, mail_server):
    link = link_in(mail_server.inbox.messages[0])
    token = session.scalar(select(AccountToken).where(AccountToken.user_id == invited.id))
    token.expires_at = token.created_at + timedelta(hours=48) - timedelta(hours=49)
    session.commit()
    answer = client.post(link, data={"password": NEW_PASSWORD, "repeated": NEW_PASSWORD})
    assert answer.status_code == 410
    session.refresh(invited)
    assert invited.password_hash == ""


@pytest.mark.parametrize(
    ("password", "reason"),
    [("password1234", "vanligaste"), ("asdfghjkl;123", "tangentbordsrad"), ("Ny Handläggare 1", "ditt namn")],
)
def test_a_guessable_password_is_refused_with_the_reason_and_the_link_still_works(
    client, session, invited, mail_server, password, reason
):
    link = link_in(mail_server.inbox.messages[0])
    answer = client.post(link, data={"password": password, "repeated": password})
    assert answer.status_code == 400 and reason in answer.get_data(as_text=True)
    session.refresh(invited)
    assert invited.password_hash == ""
    assert client.post(link, data={"password": NEW_PASSWORD, "repeated": NEW_PASSWORD}).status_code == 302


def test_a_coordinator_invites_only_into_their_own_region(app, session, world):
    with app.test_request_context():
        with pytest.raises(Refused) as refused:
            invitations.invite(
                session,
                world.coordinator,
                email="x@skovde.example.se",
                name="X",
                role="caseworker",
                authority_id=world.social.id,
                settings=app.config,
            )
        assert refused.value.status == 403
        with pytest.raises(Refused):
            invitations.invite(
                session, world.coordinator, email="y@example.se", name="Y", role="admin", settings=app.config
            )
        user = invitations.invite(
            session,
            world.coordinator,
            email="z@fk.example.se",
            name="Z",
            role="caseworker",
            authority_id=world.fk.id,
            settings=app.config,
        )
    assert user.authority_id == world.fk.id


def test_bad_fields_are_named_and_nothing_is_written(app, session, world):
    with app.test_request_context(), pytest.raises(InvalidInput) as invalid:
        invitations.invite(
            session, world.admin, email=world.caseworker.email, name="", role="caseworker", settings=app.config
        )
    assert set(invalid.value.errors) == {"email", "name", "authority_id"}
    session.rollback()
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert session.scalar(select(func.count()).select_from(User).where(User.name == "")) == 0
