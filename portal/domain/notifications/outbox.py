"""The e-mail outbox: messages are queued in the transaction of the change they report
and sent later by a worker (`portal outbox send`), so a slow or absent mail server never
holds up or undoes the change.

Delivery is at least once and, in practice, exactly once:

- A worker claims one message at a time with a single conditional UPDATE that pushes
  `next_attempt_at` ahead by a lease and commits. Two workers cannot claim the same row:
  on PostgreSQL the candidate row is picked with FOR UPDATE SKIP LOCKED and the UPDATE
  re-checks that the row is still due; on SQLite the UPDATE is the first statement of
  its transaction, so it waits for the database's single write lock and then sees the
  other worker's claim.
- The mail server is talked to with no transaction open (SQLite's writers are not held
  up by a slow server); the result is then committed per message. What was committed as
  sent is never sent again.
- Only a worker dying between the server's acceptance and that commit can send a message
  twice, after its lease has run out; it then carries the same Message-ID and receivers
  drop the copy.

A failed message is never dropped: its `attempts` grow, `next_attempt_at` backs off
(30 s, 1 min, 2 min … at most an hour) and `last_error` says why, without the body.
"""

from __future__ import annotations

import base64
import smtplib
import ssl
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from portal.models import Notification, OutboxMessage
from portal.models.base import utcnow

BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_LONGEST = timedelta(hours=1)
MINIMUM_LEASE = timedelta(minutes=10)
ERROR_LENGTH = 300


@dataclass(frozen=True)
class MailerSettings:
    """How to reach the mail server; `from_config` reads the PORTAL_SMTP_* settings."""

    host: str = "127.0.0.1"
    port: int = 25
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    sender: str = "Handledarportalen <noreply@handledarportalen.se>"
    timeout: float = 30.0

    @classmethod
    def from_config(cls, config: Mapping) -> MailerSettings:
        return cls(
            host=config["SMTP_HOST"],
            port=int(config["SMTP_PORT"]),
            username=config.get("SMTP_USERNAME") or None,
            password=config.get("SMTP_PASSWORD") or None,
            starttls=bool(config.get("SMTP_STARTTLS")),
            sender=config["MAIL_FROM"],
        )

    @property
    def lease(self) -> timedelta:
        """How long a claimed message is left alone: far longer than one send can take."""
        return max(MINIMUM_LEASE, timedelta(seconds=10 * self.timeout))


@dataclass(frozen=True)
class SendReport:
    """What one round did: messages sent, attempts that failed, unsent messages left."""

    sent: int
    failed: int
    remaining: int


