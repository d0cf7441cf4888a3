"""The e-mail outbox, delivered over real SMTP (aiosmtpd): headers, outages, retries with
back-off, crashes, two workers at once, and the `portal outbox send` command."""

import os
import signal
import threading
import time
from dataclasses import replace
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from mailserver import SENDER
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.notifications import outbox
from portal.domain.notifications.outbox import MailerSettings, SendReport, send_due
from portal.extensions import db
from portal.models import OutboxMessage
from portal.models.base import utcnow


@pytest.fixture(autouse=True)
def _point_the_app_at_the_mail_server(mailed_settings):
    """Every app in this module sends to the test's mail server."""


@pytest.fixture
def mailer(mail_server):
    return MailerSettings(host="127.0.0.1", port=mail_server.port, sender=SENDER, timeout=5)


def queue(session, count, *, recipient="handledare@example.se"):
    rows = [
        outbox.queue(
            session,
            recipient=recipient,
            subject=f"Ny remiss erbjuden till dig (nr {number})",
            body_text=f"En remiss (nr {number}) har erbjudits dig.\n",
            sender=SENDER,
        )
        for number in range(1, count + 1)
    ]
    session.commit()
    return rows


def outbox_rows(session):
    session.expire_all()
    return session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_a_due_message_is_delivered_with_its_headers(session, mail_server, mailer):
    [row] = queue(session, 1, recipient="märta@example.se")
    assert send_due(session, mailer) == SendReport(sent=1, failed=0, remaining=0)
    [message] = mail_server.inbox.messages
    assert message["Message-ID"] == row.message_id
    assert row.message_id.startswith("<") and row.message_id.endswith("@handledarportalen.se>")
    assert message["From"] == SENDER
    assert message["To"] == "märta@example.se"
    assert message["Subject"] == "Ny remiss erbjuden till dig (nr 1)"
    assert abs(parsedate_to_datetime(message["Date"]) - row.created_at) < timedelta(seconds=1)
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "text/plain"
    assert message.get_content().replace("\r\n", "\n") == "En remiss (nr 1) har erbjudits dig.\n"
    assert mail_server.inbox.envelopes == [("noreply@handledarportalen.se", ["märta@example.se"])]
    [sent] = outbox_rows(session)
    assert sent.sent_at is not None and sent.attempts == 1


def test_every_message_gets_its_own_stable_message_id(session):
    first, second = queue(session, 2)
    assert first.message_id != second.message_id
    assert outbox_rows(session)[0].message_id == first.message_id


def test_backoff_doubles_from_thirty_seconds_up_to_an_hour():
    assert [outbox.backoff(attempts).total_seconds() for attempts in range(1, 9)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
    ]
    assert outbox.backoff(10_000) == timedelta(hours=1)


def test_when_the_server_is_down_messages_stay_and_go_out_exactly_once_when_it_is_back(session, mail_server, mailer):
    queued = queue(session, 3)
    mail_server.stop()
    now = utcnow()

    assert send_due(session, mailer, now=now) == SendReport(sent=0, failed=3, remaining=3)
    for row in outbox_rows(session):
        assert row.sent_at is None and row.attempts == 1
        assert row.next_attempt_at == now + timedelta(seconds=30)
        assert row.last_error.startswith("ConnectionRefusedError")

    assert send_due(session, mailer, now=now + timedelta(seconds=10)) == SendReport(0, 0, 3), "not due yet"
    second_try = now + timedelta(seconds=31)
    assert send_due(session, mailer, now=second_try) == SendReport(sent=0, failed=3, remaining=3)
    assert {(row.attempts, row.next_attempt_at) for row in outbox_rows(session)} == {
        (2, second_try + timedelta(seconds=60))
    }

    mail_server.start()
    later = now + timedelta(hours=2)
    assert send_due(session, mailer, now=later) == SendReport(sent=3, failed=0, remaining=0)
    assert sorted(mail_server.inbox.message_ids()) == sorted(row.message_id for row in queued)
    assert all(row.sent_at == later and row.attempts == 3 for row in outbox_rows(session))

    assert send_due(session, mailer, now=later + timedelta(days=1)) == SendReport(0, 0, 0)
    assert len(mail_server.inbox.messages) == 3


def test_a_refused_recipient_is_kept_with_the_servers_reply_and_the_round_carries_on(session, mail_server, mailer):
    (refused,) = queue(session, 1, recipient="gone@example.se")
    (accepted,) = queue(session, 1, recipient="here@example.se")
    mail_server.inbox.refuse.add("gone@example.se")
    now = utcnow()
    assert send_due(session, mailer, now=now) == SendReport(sent=1, failed=1, remaining=1)
    assert mail_server.inbox.message_ids() == [accepted.message_id]
    waiting = session.get(OutboxMessage, refused.id)
    assert waiting.sent_at is None and waiting.attempts == 1
    assert waiting.last_error == "SMTPRecipientsRefused: recipient refused: 550"
    assert "remiss" not in waiting.last_error


