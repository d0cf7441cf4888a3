"""Extra referral fields that regional plugins ask for (`portal_referral_fields`).

A plugin declares `ReferralField`s for a region, and may add `FieldCheck`s across its own
fields; the referral form shows the fields of the plugins enabled for the referral's
region, this module validates the answers (each field, then each check) and stores each
as text under (plugin, field name), and the referral page and exports read them back.
A plugin reads its own answers as typed values with `answers_of`. Answers are kept when
a plugin is disabled or removed: they are part of the case.

Stored text, by kind: "text" and "choice" as given (a choice's code), "yes-no" as
``"yes"``/``"no"``, "date" as ISO ``YYYY-MM-DD``, "number" as the integer's digits.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.errors import InvalidInput
from portal.i18n import lazy_gettext as _
from portal.models import ReferralFieldValue

NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_TEXT = 2000


class FieldKind(enum.StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    YES_NO = "yes-no"
    DATE = "date"
    NUMBER = "number"  # a whole number


@dataclass(frozen=True)
class ReferralField:
    """One question on the referral form.

    :param name: lower-case identifier, unique within the plugin (at most 40 characters).
    :param label: the question, a lazy translated string.
    :param kind: one of `FieldKind` ("text", "choice", "yes-no", "date", "number").
    :param required: the draft cannot be saved without an answer.
    :param choices: for "choice": (code, label) pairs; codes are what is stored.
    :param help: a hint shown under the label.
    """

    name: str
    label: object
    kind: str = FieldKind.TEXT
    required: bool = False
    choices: tuple[tuple[str, object], ...] = ()
    help: object = ""


@dataclass(frozen=True)
class FieldCheck:
    """A check across one plugin's fields, returned among its `ReferralField`s.

    :param check: ``check(answers) -> {field name: message}``; `answers` holds the plugin's
        own fields in the region by name, as typed values (see `typed`; None: no answer).
        Return an empty mapping (or None) when all is well; each message is shown at the
        field it is keyed by. Runs only when each of the plugin's fields is valid on its own.

    >>> needs_language = FieldCheck(
    ...     lambda answers: {"language": "Which language?"} if answers["interpreter"] and not answers["language"] else {}
    ... )
    >>> needs_language.check({"interpreter": True, "language": None})
    {'language': 'Which language?'}
    """

    check: Callable[[Mapping[str, object]], Mapping[str, object] | None]


class RegionFields(list):
    """The `DeclaredField`s of a region, in order, and in `checks` the (plugin, `FieldCheck`)
    pairs that go with them."""

    def __init__(self, fields: Iterable[DeclaredField] = (), checks: Iterable[tuple[str, FieldCheck]] = ()):
        super().__init__(fields)
        self.checks = list(checks)


@dataclass(frozen=True)
class DeclaredField:
    """A field with the plugin that declared it; `key` names it in forms and exports
    (``"plugin.name"``; a workflow step's own fields, with no plugin: the name)."""

    plugin: str
    field: ReferralField

    @property
    def key(self) -> str:
        return f"{self.plugin}.{self.field.name}" if self.plugin else self.field.name


@dataclass(frozen=True)
class ShownAnswer:
    label: object
    value: object  # text, a number, a choice's label, or a date

    @property
    def is_date(self) -> bool:
        return isinstance(self.value, date)


def problems(fields: Iterable) -> list[str]:
    """What is wrong with a plugin's declared fields (checked at start-up)."""
    found, names = [], set()
    for item in fields:
        if isinstance(item, FieldCheck):
            if not callable(item.check):
                found.append(f"{item!r} has no check(answers) function")
            continue
        if not isinstance(item, ReferralField):
            found.append(f"{item!r} is not a ReferralField or a FieldCheck")
            continue
        if not NAME.match(item.name or ""):
            found.append(f"field name {item.name!r} must be lower-case letters, digits and _ (at most 40)")
        if item.name in names:
            found.append(f"field {item.name!r} is declared twice")
        names.add(item.name)
        if item.kind not in set(FieldKind):
            found.append(f"field {item.name!r} has unknown kind {item.kind!r}")
        codes = [code for code, _label in item.choices]
        if item.kind == FieldKind.CHOICE and not codes:
            found.append(f"choice field {item.name!r} has no choices")
        if item.kind != FieldKind.CHOICE and codes:
            found.append(f"field {item.name!r} of kind {str(item.kind)!r} cannot have choices")
        if len(set(codes)) != len(codes):
            found.append(f"field {item.name!r} repeats a choice")
    return found


def declared(caller, region_code: str) -> RegionFields:
    """The fields (and checks) a `portal_referral_fields` hook caller answers, with their plugins."""
    from portal.plugins import call_each

    fields, checks = [], []
    for plugin, items in call_each(caller, region_code=region_code):
        for item in items:
            if isinstance(item, FieldCheck):
                checks.append((plugin, item))
            else:
                fields.append(DeclaredField(plugin, item))
    return RegionFields(fields, checks)


def for_region(session: Session, engine, region_code: str) -> RegionFields:
    """The fields a referral written in the region asks for: enabled plugins' only."""
    return declared(engine.region_hook(session, region_code).portal_referral_fields, region_code)


def clean(
    fields: list[DeclaredField], answers: Mapping[str, object], found: Mapping[str, object] | None = None
) -> dict[str, str | None]:
    """Check the answers (keyed by `DeclaredField.key`), each field and then each plugin's
    `FieldCheck`s, and turn each into its stored text (None: no answer). Raises
    `InvalidInput` keyed the same way, so that every message is shown at its field;
    `found` is what the caller's own checks of the same form found, raised with these so
    that the form shows every message at once."""
    cleaned, errors = {}, {}
    for declared_field in fields:
        try:
            cleaned[declared_field.key] = as_text(declared_field.field, answers.get(declared_field.key))
        except ValueError as error:
            errors[declared_field.key] = error.args[0]
    for plugin, field_check in getattr(fields, "checks", ()):
        own = [item for item in fields if item.plugin == plugin]
        if not own or any(item.key in errors for item in own):
            continue
        typed_answers = {item.field.name: typed(item.field, cleaned[item.key]) for item in own}
        keys = {item.field.name: item.key for item in own}
        for name, message in (field_check.check(typed_answers) or {}).items():
            errors.setdefault(keys.get(name, own[0].key), message)
    if errors or found:
        raise InvalidInput({**(found or {}), **errors})
    return cleaned


def clean_named(items: Iterable, answers: Mapping[str, object]) -> dict[str, str | None]:
    """`clean` for fields of no plugin, keyed by their names: a workflow step's
    `Transition.fields` (its `ReferralField`s, then its `FieldCheck`s)."""
    own = RegionFields(
        [DeclaredField("", item) for item in items if isinstance(item, ReferralField)],
        [("", item) for item in items if isinstance(item, FieldCheck)],
    )
    return clean(own, answers)


def value(item: ReferralField, raw: object, *, message: object = None):
    """The one check of a structured answer, for forms of core's own too (a meeting's
    kind and date, a plan's hours): `raw` as its typed value (see `typed`), or
    `ValueError` with the message for the field (`message`, when given, in its stead)."""
    try:
        return typed(item, as_text(item, raw))
    except ValueError:
        if message is None:
            raise
        raise ValueError(message) from None


def as_text(item: ReferralField, raw: object) -> str | None:
    """Check one answer (a form's text, or a date, number or bool) against its field and
    give its stored text (None: no answer), or `ValueError` with the message to show."""
    if isinstance(raw, str):
        raw = raw.strip()
    if raw is None or raw == "":
        if item.required:
            raise ValueError(_("Answer this question."))
        return None
    if item.kind == FieldKind.CHOICE:
        if raw not in {code for code, _label in item.choices}:
            raise ValueError(_("Choose one of the options."))
        return raw
    if item.kind == FieldKind.YES_NO:
        value = {True: "yes", False: "no"}.get(raw, raw) if isinstance(raw, bool) else raw
        if value not in ("yes", "no"):
            raise ValueError(_("Answer yes or no."))
        return value
    if item.kind == FieldKind.DATE:
        try:
            return (raw if isinstance(raw, date) else date.fromisoformat(str(raw))).isoformat()
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
    if item.kind == FieldKind.NUMBER:
        if isinstance(raw, bool) or not re.fullmatch(r"-?\d{1,15}", str(raw)):
            raise ValueError(_("Enter a whole number."))
        return str(int(raw))
    if len(str(raw)) > MAX_TEXT:
        raise ValueError(_("At most 2000 characters."))
    return str(raw)


def typed(item: ReferralField, text: str | None):
    """A stored answer as a plugin reads it: None (no answer), True/False for "yes-no",
    a `date`, an `int`, or the text (a choice's code)."""
    if text is None:
        return None
    if item.kind == FieldKind.YES_NO:
        return text == "yes"
    return parse(item, text)


def answers_of(session: Session, engine, referral_id: int, plugin: str) -> dict[str, object]:
    """The plugin's own stored answers for a referral, by field name, as typed values (see
    `typed`); a field that was not answered is left out. Answers to fields the plugin no
    longer declares in any region are given as their stored text."""
    definitions = _definitions(engine)
    stored = stored_answers(session, [referral_id]).get(referral_id, {})
    prefix = f"{plugin}."
    return {
        key[len(prefix) :]: typed(definitions[key].field, text) if key in definitions else text
        for key, text in stored.items()
        if key.startswith(prefix)
    }


def parse(item: ReferralField, text: str):
    """A stored answer as the form shows it (a date, a number, or the text itself)."""
    if item.kind == FieldKind.DATE:
        return date.fromisoformat(text)
    if item.kind == FieldKind.NUMBER:
        return int(text)
    return text


def store(session: Session, referral_id: int, fields: list[DeclaredField], cleaned: Mapping[str, str | None]) -> None:
    """Write the answers of `fields`; an empty answer removes a stored one. Answers to
    fields not in `fields` (a plugin since disabled) are left as they are."""
    keys = {(item.plugin, item.field.name): item.key for item in fields}
    existing = {
        (row.plugin, row.name): row
        for row in session.scalars(select(ReferralFieldValue).where(ReferralFieldValue.referral_id == referral_id))
    }
    for (plugin, name), key in keys.items():
        row, value = existing.get((plugin, name)), cleaned.get(key)
        if value is None and row is not None:
            session.delete(row)
        elif value is not None and row is None:
            session.add(ReferralFieldValue(referral_id=referral_id, plugin=plugin, name=name, value=value))
        elif value is not None:
            row.value = value


def initial(session: Session, referral_id: int, fields: list[DeclaredField]) -> dict[str, object]:
    """Stored answers of `fields`, keyed and typed for the form."""
    stored = stored_answers(session, [referral_id]).get(referral_id, {})
    return {item.key: parse(item.field, stored[item.key]) for item in fields if item.key in stored}


def stored_answers(session: Session, referral_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """{referral id: {"plugin.name": stored text}} in one query."""
    answers: dict[int, dict[str, str]] = {}
    query = (
        select(ReferralFieldValue)
        .where(ReferralFieldValue.referral_id.in_(list(referral_ids)))
        .order_by(ReferralFieldValue.referral_id, ReferralFieldValue.id)
    )
    for row in session.scalars(query):
        answers.setdefault(row.referral_id, {})[f"{row.plugin}.{row.name}"] = row.value
    return answers


def export_values(session: Session, engine, referral_ids: Iterable[int]) -> dict[int, dict[str, object]]:
    """For exports: {referral id: {"plugin.name": value}}, values as shown (a choice's
    label, "yes"/"no" translated, dates as dates). Fields are labelled by `labels`."""
    stored = stored_answers(session, referral_ids)
    definitions = _definitions(engine)
    return {
        referral_id: {key: shown_value(definitions.get(key), text) for key, text in answers.items()}
        for referral_id, answers in stored.items()
    }


def labels(engine) -> dict[str, object]:
    """{"plugin.name": label} of every installed plugin's fields in any region (export headings)."""
    return {key: item.field.label for key, item in _definitions(engine).items()}


def shown(session: Session, engine, referral_id: int) -> list[ShownAnswer]:
    """The referral's stored answers as the referral page lists them."""
    definitions = _definitions(engine)
    answers = stored_answers(session, [referral_id]).get(referral_id, {})
    return [
        ShownAnswer(
            definitions[key].field.label if key in definitions else key, shown_value(definitions.get(key), text)
        )
        for key, text in answers.items()
    ]


def _definitions(engine) -> dict[str, DeclaredField]:
    """Every installed plugin's fields, in every region, by key: an answer is shown with
    its question even when the plugin is no longer enabled where it was given."""
    from portal.domain.geography import region_codes

    found: dict[str, DeclaredField] = {}
    for code in region_codes():
        for item in declared(engine.hook.portal_referral_fields, code):
            found.setdefault(item.key, item)
    return found


def shown_value(declared_field: DeclaredField | None, text: str) -> object:
    """A stored answer as a page shows it: a choice's label, yes or no, a date or a number."""
    if declared_field is None:
        return text
    item = declared_field.field
    if item.kind == FieldKind.CHOICE:
        return dict(item.choices).get(text, text)
    if item.kind == FieldKind.YES_NO:
        return _("Yes") if text == "yes" else _("No")
    return parse(item, text)


def shown_named(items: Iterable, stored: Mapping[str, str]) -> list[ShownAnswer]:
    """Answers stored by field name (a workflow step's, on the timeline) as pages show
    them, labelled by `items`; an answer to a field no longer asked for is shown as stored."""
    by_name = {item.name: DeclaredField("", item) for item in items if isinstance(item, ReferralField)}
    return [
        ShownAnswer(by_name[name].field.label if name in by_name else name, shown_value(by_name.get(name), text))
        for name, text in stored.items()
    ]
