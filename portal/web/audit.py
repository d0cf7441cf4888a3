"""The audit log review (/audit) and its CSV download, for admins and coordinators."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user, login_required

from portal.domain import access
from portal.domain.accounts import audit_log
from portal.extensions import db

from .forms import query_date, query_id

blueprint = Blueprint("audit", __name__)


def _filters() -> audit_log.AuditFilters:
    return audit_log.AuditFilters(
        person=request.args.get("person", "")[:100],
        participant_id=query_id("participant"),
        referral_id=query_id("referral"),
        action=request.args.get("action", "")[:40],
        since=query_date("since"),
        until=query_date("until"),
    )


def _allowed() -> None:
    if access.audit_visible_to(current_user) is None:
        abort(403)


@blueprint.get("/audit")
@login_required
def index():
    _allowed()
    number = min(max(request.args.get("page", 1, type=int) or 1, 1), 100_000)
    filters = _filters()
    listing = audit_log.page(
        db.session, current_user, filters, number, current_app.config["PAGE_SIZE"], current_app.config["TIMEZONE"]
    )
    return render_template(
        "accounts/audit.html", listing=listing, filters=filters, actions=audit_log.actions(db.session)
    )


@blueprint.get("/audit.csv")
@login_required
def download():
    _allowed()
    text = audit_log.export(db.session, current_user, _filters(), current_app.config["TIMEZONE"])
    db.session.commit()
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=audit.csv", "Cache-Control": "no-store"},
    )
