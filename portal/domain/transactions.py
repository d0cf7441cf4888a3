"""Write transactions that stay consistent when two people act at once.

Every domain function that changes a referral, offer or placement starts with
`begin_write` and takes its rows with `locked`:

- PostgreSQL: rows are locked with SELECT … FOR UPDATE and re-read, so the second of
  two simultaneous acceptances waits, then sees the first one's result.
- SQLite: the transaction starts with BEGIN IMMEDIATE, which takes the database's write
  lock up front; concurrent writers wait their turn (busy timeout) and each sees what
  the previous one committed. A deferred transaction that had already read could not
  upgrade to a write after another commit ("database is locked").
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, scoped_session


def begin_write(session: Session) -> None:
    """End any read-only transaction and start a write transaction with fresh data.

    Must come before the first change of the unit of work; pending changes would
    otherwise be committed half-way.
    """
    if isinstance(session, scoped_session):
        session = session()
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("begin_write() must be called before any change is made")
    if session.in_transaction():
        session.commit()
    if session.get_bind().dialect.name == "sqlite":
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})


def locked(session: Session, model, row_id: int):
    """The row, locked for this transaction and re-read from the database, or None."""
    query = select(model).where(model.id == row_id).with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)
