"""Write transactions that stay consistent when two people act at once.

Every domain function that changes a referral, offer or placement starts with
`begin_write` and takes its rows with `locked` / `locked_all`, always in one order, so
that two transactions never wait for each other in a circle (a deadlock):

0. the authority row, when a participant is registered (the check "already registered
   here?" and the insert under one lock; nothing else locks it);
1. the participant's consent row, when consent is withdrawn (nothing else locks it);
2. the referral rows, by ascending id;
3. the offer rows of those referrals;
4. the supervisor row (capacity is counted under it).

A directory record (a supervisor's or a cooperative's) is locked alone when it is saved,
FOR NO KEY UPDATE, so that two coordinators' saves take turns; nothing else is locked
in that transaction.

Correcting a participant's details locks their referrals (2), then the participant row
FOR NO KEY UPDATE, then writes the copies of the gender on referrals and offers: a
plain FOR UPDATE would wait for a consent withdrawal that has updated the person's
consent row (its foreign-key check holds a KEY SHARE lock on the person) and now waits
for the same referrals — a deadlock.

Removing a registration made by mistake (`participants.mistaken`) locks the person's
consents (1), their referrals (2), then the participant row FOR UPDATE, as the row goes;
what was added meanwhile is found under that lock and the locks are taken again.

A path that knows only an offer reads the offer's referral id without a lock, locks the
referral, and only then the offer. Under the referral's lock the offers and placement
are re-read, so a transaction that waited sees what the one before it committed; the
checks that decide whether a change is still allowed ("already withdrawn", "still
open") are made after the lock, never before. Consent withdrawal, the correction of a
participant's details, retention, offer expiry and reminders (the worker), the
workflow's transitions and the regional plugins' steps (which run inside those
transitions) all follow this order;
`tests/production/test_locking.py` races each of them against acceptance.

- PostgreSQL: rows are locked with SELECT … FOR UPDATE and re-read, so the second of
  two simultaneous acceptances waits, then sees the first one's result.
- SQLite: the transaction starts with BEGIN IMMEDIATE, which takes the database's write
  lock up front; concurrent writers wait their turn (busy timeout) and each sees what
  the previous one committed. A deferred transaction that had already read could not
  upgrade to a write after another commit ("database is locked").
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, scoped_session


def begin_write(session: Session) -> None:
    """End any read-only transaction and start a write transaction with fresh data.

    Must come before the first change of the unit of work; pending changes would
    otherwise be committed half-way. What was read before is expired, so every row is
    read again inside the write transaction.
    """
    if isinstance(session, scoped_session):
        session = session()
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("begin_write() must be called before any change is made")
    if session.in_transaction():
        session.commit()
    session.expire_all()
    if session.get_bind().dialect.name == "sqlite":
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})


def locked(session: Session, model, row_id: int, *, keys_kept: bool = False):
    """The row, locked for this transaction and re-read from the database, or None.

    `keys_kept`: the row is changed but not its key (PostgreSQL's FOR NO KEY UPDATE), so
    the lock does not wait for transactions that merely write rows pointing at it (their
    foreign-key check holds a KEY SHARE lock on it). A participant is locked so: consent
    withdrawal updates the person's consent row before it locks their referrals."""
    query = (
        select(model)
        .where(model.id == row_id)
        .with_for_update(key_share=keys_kept)
        .execution_options(populate_existing=True)
    )
    return session.scalar(query)


def locked_all(session: Session, model, row_ids: Iterable[int]) -> list:
    """The rows, locked one statement in ascending id order and re-read (the order of
    the list). Missing ids are left out."""
    ids = sorted(set(row_ids))
    if not ids:
        return []
    query = (
        select(model)
        .where(model.id.in_(ids))
        .order_by(model.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(query))


def upsert(bind, table):
    """An INSERT that can take ON CONFLICT (`on_conflict_do_update`), in the dialect of
    `bind`: both databases spell it alike, SQLAlchemy builds it per dialect. For rows
    two people may add at the same moment, where "read the row, else add it" lets the
    second fail on the key."""
    return (postgresql if bind.dialect.name == "postgresql" else sqlite).insert(table)
