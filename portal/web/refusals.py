"""Refused attempts at objects go into the audit trail.

Whatever refused it (the access rules' 404, a role's 403, a missing row), a 403 or 404
answered to a signed-in user on a route that names an object (an id or a code in the
path) is written down with who, when and what was asked for (`audit.record_refusal`).
The request's own unsaved work is dropped first: a refusal saves nothing else.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

from portal.domain import audit
from portal.extensions import db

REFUSALS = (403, 404)


def register(app: Flask) -> None:
    @app.after_request
    def audit_refusal(response: Response) -> Response:
        rule = request.url_rule
        if (
            response.status_code not in REFUSALS
            or rule is None
            or not rule.arguments
            or rule.endpoint.endswith("static")
            or not current_user.is_authenticated
        ):
            return response
        db.session.rollback()
        audit.record_refusal(
            db.session,
            actor_id=current_user.id,
            status=response.status_code,
            method=request.method,
            endpoint=rule.endpoint,
            arguments=request.view_args or {},
        )
        db.session.commit()
        return response
