"""Fixtures: every database test runs on real SQLite and on real PostgreSQL.

The shared fixtures (`database_url`, `settings`, `make_app`, `app`, `session`, `client`,
`runner`, `engine`, `vault`, `world`, `certified`) live in `portal.testing`, the pytest
plugin the portal installs for plugins' own tests too (with the rule that under CI=true
a skipped test is reported as a failure); what is only core's is here.
"""

from __future__ import annotations

import pytest

from portal.testing import PASSWORD, make_settings, password_hash, sign_in  # noqa: F401  (tests import them from here)


@pytest.fixture
def mail_server():
    """A real SMTP server on 127.0.0.1; tests may stop and start it."""
    from mailserver import MailServer

    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailed_settings(settings, mail_server):
    """The app's settings, pointing at the test's mail server (ask for it before `app`)."""
    from mailserver import SENDER

    settings.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mail_server.port, MAIL_FROM=SENDER)
    return settings
