"""A health endpoint for load balancers: 200 only when the database answers, and an
answer within `LIMIT` seconds whatever the database does.

The check runs on a small pool of threads of its own with a fresh connection from the
engine; the request waits at most `LIMIT` and then answers 503, even when the database
has stopped answering (the check's thread is freed later by the connect timeout or the
watchdog of `portal.deadlines`). A load balancer thus takes a host out at once instead
of piling requests onto it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as Late

from flask import Blueprint, current_app
from sqlalchemy import text

from portal.extensions import db

LIMIT = 1.5  # seconds
blueprint = Blueprint("health", __name__)
_checks = ThreadPoolExecutor(max_workers=2, thread_name_prefix="health")


def _ping(engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


@blueprint.get("/health")
def health():
    try:
        _checks.submit(_ping, db.engine).result(timeout=LIMIT)
    except Late:
        current_app.logger.warning("health check: the database did not answer within %s s", LIMIT)
        return {"status": "unavailable"}, 503
    except Exception:  # any database failure means "not ready"; the reason goes to the log
        current_app.logger.exception("health check: database unavailable")
        return {"status": "unavailable"}, 503
    return {"status": "ok"}
