"""The audit trail: who read or changed which participant's data, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow


class AuditEvent(db.Model):
    """Append-only. `detail` is a short code-level description, never personal data.

    The participant and the referral are named by id, not by foreign key: a registration
    made by mistake is deleted (`domain.participants.mistaken`) and its trail stays."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_participant_time", "participant_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    participant_id: Mapped[int | None] = mapped_column()
    referral_id: Mapped[int | None] = mapped_column()
    detail: Mapped[str | None] = mapped_column(String(200))
