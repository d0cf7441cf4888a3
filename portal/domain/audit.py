"""Writing the audit trail. Every read or change of a participant's data passes here."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert
from sqlalchemy.orm import Session

from portal.models import AuditEvent, Referral, User
from portal.models.base import utcnow

_INSERT = insert(AuditEvent.__table__)


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    participant_ids: Iterable[int],
    referral_id: int | None = None,
    detail: str | None = None,
) -> None:
    """Add one event per participant in a single statement, in the caller's transaction.

    Being in the same transaction means an audited read or change and its audit row
    are committed together or not at all. The rows are written on the session's
    connection (a Core insert): the ORM's bulk insert, for rows it keeps no objects
    of, cost the pages that list participants more CPU (bench/README.md, pages).
    """
    now = utcnow()
    rows = [
        {
            "occurred_at": now,
            "actor_id": actor_id,
            "action": action,
            "participant_id": participant_id,
            "referral_id": referral_id,
            "detail": detail,
        }
        for participant_id in dict.fromkeys(participant_ids)
    ]
    if rows:
        session.flush()  # what the rows refer to (a participant just registered …) first
        session.connection().execute(_INSERT, rows)


def on_referral(
    session: Session, actor: User | None, referral: Referral, action: str, detail: str | None = None
) -> None:
    """One event for a read or change of a referral, which concerns its participant."""
    record(
        session,
        actor_id=actor.id if actor is not None else None,
        action=action,
        participant_ids=[referral.participant_id],
        referral_id=referral.id,
        detail=detail,
    )


def record_change(session: Session, *, actor_id: int | None, action: str, detail: str) -> None:
    """One event for a change that concerns no participant (a plugin enabled for a
    region …), in the caller's transaction. `detail` says what changed, in codes."""
    session.add(AuditEvent(occurred_at=utcnow(), actor_id=actor_id, action=action, detail=detail[:200]))


def record_saved(session: Session, actor, record, created: bool) -> None:
    """A register entry (an authority, a cooperative, a cohort …) created or changed:
    `<table>.create` or `<table>.change`, with its id, after flushing it to get one."""
    session.flush()
    table = record.__tablename__
    action = f"{table}.create" if created else f"{table}.change"
    record_change(session, actor_id=actor.id, action=action, detail=f"{table}={record.id}")


REFUSED = "access.refused"


def record_refusal(
    session: Session, *, actor_id: int | None, status: int, method: str, endpoint: str, arguments: dict
) -> None:
    """A refused attempt at an object (403 or 404 on a route with an id or a code), so that
    a review of the log finds someone probing: who, when, and what they asked for, in
    codes (`404 GET referrals.show referral_id=7`). Ids go in `detail`, not in the
    foreign keys: the object asked for may not exist."""
    asked = " ".join(f"{name}={value}" for name, value in sorted(arguments.items()))
    record_change(session, actor_id=actor_id, action=REFUSED, detail=f"{status} {method} {endpoint} {asked}")
