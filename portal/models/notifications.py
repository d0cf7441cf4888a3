"""Notifications: the in-app list per user, and the e-mail outbox that carries them out.

An `OutboxMessage` is written in the same transaction as the change it reports, so a
change is never committed without its e-mail nor an e-mail queued for a change that was
rolled back. A worker (`portal outbox send`) drains the outbox; a row is never deleted
for failing, it waits (`next_attempt_at`) and is tried again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import User
from portal.models.base import UTCDateTime, utcnow


class Notification(db.Model):
    """One thing a user should know about: a kind (see `domain.notifications.KINDS`) and
    the referral it concerns. The text is rendered when shown, in the reader's language."""

    __tablename__ = "notification"
    __table_args__ = (
        CheckConstraint("length(kind) > 0", name="kind_not_empty"),
        Index("ix_notification_user_read", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} user={self.user_id}>"


class OutboxMessage(db.Model):
    """A plain-text e-mail waiting to be sent, or the record that it was.

    `message_id` is fixed when the row is written, so a message that is sent twice after
    a crash carries the same Message-ID both times and receivers can drop the copy.
    While a worker sends a message, `next_attempt_at` is pushed ahead as a lease: if the
    worker dies the message becomes due again by itself.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("recipient LIKE '%_@_%'", name="recipient_is_address"),
        Index("ix_outbox_message_due", "sent_at", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notification.id", ondelete="SET NULL"), unique=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(250))
    body_text: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # indexed with sent_at
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(300))
    calendar: Mapped[str | None] = mapped_column(Text)  # an iCalendar invitation (.ics) sent with it

    notification: Mapped[Notification | None] = relationship()

    def __repr__(self) -> str:
        state = "sent" if self.sent_at else f"attempts={self.attempts}"
        return f"<OutboxMessage {self.id} {state}>"