def test_the_worker_signs_in_with_the_configured_account_even_with_a_swedish_password(session, mail_server, mailer):
    mail_server.stop()
    mail_server.start(account=("portal", "rätt lösenord"))
    (row,) = queue(session, 1)
    now = utcnow()
    wrong = replace(mailer, username="portal", password="wrong")
    assert send_due(session, wrong, now=now) == SendReport(sent=0, failed=1, remaining=1)
    assert session.get(OutboxMessage, row.id).last_error.startswith("SMTPAuthenticationError: 535")
    right = replace(mailer, username="portal", password="rätt lösenord")
    assert send_due(session, right, now=now + timedelta(minutes=1)) == SendReport(sent=1, failed=0, remaining=0)
    assert mail_server.logins == [("portal", "wrong"), ("portal", "rätt lösenord")]
    assert mail_server.inbox.message_ids() == [row.message_id]


def test_a_worker_that_dies_while_sending_leaves_the_message_for_later(session, mail_server, mailer, monkeypatch):
    (row,) = queue(session, 1)
    now = utcnow()

    def killed(self, message):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(outbox._Mailer, "send", killed)
        with pytest.raises(KeyboardInterrupt):
            send_due(session, mailer, now=now)
    assert send_due(session, mailer, now=now + timedelta(minutes=1)) == SendReport(0, 0, 1), "still claimed"
    assert send_due(session, mailer, now=now + mailer.lease) == SendReport(1, 0, 0)
    assert mail_server.inbox.message_ids() == [row.message_id]


def test_a_round_sends_at_most_its_batch_oldest_first(session, mail_server, mailer):
    rows = queue(session, 5)
    assert send_due(session, mailer, batch=2) == SendReport(sent=2, failed=0, remaining=3)
    assert mail_server.inbox.message_ids() == [row.message_id for row in rows[:2]]


def test_send_due_refuses_a_session_with_unsaved_changes(session, mailer):
    outbox.queue(session, recipient="a@example.se", subject="s", body_text="b", sender=SENDER)
    with pytest.raises(RuntimeError):
        send_due(session, mailer)


def test_two_workers_at_once_deliver_every_message_exactly_once(app, session, mail_server, mailer):
    queued = queue(session, 30)
    mail_server.inbox.delay = 0.01  # each delivery takes a moment, so the workers overlap
    with app.app_context():
        engine = db.engine
    start = threading.Barrier(2)
    reports, errors = [], []

    def worker():
        with Session(engine) as own_session:
            start.wait()
            try:
                reports.append(send_due(own_session, mailer, batch=100))
            except Exception as error:  # reported below; a thread's exception is otherwise lost
                errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(report.sent for report in reports) != [0, 30], "both workers should have taken a share"
    assert sum(report.sent for report in reports) == 30 and not any(report.failed for report in reports)
    received = mail_server.inbox.message_ids()
    assert len(received) == len(set(received)) == 30
    assert set(received) == {row.message_id for row in queued}
    assert all(row.sent_at is not None and row.attempts == 1 for row in outbox_rows(session))


def test_outbox_send_command_delivers_what_is_due_and_prints_the_counts(runner, session, mail_server):
    queue(session, 2)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 2, failed 0, remaining 0." in result.output
    assert len(mail_server.inbox.messages) == 2
    assert runner.invoke(args=["outbox", "send"]).output.strip() == "Sent 0, failed 0, remaining 0."


def test_outbox_send_command_reports_failures_when_the_server_is_down(runner, session, mail_server):
    queue(session, 2)
    mail_server.stop()
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 0, failed 2, remaining 2." in result.output


def test_outbox_worker_keeps_sending_until_sigterm(runner, session, mail_server):
    queue(session, 2)
    finished = threading.Event()

    def stop_the_worker_once_delivered():
        deadline = time.monotonic() + 30
        while len(mail_server.inbox.messages) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        queue(session, 1)  # written while the worker runs, picked up on a later round
        while len(mail_server.inbox.messages) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        if not finished.is_set():
            os.kill(os.getpid(), signal.SIGTERM)

    # A harmless handler while the test runs: a late signal must not end pytest itself.
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    helper = threading.Thread(target=stop_the_worker_once_delivered)
    try:
        helper.start()
        result = runner.invoke(args=["outbox", "send", "--loop", "--interval", "0.1"])
        finished.set()
        helper.join(timeout=60)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert result.exit_code == 0, result.output
    assert "Outbox worker stopped." in result.output
    assert len(mail_server.inbox.messages) == 3
