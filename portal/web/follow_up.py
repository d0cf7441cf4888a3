"""Following a placement: the plan page, where the supervisor drafts the plan and the
caseworker approves it or sends it back."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from portal.domain.errors import InvalidInput
from portal.domain.follow_up import plans
from portal.extensions import db
from portal.i18n import lazy_gettext as _l

from .forms import IntegerField, bounded_int, show_errors
from .pages import engine, read_page

blueprint = Blueprint("follow_up", __name__)


class VersionedForm(FlaskForm):
    """A form written on a version of the plan, which it carries back."""

    version = HiddenField(default="0")

    def seen_version(self) -> int:
        try:
            return bounded_int(self.version.data or "0")
        except ValueError:
            return -1  # never a version: refused as changed by someone else


class PlanForm(VersionedForm):
    goals = TextAreaField(_l("Goals"), validators=[Length(max=6000)], description=_l("One concrete goal per line."))
    activities = TextAreaField(_l("Activities"), validators=[Length(max=4000)])
    hours_per_week = IntegerField(
        _l("Hours per week"),
        validators=[
            InputRequired(_l("Enter between 1 and 40 hours per week.")),
            NumberRange(1, 40, _l("Enter between 1 and 40 hours per week.")),
        ],
    )
    schedule = TextAreaField(
        _l("Schedule (optional)"), validators=[Length(max=2000)], description=_l("Days and times, e.g. Mon-Thu 9-13.")
    )
    save = SubmitField(_l("Save the draft"))
    send = SubmitField(_l("Send to the caseworker for approval"))

    def draft(self) -> plans.PlanDraft:
        return plans.PlanDraft(
            goals=plans.goal_lines(self.goals.data),
            activities=self.activities.data or "",
            hours_per_week=self.hours_per_week.data,
            schedule=self.schedule.data or "",
        )


class DecisionForm(VersionedForm):
    comment = TextAreaField(
        _l("Comment"), validators=[Length(max=2000)], description=_l("Required when you send the plan back.")
    )
    approve = SubmitField(_l("Approve the plan"))
    send_back = SubmitField(_l("Send back to the supervisor"))


def _settings():
    return engine().settings


def _plan_form(page: plans.PlanPage) -> PlanForm:
    latest = page.latest
    if latest is None:
        placement = page.referral.placement
        return PlanForm(
            formdata=None,
            data={"goals": page.referral.goal, "hours_per_week": placement.hours_per_week, "version": "0"},
        )
    return PlanForm(
        formdata=None,
        data={
            "goals": "\n".join(latest.goals),
            "activities": latest.activities,
            "hours_per_week": latest.hours_per_week,
            "schedule": latest.schedule or "",
            "version": str(latest.number),
        },
    )


def _render(page: plans.PlanPage, plan_form: PlanForm, decision_form: DecisionForm, status: int = 200):
    return read_page("follow_up/plan.html", status, page=page, plan_form=plan_form, decision_form=decision_form)


def _posted(form: VersionedForm, referral_id: int, action, done) -> int | None:
    """Run `action` (`plans.save` or `plans.decide`, the form's own answers bound) for a
    valid form, on the version the form was written on, and commit; None when done (`done` is
    flashed). Otherwise roll back and answer the status to render the form with: 400 with
    messages at the fields, 409 when someone changed the plan in between."""
    if not form.validate():
        return 400
    try:
        action(db.session, _settings(), current_user, referral_id, seen_version=form.seen_version())
    except InvalidInput as error:
        db.session.rollback()
        show_errors(form, error)
        return 400
    except plans.PlanChanged as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        return 409
    db.session.commit()
    flash(done, "success")
    return None


@blueprint.route("/referrals/<int:referral_id>/plan", methods=["GET", "POST"])
@login_required
def plan(referral_id: int):
    """The plan page; a POST saves the supervisor's draft (one route for both: an address
    that matches no referral then answers 404 whatever the method)."""
    if request.method == "GET":
        page = plans.load(db.session, current_user, referral_id)
        return _render(page, _plan_form(page), DecisionForm(formdata=None, data={"version": str(page.version)}))
    form = PlanForm()
    sending = bool(form.send.data)
    status = _posted(
        form,
        referral_id,
        partial(plans.save, draft=form.draft(), submit=sending),
        _l("The plan has been sent for approval.") if sending else _l("The draft has been saved."),
    )
    if status is None:
        return redirect(url_for("follow_up.plan", referral_id=referral_id)), 303
    page = plans.load(db.session, current_user, referral_id)
    return _render(page, form, DecisionForm(formdata=None, data={"version": str(page.version)}), status)


@blueprint.post("/referrals/<int:referral_id>/plan/decision")
@login_required
def decide_plan(referral_id: int):
    form = DecisionForm()
    approving = bool(form.approve.data)
    status = _posted(
        form,
        referral_id,
        partial(plans.decide, approve=approving, comment=form.comment.data or ""),
        _l("The plan has been approved.") if approving else _l("The plan has been sent back."),
    )
    if status is None:
        return redirect(url_for("follow_up.plan", referral_id=referral_id)), 303
    page = plans.load(db.session, current_user, referral_id)
    return _render(page, _plan_form(page), form, status)
