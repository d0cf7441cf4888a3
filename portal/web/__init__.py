"""Blueprints, one per area. Handlers are thin: parse input, call the domain, render."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import auth, errors, health, home, locale

    for module in (auth, home, locale, health):
        app.register_blueprint(module.blueprint)
    errors.register(app)
    auth.register_user_loader()
    app.context_processor(_template_globals)


def _template_globals() -> dict:
    from flask_babel import get_locale

    from ..domain import vocabulary

    return {"current_locale": str(get_locale()), "vocabulary": vocabulary, "label": vocabulary.label}
