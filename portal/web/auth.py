"""Sign-in and sign-out."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import bindparam, select
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from portal.domain.accounts import invitations, resets, tokens, users
from portal.domain.accounts import two_factor as totp
from portal.domain.errors import InvalidInput
from portal.extensions import db, login_manager
from portal.i18n import lazy_gettext as _l
from portal.models import TokenPurpose, User
from portal.web import sessions
from portal.web.accounts import CodeForm
from portal.web.forms import new_password, show_errors, sign_in_email

blueprint = Blueprint("auth", __name__)

PENDING = "pending_sign_in"
PENDING_SECONDS = 300


class SignInForm(FlaskForm):
    email = sign_in_email()
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Enter your password.")),
            Length(max=1024),
        ],
        render_kw={"autocomplete": "current-password"},
    )


# Every request loads its user: the statement is built once (`session.get` built its own
# each time, about 0.1 ms of CPU a request; bench/README.md, pages).
_SIGNED_IN = select(User).where(User.id == bindparam("user_id"))


def register_user_loader() -> None:
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Sign in to continue.")

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The signed-in user, unless their session has ended (see `web.sessions`)."""
        user = (
            db.session.scalars(_SIGNED_IN, {"user_id": int(user_id)}).one_or_none()
            if user_id.isdigit() and len(user_id) < 12
            else None
        )
        if not sessions.still_valid(user):
            session.clear()
            return None
        return user


def _safe_next(target: str | None) -> str:
    """Only a path on this site is followed after sign-in, never another site.

    Browsers drop tabs, line breaks and other control characters from an address and
    read a backslash as a slash, so `/%09/evil.example` would lead to //evil.example: the
    path is judged with those removed (and any whitespace), and one that carried a line
    break, or starts with `//`, or holds a backslash or a scheme, leads home instead."""
    home = url_for("home.index")
    if not target or "\r" in target or "\n" in target:
        return home
    cleaned = "".join(char for char in target if char.isprintable() and not char.isspace())
    parts = urlsplit(cleaned)
    if not cleaned.startswith("/") or cleaned.startswith("//") or "\\" in cleaned or parts.scheme or parts.netloc:
        return home
    return cleaned


def _failed(response) -> bool:
    """Only failed attempts count towards the limit; a successful sign-in redirects."""
    return response.status_code != 302


def _attempted_account() -> str:
    """The account a sign-in attempt is for: the address typed, or, at the code step,
    the account whose password was right (both steps count against the same limit)."""
    pending = session.get(PENDING) or {}
    return users.normalise_email(request.form.get("email", "") or pending.get("email", "")) or "-"


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
    # Flask-Limiter also checks every request for default and blueprint limits, of which
    # the portal has none: the views decorated below check their own (about 1 % of a
    # page's CPU saved on every other request).
    app.before_request_funcs[None].remove(limiter._check_request_limit)
    limit = app.config["SIGN_IN_LIMIT"]
    by_address = limiter.shared_limit(limit, "sign-in", methods=["POST"], deduct_when=_failed)
    by_account = limiter.shared_limit(
        limit, "sign-in-account", methods=["POST"], deduct_when=_failed, key_func=_attempted_account
    )
    for endpoint in ("auth.sign_in", "auth.sign_in_code"):
        app.view_functions[endpoint] = by_account(by_address(app.view_functions[endpoint]))
    forgot = app.view_functions["auth.forgot"]  # every request counts: the answer never tells
    forgot = limiter.limit(limit, methods=["POST"])(forgot)
    forgot = limiter.limit(limit, methods=["POST"], key_func=_attempted_account)(forgot)
    app.view_functions["auth.forgot"] = forgot
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
            target = _safe_next(request.args.get("next"))
            db.session.commit()
            if user.totp_secret:  # the password was right; a code from the app comes next
                session.clear()
                session[PENDING] = {"user": user.id, "email": user.email, "at": int(time.time()), "next": target}
                return redirect(url_for("auth.sign_in_code"))
            _complete(user)
            return redirect(target)
        failed = True
    status = 401 if failed else (400 if form.errors else 200)
    return render_template("auth/sign_in.html", form=form, failed=failed), status


def _complete(user: User) -> None:
    login_user(user)
    sessions.begin(user)


@blueprint.route("/sign-in/code", methods=["GET", "POST"])
def sign_in_code():
    """The second step for an account with two-factor sign-in; a wrong code counts
    towards the sign-in limit like a wrong password."""
    pending = session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    failed = False
    if form.validate_on_submit():
        user = db.session.get(User, pending["user"])
        if user is not None and user.active and totp.verify(db.session, user, form.code.data, _data_key()):
            session.pop(PENDING, None)
            _complete(user)
            db.session.commit()
            return redirect(pending.get("next") or url_for("home.index"))
        db.session.rollback()
        failed = True
    status = 401 if failed else (400 if form.errors else 200)
    return render_template("auth/code.html", form=form, failed=failed), status


def _data_key() -> str:
    from flask import current_app

    return current_app.config["DATA_KEY"]


@blueprint.post("/sign-out")
@login_required
def sign_out():
    """Ends this session and every other one of the account (a copied cookie too)."""
    sessions.end_everywhere(current_user)
    db.session.commit()
    logout_user()
    return redirect(url_for("auth.sign_in"))


@blueprint.get("/session/stay")
@login_required
def stay():
    """The idle warning's "stay signed in": the idle clock starts again now."""
    sessions.restart_idle_clock()
    return "", 204


# One-time links: an invitation or a forgotten password ------------------------------


class ForgotForm(FlaskForm):
    email = sign_in_email()


class ChoosePasswordForm(FlaskForm):
    password, repeated = new_password()


@blueprint.route("/sign-in/forgot", methods=["GET", "POST"])
def forgot():
    """The same answer whether or not the address has an account."""
    form = ForgotForm()
    if form.validate_on_submit():
        resets.request_reset(db.session, form.email.data)
        db.session.commit()
        return render_template("auth/forgot.html", form=None, sent=True)
    return render_template("auth/forgot.html", form=form, sent=False), 400 if form.errors else 200


@blueprint.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str):
    return _choose_password(token, TokenPurpose.INVITATION)


@blueprint.route("/sign-in/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    return _choose_password(token, TokenPurpose.RESET)


def _choose_password(token: str, purpose: TokenPurpose):
    """Set a password from a one-time link; an expired or used link changes nothing."""
    if current_user.is_authenticated:
        logout_user()
    form = ChoosePasswordForm()
    usable = tokens.valid(db.session, token, purpose) is not None
    if usable and form.validate_on_submit():
        try:
            invitations.choose_password(db.session, token, purpose, form.password.data, form.repeated.data)
        except InvalidInput as error:
            db.session.rollback()
            if "token" in error.errors:
                usable = False
            show_errors(form, error)
        else:
            db.session.commit()
            flash(_l("Your password is saved. Sign in with it."), "success")
            return redirect(url_for("auth.sign_in"))
    db.session.rollback()
    status = 410 if not usable else (400 if form.errors else 200)
    return render_template("auth/choose_password.html", form=form, usable=usable, purpose=purpose), status
