"""The demo portal in a real browser with its mail going to a real SMTP server
(tests/mailserver.py): the fixtures, reading a one-time link out of the newest mail, and
choosing a password with it (a too-easy one first, refused at its field)."""

from __future__ import annotations

import account_mails
import pytest
from account_mails import link_in
from mailserver import SENDER, MailServer
from playwright.sync_api import expect
from test_browser import assert_no_accessibility_violations, served_demo

NEW_PASSWORD = "tranbär segelbåt fönsterlucka"


@pytest.fixture(scope="module")
def mail_server():
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def served(tmp_path_factory, mail_server):
    """The demo portal, sending its mail to `mail_server`: (app, Portal)."""
    settings = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": mail_server.port, "MAIL_FROM": SENDER}
    with served_demo(tmp_path_factory.mktemp("browser-mail"), **settings) as served:
        yield served


def deliver(app, mail_server) -> str:
    """Send the outbox through the real SMTP server; the newest mail's one-time link."""
    from portal.extensions import db

    with app.app_context():
        account_mails.deliver(app, db.session)
        db.session.remove()
    return link_in(mail_server.inbox.messages[-1])


def choose_password(page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Välj ditt lösenord")
    assert_no_accessibility_violations(page)
    page.get_by_label("Nytt lösenord").fill("password1234")
    page.get_by_label("Det nya lösenordet igen").fill("password1234")
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.locator(".field-invalid .error")).to_contain_text("för lätt att gissa")
    assert_no_accessibility_violations(page)
    page.get_by_label("Nytt lösenord").fill(NEW_PASSWORD)
    page.get_by_label("Det nya lösenordet igen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
