"""Form helpers shared by the blueprints: vocabulary choices and domain errors on fields."""

from __future__ import annotations

from collections.abc import Iterable

from flask import flash
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from portal.domain.errors import InvalidInput
from portal.extensions import db


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (shown with the `choice_group` macro)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def choices(vocabulary: dict, *, sort: bool = True, prompt=None) -> list[SelectChoice]:
    """Options from a {code: label} mapping, by label unless `sort` is off, with an
    optional first empty option that asks the user to choose."""
    pairs: Iterable = vocabulary.items()
    if sort:
        pairs = sorted(pairs, key=lambda pair: str(pair[1]))
    options = [SelectChoice(code, text) for code, text in pairs]
    return ([SelectChoice("", prompt)] if prompt else []) + options


def show_errors(form: FlaskForm, error: InvalidInput) -> None:
    """Put the domain's messages beside the fields they concern (or at the top)."""
    for name, message in error.errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
        else:
            form.form_errors.append(message)


def flash_errors(errors: dict) -> None:
    """Flash every message of a form's or the domain's errors (forms whose fields are
    not on the page the user returns to)."""
    messages = []
    for value in errors.values():
        messages.extend(str(item) for item in (value if isinstance(value, list | tuple) else [value]))
    flash(" ".join(messages), "error")


def saved(form: FlaskForm, action) -> bool:
    """If the form was posted and is valid, run `action` and commit; on the domain's
    InvalidInput roll back (nothing half-written) and put its messages at the fields."""
    if not form.validate_on_submit():
        return False
    try:
        action()
    except InvalidInput as error:
        db.session.rollback()
        show_errors(form, error)
        return False
    db.session.commit()
    return True
