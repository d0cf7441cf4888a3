"""The account page (password, language, two-factor sign-in) for everyone, and the
offices' pages for people (/admin/users) and authorities (/admin/authorities)."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from portal.domain.accounts import profile
from portal.domain.accounts import two_factor as totp
from portal.domain.errors import InvalidInput
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.web import sessions
from portal.web.forms import new_password, saved, show_errors

blueprint = Blueprint("account", __name__)

SETUP_SECRET = "two_factor_setup"
ALLOWED_WHILE_REQUIRED = frozenset(
    {"account.two_factor", "auth.sign_out", "auth.stay", "static", "locale.choose", "health.live", "health.ready"}
)


class PasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    new, repeated = new_password()


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[SelectChoice("sv", "Svenska"), SelectChoice("en", "English")])


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from the app"),
        validators=[DataRequired(_l("Type the six digits the app shows.")), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class TurnOffForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


def require_two_factor(app) -> None:
    """Admins and coordinators without two-factor sign-in are sent to set it up first
    (PORTAL_REQUIRE_TWO_FACTOR); every other page waits until they have."""

    @app.before_request
    def two_factor_first():
        if request.endpoint in ALLOWED_WHILE_REQUIRED or not current_user.is_authenticated:
            return None
        if totp.required(current_user, app.config["REQUIRE_TWO_FACTOR"]):
            flash(_l("Turn on two-factor sign-in before you go on: your role sees much personal data."), "error")
            return redirect(url_for("account.two_factor"))
        return None


def _page(password_form=None, language_form=None, status=200):
    language_form = language_form or LanguageForm(formdata=None, locale=current_user.locale or "sv")
    return render_template(
        "accounts/account.html",
        password_form=password_form or PasswordForm(formdata=None),
        language_form=language_form,
        off_form=TurnOffForm(formdata=None),
        required=current_user.role in totp.REQUIRED_FOR and current_app.config["REQUIRE_TWO_FACTOR"],
    ), status


@blueprint.get("/account")
@login_required
def show():
    return _page()


@blueprint.post("/account/password")
@login_required
def change_password():
    form = PasswordForm()
    change = partial(
        profile.change_password, db.session, current_user, form.current.data, form.new.data, form.repeated.data
    )
    if saved(form, change):
        sessions.begin(current_user)  # this session goes on; every other one has ended
        flash(_l("Your password is changed. You are signed out everywhere else."), "success")
        return redirect(url_for("account.show")), 303
    return _page(password_form=form, status=400)


@blueprint.post("/account/language")
@login_required
def change_language():
    form = LanguageForm()
    if form.validate():
        profile.set_language(db.session, current_user, form.locale.data)
        db.session.commit()
        session["locale"] = form.locale.data
        return redirect(url_for("account.show")), 303
    return _page(language_form=form, status=400)


@blueprint.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor():
    """Set up: a new secret in the session, its QR code, and a first code to prove it."""
    if current_user.totp_secret:
        return redirect(url_for("account.show"))
    secret = session.get(SETUP_SECRET)
    if not secret or request.method == "GET":
        secret = session[SETUP_SECRET] = totp.new_secret()
    form = CodeForm()
    if request.method == "POST" and form.validate():
        try:
            codes = totp.enable(db.session, current_user, secret, form.code.data, current_app.config["DATA_KEY"])
        except InvalidInput as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            db.session.commit()
            session.pop(SETUP_SECRET, None)
            return render_template("accounts/recovery_codes.html", codes=codes)
    qr = totp.qr_svg(secret, current_user.email, str(_l("QR code for your authenticator app")))
    status = 400 if form.errors else 200
    return render_template("accounts/two_factor.html", form=form, qr=qr, secret=secret), status


@blueprint.post("/account/two-factor/off")
@login_required
def two_factor_off():
    form = TurnOffForm()
    if current_user.role in totp.REQUIRED_FOR and current_app.config["REQUIRE_TWO_FACTOR"]:
        flash(_l("Your role must sign in with two factors."), "error")
        return redirect(url_for("account.show")), 303
    if form.validate():
        try:
            totp.disable(db.session, current_user, form.password.data)
        except InvalidInput as error:
            db.session.rollback()
            flash(" ".join(error.errors.values()), "error")
        else:
            db.session.commit()
            flash(_l("Two-factor sign-in is off."), "success")
    return redirect(url_for("account.show")), 303
