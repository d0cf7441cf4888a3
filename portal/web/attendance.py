"""Attendance of a started placement: the supervisor's week on one screen, and the
monthly statement the authority files (on screen, and in every installed report format).

The week travels as ``?week=YYYY-MM-DD`` (any day of it) and the month as
``?month=YYYY-MM``: dates only, never personal data.
"""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from portal.domain.calendar import local_today
from portal.domain.errors import InvalidInput
from portal.domain.follow_up import attendance, statements
from portal.extensions import db
from portal.i18n import lazy_gettext as _l

from .forms import bounded_int
from .pages import engine, read_page

blueprint = Blueprint("attendance", __name__)


def _day(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return default


def _render_week(week: attendance.Week, *, entries=None, errors=None, conflict=None, status=200):
    neighbours = {"previous": week.monday - timedelta(days=7), "next": week.monday + timedelta(days=7)}
    return read_page(
        "follow_up/attendance_week.html",
        status,
        week=week,
        entries=entries,
        errors=errors or {},
        conflict=conflict,
        neighbours=neighbours,
        form=FlaskForm(formdata=None),
    )


@blueprint.route("/referrals/<int:referral_id>/attendance", methods=["GET", "POST"])
@login_required
def week(referral_id: int):
    """The week (GET), or the week recorded (POST: by the placement's supervisor)."""
    today = local_today()
    if request.method == "GET":
        shown = attendance.load_week(
            db.session, current_user, referral_id, _day(request.args.get("week"), today), today
        )
        return _render_week(shown)
    form = FlaskForm()
    if not form.validate():
        abort(400)
    monday = _day(request.form.get("week"), today)
    try:
        version = bounded_int(request.form.get("version", "0"))
    except ValueError:
        abort(400)
    days = attendance.week_of(monday)
    entries = {day: (request.form.get(f"hours-{day}", ""), request.form.get(f"reason-{day}", "")) for day in days}
    try:
        attendance.save_week(db.session, engine(), current_user, referral_id, monday, entries, version, today)
    except (InvalidInput, attendance.WeekChanged) as error:
        db.session.rollback()
        shown = attendance.load_week(db.session, current_user, referral_id, monday, today)
        if isinstance(error, attendance.WeekChanged):
            return _render_week(shown, entries=entries, conflict=error.message, status=409)
        return _render_week(shown, entries=entries, errors=error.errors, status=400)
    db.session.commit()
    flash(_l("Attendance for the week has been saved."), "success")
    return redirect(url_for(".week", referral_id=referral_id, week=monday.isoformat()), 303)


def _reports():
    return current_app.extensions["portal.reports"]


@blueprint.get("/referrals/<int:referral_id>/attendance/statement")
@login_required
def statement(referral_id: int):
    first = statements.parse_month(request.args.get("month"), local_today())
    built = statements.build(db.session, current_user, referral_id, first)
    page = render_template(
        "follow_up/attendance_statement.html",
        report=built,
        referral_id=referral_id,
        month=first,
        previous=(first - timedelta(days=1)).replace(day=1),
        next=(first + timedelta(days=31)).replace(day=1),
        formats=_reports().formats.values(),
    )
    db.session.commit()
    return page


@blueprint.get("/referrals/<int:referral_id>/attendance/statement/<format_id>")
@login_required
def download_statement(referral_id: int, format_id: str):
    report_format = _reports().formats.get(format_id) or abort(404)
    first = statements.parse_month(request.args.get("month"), local_today())
    built = statements.build(db.session, current_user, referral_id, first)
    filename, content = report_format.render(built)
    db.session.commit()
    return send_file(BytesIO(content), mimetype=report_format.media_type, as_attachment=True, download_name=filename)
