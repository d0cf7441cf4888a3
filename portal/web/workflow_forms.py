"""The forms of a referral's workflow steps, and the one way their refusals are shown.

Every step on the referral page (the workflow's actions, the supervisor's answer to an
offer, the offer itself) is a form here. When the step is refused (a guard, a date, the
state changed meanwhile) the referral page is shown again with the message beside that
step and the user's input kept (`render_referral`), never an error page. A step a guard
refuses whatever is entered is shown disabled with the guard's reason (and a link to what
resolves it, for guards marked `steps.fixed_by`); a step that ends the case asks for a
confirmation checkbox; a note a guard requires (`steps.input_required`) is marked so, and
the fields a step asks for (`Transition.fields`) come before its note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from flask import flash, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.domain import vocabulary
from portal.domain.calendar import local_today
from portal.domain.errors import InvalidInput
from portal.domain.matching import none_listed
from portal.domain.matching import page as matching
from portal.domain.referrals.fields import ReferralField
from portal.domain.referrals.page import ReferralPage, load_page
from portal.domain.referrals.transitions import Refused
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.models import Referral

from . import pages
from .forms import answer_field, choices, show_errors

OFFER, ACCEPT, DECLINE, WIDEN = "offer", "accept", "decline", "widen"  # the steps with forms of their own


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note (optional)"), validators=[Length(max=2000)])


class StartForm(NoteForm):
    start_date = DateField(_l("Start date"), validators=[Optional()])  # today when left out


class OutcomeForm(NoteForm):
    outcome = SelectField(_l("Outcome"), validators=[InputRequired(_l("Choose the outcome."))])
    end_date = DateField(_l("End date"), validators=[Optional()])  # today when left out

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome.choices = choices(vocabulary.OUTCOMES, prompt=_l("Choose…"))


class AcceptForm(FlaskForm):
    start_date = DateField(_l("Planned start"), validators=[Optional()])
    note = TextAreaField(_l("Note (optional)"), validators=[Length(max=2000)])


class DeclineForm(FlaskForm):
    reason = SelectField(_l("Reason"), validators=[InputRequired(_l("Choose a reason for declining."))])
    note = TextAreaField(_l("More about the reason (optional)"), validators=[Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = choices(vocabulary.DECLINE_REASONS, prompt=_l("Choose…"))


FORMS = {
    "start": StartForm,
    "complete": OutcomeForm,
    "discontinue": OutcomeForm,
    ACCEPT: AcceptForm,
    DECLINE: DeclineForm,
}
CONFIRM = _l("Yes, I want to do this. It cannot be undone.")


@cache
def confirmed(form_class: type[FlaskForm]) -> type[FlaskForm]:
    """`form_class` with a required confirmation checkbox: for steps that end the case."""
    checkbox = BooleanField(CONFIRM, validators=[InputRequired(_l("Tick the box to confirm."))])
    return type(f"Confirmed{form_class.__name__}", (form_class,), {"confirm": checkbox})


def step_form_class(workflow, name: str) -> type[FlaskForm]:
    """The form of step `name` in `workflow` (None: a step the workflow does not have),
    with the fields the step asks for (`Transition.fields`, named in ``answer_keys``)."""
    form_class = FORMS.get(name, NoteForm)
    transition = workflow.transition(name) if workflow is not None else None
    if transition is None:
        return form_class
    target = workflow.state(transition.target)
    if target is not None and (target.ended or target.terminal):
        form_class = confirmed(form_class)
    asked = {item.name: answer_field(item) for item in transition.fields if isinstance(item, ReferralField)}
    if not asked:
        return form_class
    return type(f"Answers{form_class.__name__}", (form_class,), {**asked, "answer_keys": tuple(asked)})


def answers(form: FlaskForm) -> dict[str, object]:
    """What the user answered to the step's own fields, for `transitions.fire`."""
    return {key: form[key].data for key in getattr(form, "answer_keys", ())}


def posted_form(referral_id: int, name: str) -> tuple[FlaskForm, bool]:
    """The submitted form of step `name` on the referral (read before the write begins), and
    whether the step is one the user's role may take in the referral's state: if not, the
    domain's refusal (403, 404, 409) answers, not the form's checks."""
    referral = db.session.get(Referral, referral_id)
    workflow = None
    if referral is not None:
        workflow = pages.engine().registry.get(referral.workflow_name, referral.workflow_version)
    transition = workflow.transition(name) if workflow is not None else None
    offered = transition is not None and current_user.role in transition.roles and referral.state in transition.sources
    return step_form_class(workflow, name)(), offered


