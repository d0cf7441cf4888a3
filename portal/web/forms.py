"""Form helpers shared by the blueprints: vocabulary choices, domain errors on fields, and
integers held to what the database can store.

Every integer that arrives in an address, a query or a form is bounded (`MAX_INTEGER`,
PostgreSQL's `integer`): a larger one is no row anyone has, so a path answers 404 (the
`int` converter), a page number 404 and a form field 400, never a database error.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask import abort, flash, request
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from werkzeug.routing import IntegerConverter
from wtforms import DateField, EmailField, PasswordField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms import IntegerField as _IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.domain.errors import InvalidInput
from portal.domain.referrals.fields import FieldKind, ReferralField
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.models.base import MAX_INTEGER


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (shown with the `choice_group` macro)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def sign_in_email() -> EmailField:
    """The address a person signs in with (sign-in, forgotten password): one wording."""
    return EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Email(_l("Enter an e-mail address like name@example.se.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "username"},
    )


def new_password() -> tuple[PasswordField, PasswordField]:
    """A new password and the same again (the account page, a one-time link)."""
    return (
        PasswordField(
            _l("New password"),
            validators=[DataRequired(_l("Choose a password.")), Length(max=1024)],
            description=_l("At least 12 characters. A few unrelated words together make a good password."),
            render_kw={"autocomplete": "new-password"},
        ),
        PasswordField(
            _l("The new password again"),
            validators=[DataRequired(_l("Write the password again.")), Length(max=1024)],
            render_kw={"autocomplete": "new-password"},
        ),
    )


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
    InvalidInput roll back (nothing half-written) and put its messages at the fields.

    A unique key the database refuses means someone saved the same at the same moment
    (a double click, two tabs, two colleagues): the checks before the insert found
    nothing then. The action runs once more, in a new transaction that sees what the
    other saved, so that its own check says at the field what is taken; should the
    database refuse again, the form says so at the top. Never a server error, and the
    form keeps what was typed. An action may therefore run twice: handlers that collect
    its result read the last one."""
    if not form.validate_on_submit():
        return False
    for _attempt in range(2):
        try:
            action()
            db.session.commit()
            return True
        except InvalidInput as error:
            db.session.rollback()
            show_errors(form, error)
            return False
        except IntegrityError:
            db.session.rollback()
    form.form_errors.append(_l("Someone saved the same at the same moment. Check the list, then try again."))
    return False


class BoundedIntegerConverter(IntegerConverter):
    """The `<int:…>` converter of every route (core's and plugins'): at most ten digits
    and at most `MAX_INTEGER`, else the address matches nothing (404)."""

    regex = r"\d{1,10}"

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits, min, MAX_INTEGER if max is None else max, signed)


def bounded_int(value) -> int:
    """`int(value)` within ±`MAX_INTEGER`; ValueError otherwise (a form field's coerce)."""
    text = str(value).strip()
    if len(text) > 11:
        raise ValueError(value)
    number = int(text)
    if abs(number) > MAX_INTEGER:
        raise ValueError(value)
    return number


class IntegerField(_IntegerField):
    """WTForms' IntegerField, refusing (a field error, so 400) what the database cannot hold."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and abs(self.data) > MAX_INTEGER:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value."))


def page_number(name: str = "page") -> int:
    """The page number in the query (1 when missing or not a number); 404 beyond `MAX_INTEGER`."""
    raw = request.args.get(name, "")
    if not raw.strip().lstrip("-").isdigit():
        return 1
    try:
        return max(1, bounded_int(raw))
    except ValueError:
        abort(404)


def row_id(value) -> int | None:
    """A row's id as chosen in a form or given in a query: anything but digits, or a
    number larger than the database stores (no row has it), is None."""
    text = str(value or "")
    return int(text) if text.isdigit() and int(text) <= MAX_INTEGER else None


def query_id(name: str) -> int | None:
    """`row_id` of the query's `name`: a list's filter, left out when malformed."""
    return row_id(request.args.get(name, "").strip())


def query_date(name: str) -> date | None:
    """The query's `name` as a date (``YYYY-MM-DD``): a list's filter, left out (None)
    when missing or malformed, never an error."""
    try:
        return date.fromisoformat(request.args.get(name, "").strip())
    except ValueError:
        return None


def answer_field(item: ReferralField):
    """The form field of a plugin's structured question (`fields.ReferralField`: on the
    referral form, the end report, a workflow step). It only parses (Optional): the
    domain's `fields.clean` decides what is required and valid."""
    options = {"label": item.label, "description": item.help or None, "validators": [Optional()]}
    if item.kind == FieldKind.CHOICE:
        return SelectField(choices=choices(dict(item.choices), sort=False, prompt=_l("Choose…")), **options)
    if item.kind == FieldKind.YES_NO:
        return RadioField(choices=choices({"yes": _l("Yes"), "no": _l("No")}, sort=False), **options)
    if item.kind == FieldKind.DATE:
        return DateField(**options)
    if item.kind == FieldKind.NUMBER:
        return IntegerField(**options)
    return StringField(**options)
