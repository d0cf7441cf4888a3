"""Error pages that say what went wrong in the user's language and reveal nothing else."""

from __future__ import annotations

from flask import Flask, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DisconnectionError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.domain.referrals.transitions import Refused
from portal.extensions import db, login_manager
from portal.i18n import lazy_gettext as _l

_MESSAGES = {
    400: _l("The request could not be understood."),
    403: _l("You do not have access to this page."),
    404: _l("The page does not exist."),
    405: _l("That action is not possible on this page."),
    409: _l("The case changed while you were working on it. Reload and try again."),
    429: _l("Too many attempts. Wait a while and try again."),
}


def _same_site_referrer() -> str | None:
    """The page the user came from, to go back to, if it is one of the portal's own."""
    referrer = request.referrer or ""
    return referrer if referrer.startswith(request.host_url) else None


def register(app: Flask) -> None:
    @app.errorhandler(Refused)
    def refused(error: Refused):
        """An action the workflow or the access rules do not allow: nothing was saved."""
        db.session.rollback()
        return render_template(
            "errors/error.html", code=error.status, message=error.message, back=_same_site_referrer()
        ), error.status

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        message = _l("The form had expired. Go back, reload the page and try again.")
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        message = _MESSAGES.get(error.code) or error.description
        return render_template("errors/error.html", code=error.code, message=message), error.code

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeout)
    @app.errorhandler(DisconnectionError)
    def database_unavailable(error):
        """The database refused, did not answer in time (`portal.deadlines`) or is locked:
        a 503 the user can retry, rendered without asking the database anything more."""
        app.logger.warning("database unavailable: %s", type(error.orig if hasattr(error, "orig") else error).__name__)
        try:
            db.session.rollback()
        except Exception:  # the connection is gone; the pool replaces it
            db.session.remove()
        g._login_user = login_manager.anonymous_user()  # the header would load the user again
        message = _l("The service cannot reach its database just now. Try again in a minute.")
        return render_template("errors/error.html", code=503, message=message), 503, {"Retry-After": "30"}

    @app.errorhandler(IntegrityError)
    def changed_meanwhile(error: IntegrityError):
        """The database refused a write because another request changed the same rows at
        the same moment (removed what this one refers to, saved the same first): nothing
        was saved, and the user is told to reload, not shown a crash. Forms that expect
        this answer at their fields first (`web.forms.saved`). Logged by constraint name
        only: the database's message can quote the values (an identity number's index)."""
        db.session.rollback()
        constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
        app.logger.warning("write refused by the database (%s) on %s", constraint or "constraint", request.endpoint)
        return render_template("errors/error.html", code=409, message=_MESSAGES[409], back=_same_site_referrer()), 409

    @app.errorhandler(InternalServerError)
    def internal_error(error):
        db.session.rollback()
        message = _l("Something went wrong on our side. Nothing was saved. Try again in a moment.")
        return render_template("errors/error.html", code=500, message=message), 500
