"""The signed-in user's notifications, and the unread count in the page header."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.exc import SQLAlchemyError
from wtforms import HiddenField, SelectMultipleField

from portal.domain.notifications import inbox as notifications
from portal.extensions import db
from portal.i18n import lazy_gettext as _l

from .forms import bounded_int, page_number

blueprint = Blueprint("notifications", __name__)


class MarkReadForm(FlaskForm):
    notification_id = SelectMultipleField(coerce=bounded_int, validate_choice=False)
    page = HiddenField()


@blueprint.get("/notifications")
@login_required
def index():
    number = page_number()
    page = notifications.list_for(db.session, current_user, number, current_app.config["PAGE_SIZE"])
    return render_template(
        "notifications/list.html", page=page, form=MarkReadForm(), subject_for=notifications.subject_for
    )


@blueprint.post("/notifications/read")
@login_required
def read():
    form = MarkReadForm()
    if not form.validate_on_submit():
        abort(400)
    if notifications.mark_read(db.session, current_user, form.notification_id.data or []):
        flash(_l("Marked as read."), "success")
    db.session.commit()
    number = form.page.data if (form.page.data or "").isdigit() and len(form.page.data) <= 9 else None
    return redirect(url_for(".index", page=number))


def menu_label():
    """The menu's link text, with the unread count: one COUNT, only when a page shows it."""
    unread = unread_count("notifications", notifications.unread_count)
    return _l("Notifications") if unread is None else _l("Notifications (%(count)d)", count=unread)


def unread_count(what: str, count) -> int | None:
    """`count(session, user)` for the signed-in user, once per request; None when signed
    out or when the database fails (an error page must still render)."""
    if not current_user.is_authenticated:
        return None
    key = f"unread_{what}"
    if key not in g:
        try:
            setattr(g, key, count(db.session, current_user._get_current_object()))
        except SQLAlchemyError:
            current_app.logger.exception("unread %s count unavailable", what)
            setattr(g, key, None)
    return g.get(key)
