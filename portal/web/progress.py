"""Progress reports of a started placement: the list, the supervisor's next report, and
the caseworker marking one read."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from portal.domain.calendar import local_today
from portal.domain.errors import InvalidInput
from portal.domain.follow_up import progress
from portal.extensions import db
from portal.i18n import lazy_gettext as _l

from .pages import engine, read_page

blueprint = Blueprint("progress", __name__)


def _render(referral_id: int, *, answers=None, errors=None, status=200):
    page = progress.load(db.session, engine(), current_user, referral_id)
    return read_page(
        "follow_up/progress_reports.html",
        status,
        view=page,
        answers=answers or {},
        errors=errors or {},
        today=local_today(),
    )


@blueprint.route("/referrals/<int:referral_id>/progress", methods=["GET", "POST"])
@login_required
def reports(referral_id: int):
    """The reports (GET), or the next one written (POST: by the placement's supervisor)."""
    if request.method == "GET":
        return _render(referral_id)
    if not FlaskForm().validate():
        abort(400)
    answers = {
        position: (request.form.get(f"progress-{position}", ""), request.form.get(f"note-{position}", ""))
        for position in range(100)
        if f"progress-{position}" in request.form or f"note-{position}" in request.form
    }
    try:
        progress.write(
            db.session, engine(), current_user, referral_id, answers, period=request.form.get("period", 0, type=int)
        )
    except InvalidInput as error:
        db.session.rollback()
        return _render(referral_id, answers=answers, errors=error.errors, status=400)
    db.session.commit()
    flash(_l("The progress report has been sent to the caseworker."), "success")
    return redirect(url_for(".reports", referral_id=referral_id), 303)


@blueprint.post("/referrals/<int:referral_id>/progress/<int:report_id>/read")
@login_required
def mark_read(referral_id: int, report_id: int):
    if not FlaskForm().validate():
        abort(400)
    progress.mark_read(db.session, current_user, referral_id, report_id)
    db.session.commit()
    flash(_l("Marked as read."), "success")
    return redirect(url_for(".reports", referral_id=referral_id), 303)