@dataclass
class Failure:
    """A step the user tried that was refused: which one, the form as they sent it
    (its fields carry their errors) and the message that concerns no single field."""

    step: str
    form: FlaskForm
    messages: list = field(default_factory=list)
    error: Exception | None = None  # what refused it, answered as before if the page cannot be shown

    @classmethod
    def of(cls, step: str, form: FlaskForm, error: Exception | None = None) -> Failure:
        failure = cls(step, form, error=error)
        if isinstance(error, InvalidInput):
            show_errors(form, error)
            failure.messages = list(form.form_errors)
        elif isinstance(error, Refused):
            target = getattr(form, error.field, None) if error.field else None
            if target is not None:
                target.errors = [*target.errors, error.message] if isinstance(target.errors, list) else [error.message]
            else:
                failure.messages.append(error.message)
        return failure


def _prepared(form: FlaskForm, step: str, view: ReferralPage, transition=None) -> FlaskForm:
    """Ids unique on the page (``start-note``) and a note a guard requires marked so."""
    for item in form:
        item.id = f"{step}-{item.name}"
        item.label.field_id = item.id
    if transition is not None and view.requires(transition, "note"):
        form.note.label.text = _l("Note (required)")
        form.note.flags.required = True
    for item in transition.fields if transition is not None else ():
        if getattr(item, "required", False):
            form[item.name].flags.required = True
    return form


def step_forms(view: ReferralPage, failure: Failure | None) -> dict[str, FlaskForm]:
    """A form for every step the page offers, the refused one as the user sent it."""
    today = local_today()
    forms = {}
    for transition in view.actions:
        name = transition.name
        if failure is not None and failure.step == name:
            form = failure.form
        else:
            data = {"start_date": today, "end_date": today}
            if view.end_report is not None and view.reports_end(transition):
                data["outcome"] = view.end_report.outcome  # the end report's result at exit, as the step would take it
            form = step_form_class(view.workflow, name)(formdata=None, data=data)
        forms[name] = _prepared(form, name, view, transition)
    if view.my_open_offer is not None:
        for name in (ACCEPT, DECLINE):
            form = failure.form if failure is not None and failure.step == name else FORMS[name](formdata=None)
            forms[name] = _prepared(form, name, view)
    if view.can_offer:
        forms[OFFER] = _prepared(
            failure.form if failure is not None and failure.step == OFFER else NoteForm(formdata=None), OFFER, view
        )
    return forms


FIXES = {
    "consent": (_l("Record the consent first"), "participants.show", "participant_id", "consent-heading"),
    "plan": (_l("Open the plan"), "follow_up.plan", "referral_id", None),
    "end_report": (_l("Open the end report page"), "end_reports.show", "referral_id", None),
}


def fix_link(view: ReferralPage, fix: str | None):
    """(text, address) of what resolves a guard's refusal (`steps.fixed_by`), or None."""
    if fix not in FIXES:
        return None
    text, endpoint, argument, anchor = FIXES[fix]
    ids = {"participant_id": view.referral.participant_id, "referral_id": view.referral.id}
    return text, url_for(endpoint, **{argument: ids[argument]}, _anchor=anchor)


def render_referral(referral_id: int, failure: Failure | None = None, status: int = 200):
    """The referral page (`templates/referrals/show.html`); with `failure`, the refused
    step's message and input beside it. Nothing of the refused step is saved."""
    if failure is not None:
        db.session.rollback()
    engine = pages.engine()
    try:
        view = load_page(db.session, engine, current_user, referral_id)
    except Refused:
        if failure is None or failure.error is None:
            raise
        db.session.rollback()
        raise failure.error from None  # the refused user no longer sees the referral: the error page
    candidates = matching.panel(db.session, engine, view.referral) if view.can_offer else []
    return pages.read_page(
        "referrals/show.html",
        status,
        view=view,
        candidates=candidates,
        why_none=none_listed.why_none(db.session, engine, view.referral, current_user)
        if view.can_offer and not candidates
        else None,
        forms=step_forms(view, failure),
        failure=failure,
        fix_link=fix_link,
        today=local_today(),
    )


def take_step(
    referral_id: int, step: str, form: FlaskForm, action, done, to: str | None = None, *, validate: bool = True
):
    """Run `action`, a step taken on the referral page, once `form` is valid (unless not
    asked to `validate` it), and commit: `done` is flashed (a function of what `action`
    returns, or the text itself) and the answer goes `to` the address given, else back to
    the referral. Refused there, the referral page again with the refusal beside the step
    and the input kept: 400 for what was entered, 409 when the referral moved on
    meanwhile; any other refusal (404, 403) is the error page."""
    if validate and not form.validate():
        return render_referral(referral_id, Failure.of(step, form), 400)
    try:
        result = action()
    except InvalidInput as error:
        return render_referral(referral_id, Failure.of(step, form, error), 400)
    except Refused as error:
        if error.status != 409:
            raise
        return render_referral(referral_id, Failure.of(step, form, error), 409)
    message = done(result) if callable(done) else done
    db.session.commit()
    flash(message, "success")
    return redirect(to or url_for("referrals.show", referral_id=referral_id)), 303
