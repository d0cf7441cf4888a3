"""Each request's transaction on SQLite takes the write lock up front.

Nearly every request writes: changes, and the audit trail's row for each read of a
participant's data, in the same transaction as the read. SQLite lets one connection
write at a time, and a transaction that began by reading cannot start writing once
another connection has committed since its first read (SQLITE_BUSY_SNAPSHOT): the busy
timeout does not wait that out, the write fails at once. With twelve people reading
referrals and writing messages at the same moment, all but one or two answered 503
(`tests/test_concurrent_requests.py`). BEGIN IMMEDIATE makes each request wait its turn
instead, as `domain.transactions.begin_write` already does for the workflow's writes.

PostgreSQL needs none of this: its rows are locked where the domain decides
(`domain.transactions`), and readers never wait for writers.
"""

from __future__ import annotations

from flask import Flask, request

from portal.domain.transactions import begin_write
from portal.extensions import db

WITHOUT_DATABASE = {"static", "health.health"}  # answered without a transaction of their own


def register(app: Flask) -> None:
    """On SQLite only: PostgreSQL requests pay nothing for it."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return

    @app.before_request
    def take_the_write_lock():
        if request.endpoint not in WITHOUT_DATABASE:
            begin_write(db.session)
