"""Blueprints, one per area. Handlers are thin: parse input, call the domain, render."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from markupsafe import Markup, escape

from portal.kept import kept


def register_blueprints(app: Flask) -> None:
    from . import (
        accounts,
        attendance,
        audit,
        auth,
        directory,
        end_reports,
        errors,
        follow_up,
        health,
        home,
        lists,
        locale,
        matching,
        meetings,
        messages,
        navigation,
        notifications,
        offers,
        participants,
        people,
        plugins,
        progress,
        referrals,
        refusals,
        security,
        sessions,
        training,
        transactions,
    )

    for module in (
        auth,
        accounts,
        audit,
        people,
        home,
        lists,
        locale,
        health,
        notifications,
        participants,
        referrals,
        attendance,
        progress,
        messages,
        offers,
        follow_up,
        meetings,
        end_reports,
        plugins,
        matching,
        directory,
        training,
    ):
        app.register_blueprint(module.blueprint)
    transactions.register(app)  # first: before anything the request reads
    navigation.register(app)
    errors.register(app)
    security.register(app)
    sessions.register(app)
    accounts.require_two_factor(app)
    refusals.register(app)
    auth.register_user_loader()
    auth.limit_sign_in(app)
    _template_globals(app)


def _answer_by(deadline) -> str:
    """A deadline as a person reads it: "fredag 5 december" when it ends a day (all of that
    day is left to answer), else its date and time."""
    from flask_babel import format_datetime

    from portal.domain.calendar import ends_a_day, last_day
    from portal.i18n import format_date

    if ends_a_day(deadline):
        return format_date(last_day(deadline), "EEEE d MMMM")
    return format_datetime(deadline, "short")


def _choice_pairs(options, label=None) -> list[tuple]:
    """A choice's options as (value, text): a mapping's items, records' ids and names,
    values and `label(value)`, or strings as both."""
    if isinstance(options, Mapping):
        return list(options.items())
    if label is not None:
        return [(option, label(option)) for option in options]
    return [(option, option) if isinstance(option, str) else (option.id, option.name) for option in options]


_OPTIONS: dict = {}  # a select's options as markup, by their (value, text) pairs and the chosen value


def _option_tags(options, chosen, label=None) -> Markup:
    """A `<select>`'s options (`_choice_pairs`) as `<option>` elements, `chosen` selected,
    values and texts escaped: written in Python rather than option by option in the
    template (a dozen Python calls each), and kept by the pairs and the chosen value, as
    a list's filter offers the same 49 municipalities on every request (bench/README.md,
    pages). The same markup the templates wrote."""
    pairs = tuple(_choice_pairs(options, label))
    return kept(
        _OPTIONS,
        (pairs, chosen),
        lambda: Markup(
            "".join(
                f'<option value="{escape(value)}"{" selected" if value == chosen else ""}>{escape(text)}</option>'
                for value, text in pairs
            )
        ),
    )


def _template_globals(app: Flask) -> None:
    """Names every template and macro may use: the vocabularies, the workflows' state
    labels (plugins add states) and the current language."""
    from flask_babel import format_decimal, get_locale

    from portal.domain import vocabulary

    registry = app.extensions["portal.engine"].registry
    app.jinja_env.globals.update(
        vocabulary=vocabulary,
        label=vocabulary.label,
        state_label=registry.state_label,
        state_names=registry.state_names,
    )
    app.jinja_env.filters["format_decimal"] = format_decimal
    app.jinja_env.filters["answer_by"] = _answer_by
    app.jinja_env.filters["option_tags"] = _option_tags
    app.context_processor(lambda: {"current_locale": get_locale().language})
