"""Sign-in and sign-out."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from portal.domain.accounts import users
from portal.extensions import db, login_manager
from portal.models import User

blueprint = Blueprint("auth", __name__)


class SignInForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Email(_l("Enter an e-mail address like name@example.se.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Enter your password.")),
            Length(max=1024),
        ],
        render_kw={"autocomplete": "current-password"},
    )


def register_user_loader() -> None:
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Sign in to continue.")

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _safe_next(target: str | None) -> str:
    """Only local paths are followed after sign-in, never another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("home.index")


def _failed(response) -> bool:
    """Only failed attempts count towards the limit; a successful sign-in redirects."""
    return response.status_code != 302


def _attempted_account() -> str:
    return users.normalise_email(request.form.get("email", "")) or "-"


def limit_sign_in(app) -> None:
    """Count failed sign-ins per client address and per account (SIGN_IN_LIMIT).

    The limiter belongs to the app, not the module, so that each app built by the factory
    counts in its own storage (RATELIMIT_STORAGE_URL; Redis when several hosts serve).
    """
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        key_prefix=app.config.get("RATELIMIT_KEY_PREFIX", "portal"),
    )
    limit = app.config["SIGN_IN_LIMIT"]
    view = app.view_functions["auth.sign_in"]
    view = limiter.limit(limit, methods=["POST"], deduct_when=_failed)(view)
    view = limiter.limit(limit, methods=["POST"], deduct_when=_failed, key_func=_attempted_account)(view)
    app.view_functions["auth.sign_in"] = view
    app.extensions["portal.limiter"] = limiter


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        user = users.authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        failed = True
    status = 401 if failed else (400 if form.errors else 200)
    return render_template("auth/sign_in.html", form=form, failed=failed), status


@blueprint.post("/sign-out")
@login_required
def sign_out():
    logout_user()
    return redirect(url_for("auth.sign_in"))
