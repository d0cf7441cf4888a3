"""Interface language: Swedish first, English second, chosen per user or per session."""

from __future__ import annotations

from flask import Blueprint, current_app, has_request_context, redirect, request, session, url_for
from flask_login import current_user

from portal.extensions import db

LOCALES = ("sv", "en")
# The locale each language formats dates, times and numbers in: English in British
# conventions (28 Nov 2026, 18:20), not American ones (11/28/26, 6:20 PM).
FORMATS = {"sv": "sv_SE", "en": "en_GB"}

blueprint = Blueprint("locale", __name__)


def select_locale() -> str:
    """The signed-in user's choice, else this session's, else the configured default
    (which is also the language of command-line output), as the locale it formats in
    (`FORMATS`); translations are found by its language."""
    language = _language()
    return FORMATS.get(language, language)


def _language() -> str:
    if not has_request_context():
        return current_app.config["DEFAULT_LOCALE"]
    user = current_user._get_current_object()  # once through the proxy: every request asks
    if user and getattr(user, "is_authenticated", False) and user.locale in LOCALES:
        return user.locale
    if session.get("locale") in LOCALES:
        return session["locale"]
    return current_app.config["DEFAULT_LOCALE"]


@blueprint.post("/language")
def choose():
    """Switch language and go back to the page the switch was pressed on."""
    chosen = request.form.get("locale")
    if chosen in LOCALES:
        session["locale"] = chosen
        if current_user.is_authenticated:
            current_user.locale = chosen
            db.session.commit()
    target = request.form.get("next") or ""
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("home.index")
    return redirect(target)
