"""A health endpoint for load balancers: answers 200 only when the database answers."""

from __future__ import annotations

from flask import Blueprint, current_app
from sqlalchemy import text

from portal.extensions import db

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
def health():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not ready"; the reason goes to the log
        current_app.logger.exception("health check: database unavailable")
        db.session.rollback()
        return {"status": "unavailable"}, 503
    return {"status": "ok"}
