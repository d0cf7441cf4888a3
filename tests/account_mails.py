"""Reading the one-time link out of a mail that went through the outbox to a real SMTP server."""

from __future__ import annotations

import re

from portal.domain.notifications.outbox import MailerSettings, send_due


def deliver(app, session) -> None:
    """Send what the outbox holds to the test's mail server."""
    session.commit()
    send_due(session, MailerSettings.from_config(app.config))


def link_in(message) -> str:
    """The path of the one-time link in `message` (the base URL cut off)."""
    body = message.get_body(("plain",)).get_content()
    match = re.search(r"https?://[^/\s]+(/(?:invitation|sign-in/reset)/[A-Za-z0-9_-]+)", body)
    assert match, body
    return match.group(1)
