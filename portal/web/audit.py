"""The audit log review (/audit) and its CSV download, for admins and coordinators."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user, login_required

from portal.domain import access
from portal.domain.accounts import audit_log
from portal.extensions import db

blueprint = Blueprint("audit", __name__)

MAX_ID = 2**31 - 1


def _id(name: str) -> int | None:
    text = request.args.get(name, "").strip()
    return int(text) if text.isdigit() and int(text) <= MAX_ID else None


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, "").strip())
    except ValueError:
        return None


def _filters() -> audit_log.AuditFilters:
    return audit_log.AuditFilters(
        person=request.args.get("person", "")[:100],
        participant_id=_id("participant"),
        referral_id=_id("referral"),
        action=request.args.get("action", "")[:40],
        since=_day("since"),
        until=_day("until"),
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
