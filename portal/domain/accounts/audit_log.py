"""Reviewing the audit trail: admins see every event, a coordinator their region's.

Filters by person (name or address of who acted), participant, referral, action and
Stockholm dates; newest first; two queries a page whatever the table size. The review
reads events and never changes them: the portal has no code that updates or deletes an
audit row, and the CSV download is itself written to the trail.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from portal.domain import access, audit
from portal.domain.lists import safe_cell
from portal.domain.pagination import Page, paginate, searched
from portal.domain.referrals.transitions import Refused
from portal.i18n import lazy_gettext as _
from portal.models import AuditEvent, User

EXPORT_LIMIT = 50_000


@dataclass(frozen=True)
class AuditFilters:
    person: str = ""
    participant_id: int | None = None
    referral_id: int | None = None
    action: str = ""
    since: date | None = None
    until: date | None = None

    def describe(self) -> str:
        """The filters in codes, for the export's own audit event (no names)."""
        parts = [f"{key}={value}" for key, value in vars(self).items() if value not in (None, "") and key != "person"]
        return " ".join(parts + (["person=…"] if self.person else []))


@dataclass(frozen=True)
class AuditRow:
    occurred_at: datetime
    actor: str | None
    action: str
    participant_id: int | None
    referral_id: int | None
    detail: str | None


def _query(actor: User, filters: AuditFilters, timezone: str) -> Select:
    visible = access.audit_visible_to(actor)
    if visible is None:
        raise Refused(_("Only administrators and coordinators review the audit log."), 403)
    query = (
        select(AuditEvent, User.name, User.email)
        .outerjoin(User, AuditEvent.actor_id == User.id)
        .where(visible)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )
    query = searched(query, filters.person, User.name, User.email)
    if filters.participant_id is not None:
        query = query.where(AuditEvent.participant_id == filters.participant_id)
    if filters.referral_id is not None:
        query = query.where(AuditEvent.referral_id == filters.referral_id)
    if filters.action.strip():
        query = query.where(AuditEvent.action.startswith(filters.action.strip()[:40]))
    zone = ZoneInfo(timezone)
    if filters.since:
        query = query.where(AuditEvent.occurred_at >= datetime.combine(filters.since, time(), zone))
    if filters.until:
        query = query.where(AuditEvent.occurred_at < datetime.combine(filters.until + timedelta(days=1), time(), zone))
    return query


def _row(event: AuditEvent, name: str | None, email: str | None) -> AuditRow:
    actor = f"{name} <{email}>" if name else None
    return AuditRow(event.occurred_at, actor, event.action, event.participant_id, event.referral_id, event.detail)


def page(session: Session, actor: User, filters: AuditFilters, number: int, per_page: int, timezone: str) -> Page:
    """One page of the events the actor may review, newest first, as `AuditRow`s."""
    return paginate(session, _query(actor, filters, timezone), number, per_page, row=_row)


def actions(session: Session) -> list[str]:
    """The actions that occur, for the filter's list."""
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def export(session: Session, actor: User, filters: AuditFilters, timezone: str) -> Iterator[str]:
    """The filtered events as CSV (at most EXPORT_LIMIT rows); the download is audited."""
    query = _query(actor, filters, timezone).limit(EXPORT_LIMIT)
    rows = [_row(*row) for row in session.execute(query).all()]
    audit.record_change(session, actor_id=actor.id, action="audit.export", detail=filters.describe() or "all")
    zone = ZoneInfo(timezone)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["occurred_at", "actor", "action", "participant_id", "referral_id", "detail"])
    for row in rows:
        when = row.occurred_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
        writer.writerow(
            [
                when,
                safe_cell(row.actor),
                safe_cell(row.action),
                row.participant_id,
                row.referral_id,
                safe_cell(row.detail),
            ]
        )
    return buffer.getvalue()
