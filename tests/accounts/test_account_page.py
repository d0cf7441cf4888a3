"""The account page: a new password needs the current one and ends other sessions; language."""

from conftest import PASSWORD, sign_in
from sqlalchemy import select

from portal.models import AuditEvent

NEW = "vinbär cykelställ moln"


def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(app, client, session, world):
    sign_in(client, world.caseworker.email)
    other = app.test_client()
    sign_in(other, world.caseworker.email)
    wrong = client.post("/account/password", data={"current": "not it at all", "new": NEW, "repeated": NEW})
    assert wrong.status_code == 400 and "nuvarande lösenordet är fel" in wrong.get_data(as_text=True)
    weak = client.post(
        "/account/password", data={"current": PASSWORD, "new": "password1234", "repeated": "password1234"}
    )
    assert weak.status_code == 400 and "för lätt att gissa" in weak.get_data(as_text=True)
    assert client.post("/account/password", data={"current": PASSWORD, "new": NEW, "repeated": NEW}).status_code == 303
    assert client.get("/").status_code == 200  # this session goes on
    assert other.get("/").status_code == 302  # the other one has ended
    client.post("/sign-out")
    assert sign_in(client, world.caseworker.email, NEW).status_code == 302
    assert "user.password_change" in set(session.scalars(select(AuditEvent.action)))


def test_the_language_is_kept_on_the_account(client, session, world):
    sign_in(client, world.caseworker.email)
    assert client.post("/account/language", data={"locale": "en"}).status_code == 303
    session.refresh(world.caseworker)
    assert world.caseworker.locale == "en"
    assert '<html lang="en">' in client.get("/account").get_data(as_text=True)
