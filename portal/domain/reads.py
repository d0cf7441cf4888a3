"""Statements that read columns, not objects (counts, ids, names), run on the session's
connection.

`session.execute` takes every statement through the ORM's execution, its compile state
and its handling of the result, even a statement that loads no entity: for the counts,
ids and names that every page shows (the menu's unread counts, the home pages' figures,
the to-do list) that costs about as much CPU as running the statement itself (bench/README.md,
pages). On the session's connection the statement runs in the same transaction, with
what the session has changed flushed first, as the session's autoflush would.

Only for statements whose rows are columns: an entity is loaded through the session,
which keeps it in its identity map. Not for reports: `reports.scope` holds ORM
statements to a report's scope (its `do_orm_execute` hook), which a connection skips.
"""

from __future__ import annotations

from sqlalchemy import CursorResult, Executable
from sqlalchemy.orm import Session


def columns(session: Session, statement: Executable, values: dict | None = None) -> CursorResult:
    """The rows of `statement` run with `values` (its bind parameters') in `session`'s transaction."""
    session.flush()
    return session.connection().execute(statement, values)