def new_message_id(sender: str) -> str:
    """A unique RFC 5322 Message-ID in the sender's domain, fixed when the row is written."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "handledarportalen.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def queue(
    session: Session,
    *,
    recipient: str,
    subject: str,
    body_text: str,
    sender: str,
    notification: Notification | None = None,
    calendar: str | None = None,
) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction (nothing is committed);
    `calendar` is an iCalendar text sent with it as an ``.ics`` invitation."""
    now = utcnow()
    message = OutboxMessage(
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        message_id=new_message_id(sender),
        notification=notification,
        calendar=calendar,
        created_at=now,
        next_attempt_at=now,
        attempts=0,
    )
    session.add(message)
    return message


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: doubling from 30 s, capped at an hour."""
    return min(BACKOFF_FIRST * 2 ** min(max(attempts - 1, 0), 16), BACKOFF_LONGEST)


def send_due(
    session: Session, mailer_settings: MailerSettings, *, now: datetime | None = None, batch: int = 50
) -> SendReport:
    """Send up to `batch` messages that are due, oldest first; commit after each.

    `now` fixes the clock (tests step through time with it); by default each message is
    claimed and recorded at the current time. The session must have no pending changes:
    this function commits its own work.
    """
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("send_due() commits per message; flush or commit the caller's work first")
    session.commit()  # no read transaction may be open when the first claim writes
    clock = (lambda: now) if now else utcnow
    sent = failed = 0
    with _Mailer(mailer_settings) as mailer:
        for _ in range(batch):
            started = clock()
            claimed = _claim_next(session, started, started + mailer_settings.lease)
            if claimed is None:
                break
            try:
                mailer.send(compose(claimed, mailer_settings.sender))
            except Exception as error:  # any failure of one message must not stop the others
                _record(
                    session,
                    claimed.id,
                    attempts=claimed.attempts + 1,
                    next_attempt_at=clock() + backoff(claimed.attempts + 1),
                    last_error=describe(error),
                )
                failed += 1
            else:
                _record(session, claimed.id, attempts=claimed.attempts + 1, sent_at=clock())
                sent += 1
    remaining = session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None)))
    session.commit()
    return SendReport(sent=sent, failed=failed, remaining=remaining or 0)


def _claim_next(session: Session, now: datetime, lease_until: datetime):
    """Claim the oldest due message for this worker and commit; its columns, or None."""
    due = and_(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)
    candidate = (
        select(OutboxMessage.id).where(due).order_by(OutboxMessage.id).limit(1).with_for_update(skip_locked=True)
    )  # SQLite has no row locks and leaves this out
    claim = (
        update(OutboxMessage)
        .where(OutboxMessage.id == candidate.scalar_subquery(), due)
        .values(next_attempt_at=lease_until)
        .returning(
            OutboxMessage.id,
            OutboxMessage.recipient,
            OutboxMessage.subject,
            OutboxMessage.body_text,
            OutboxMessage.message_id,
            OutboxMessage.created_at,
            OutboxMessage.attempts,
            OutboxMessage.calendar,
        )
        .execution_options(synchronize_session=False)
    )
    claimed = session.execute(claim).first()
    session.commit()
    return claimed


def _record(session: Session, message_id: int, **values) -> None:
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def compose(row, sender: str) -> EmailMessage:
    """The plain-text e-mail for an outbox row (an `OutboxMessage` or a claimed row)."""
    message = EmailMessage()
    message["Message-ID"] = row.message_id
    message["Date"] = format_datetime(row.created_at)
    message["From"] = sender
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    message.set_content(row.body_text)
    if row.calendar:
        method = "CANCEL" if "\r\nMETHOD:CANCEL\r\n" in row.calendar else "REQUEST"
        message.add_attachment(
            row.calendar.encode("utf-8"),
            maintype="text",
            subtype="calendar",
            filename="invitation.ics",
            params={"method": method, "charset": "utf-8"},
        )
    return message


def describe(error: BaseException) -> str:
    """The exception's class and a short message, for `last_error`; never the e-mail itself."""
    if isinstance(error, _Unreachable):
        return error.description
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        detail = f"{error.smtp_code} {reply}"
    elif isinstance(error, smtplib.SMTPRecipientsRefused):
        detail = "recipient refused: " + ", ".join(str(code) for code, _reply in error.recipients.values())
    else:
        detail = str(error)
    text = f"{type(error).__name__}: {' '.join(detail.split())}"
    return text[:ERROR_LENGTH]


class _Unreachable(Exception):
    """The mail server could not be reached earlier in this round; not tried again."""

    def __init__(self, description: str):
        super().__init__(description)
        self.description = description


class _Mailer:
    """One SMTP connection per round, opened on first use and closed at the end.

    If the server cannot be reached, the rest of the round fails at once with the same
    error instead of waiting for a time-out per message.
    """

    def __init__(self, settings: MailerSettings):
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None
        self.unreachable: str | None = None

    def __enter__(self) -> _Mailer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def send(self, message: EmailMessage) -> None:
        if self.unreachable:
            raise _Unreachable(self.unreachable)
        if self.smtp is None:
            try:
                self.smtp = self._connect()
            except Exception as error:
                self.unreachable = describe(error)
                raise
        try:
            self.smtp.send_message(message)
        except Exception:
            self.close()  # the connection's state is unknown; the next message reconnects
            raise

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        smtp = smtplib.SMTP(timeout=settings.timeout)
        try:
            smtp.connect(settings.host, settings.port)
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.username:
                _login(smtp, settings.username, settings.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass
        finally:
            smtp.close()


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """Sign in with AUTH PLAIN in UTF-8 (RFC 4616) when the server offers it: smtplib's
    own `login` sends only ASCII, so a password with å, ä or ö would never get through."""
    smtp.ehlo_or_helo_if_needed()
    if "PLAIN" not in smtp.esmtp_features.get("auth", "").upper().split():
        smtp.login(username, password)
        return
    token = base64.b64encode(f"\0{username}\0{password}".encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)
