"""The training registry's pages: the overview with the cohorts, a cohort with its
modules and people, a module session's attendance and completion, and certification.

Thin: parse the form, call `portal.domain.training`, render. Only the offices reach
these pages (`access.cohorts_visible_to`), each coordinator their own region's.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from portal.domain import access, calendar, vocabulary
from portal.domain.referrals.transitions import Refused
from portal.domain.reports.charts import layout
from portal.domain.reports.interface import BarChart, Table
from portal.domain.training import cohorts, overview, records
from portal.domain.training.cohorts import CohortDetails
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.models import Region

from .forms import IntegerField, choices, saved

blueprint = Blueprint("training", __name__, url_prefix="/training")


class CohortForm(FlaskForm):
    region_id = SelectField(_l("Region"), coerce=int, validate_choice=False)
    name = StringField(_l("Name"), description=_l("E.g. “Handledarutbildning Skaraborg hösten 2026”."))
    starts_on = DateField(_l("First day"), validators=[Optional()])
    ends_on = DateField(_l("Last day"), validators=[Optional()])

    def fill_choices(self, session) -> None:
        regions = session.execute(select(Region.id, Region.name).where(access.regions_administered_by(current_user)))
        self.region_id.choices = choices(dict(regions.all()))

    def details(self) -> CohortDetails:
        return CohortDetails(self.region_id.data, self.name.data or "", self.starts_on.data, self.ends_on.data)


class ModuleForm(FlaskForm):
    title = StringField(_l("Module"))
    hours = IntegerField(_l("Hours"), validators=[Optional()])
    held_on = DateField(_l("Session day (optional)"), validators=[Optional()])


class EnrolForm(FlaskForm):
    supervisor_id = SelectField(_l("Person to enrol"), coerce=int, validate_choice=False)


class EvaluationForm(FlaskForm):
    note = TextAreaField(_l("Evaluation note"), description=_l("What went well, what to change next time."))


class CertificationForm(FlaskForm):
    grounds = TextAreaField(_l("Grounds for the decision"))


def _require_office() -> None:
    if not access.may_keep_directory(current_user):
        raise Refused(_l("The training registry is for the regional offices."), 403)


@blueprint.get("/cohorts")
@login_required
def cohort_list():
    """The overview (progress towards the target, cohorts under way, one module short) and every cohort."""
    _require_office()
    progress = overview.progress(db.session, current_user, calendar.today())
    genders = list(vocabulary.GENDERS)
    table = Table(
        _l("Trained supervisors by region and gender"),
        (_l("Region"), *(vocabulary.GENDERS[code] for code in genders)),
        tuple((region, *(counts.get(code, 0) for code in genders)) for region, counts in progress.by_region),
    )
    chart = layout(table, BarChart(tuple(range(1, len(genders) + 1))))
    return render_template(
        "training/cohorts.html",
        progress=progress,
        table=table,
        chart=chart,
        rows=cohorts.listing(db.session, current_user),
    )


def _cohort_form_page(form, cohort=None):
    form.fill_choices(db.session)
    return render_template("training/cohort_form.html", form=form, cohort=cohort), 400 if form.is_submitted() else 200


@blueprint.route("/cohorts/new", methods=["GET", "POST"])
@login_required
def cohort_new():
    _require_office()
    form = CohortForm(region_id=current_user.region_id)
    form.fill_choices(db.session)
    created = []
    if saved(form, lambda: created.append(cohorts.save(db.session, current_user, form.details()))):
        flash(_l("The cohort has been created. Add its modules next."), "success")
        return redirect(url_for("training.cohort", cohort_id=created[-1].id)), 303
    return _cohort_form_page(form)


@blueprint.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@login_required
def cohort_edit(cohort_id: int):
    cohort = cohorts.for_change(db.session, current_user, cohort_id)
    form = CohortForm(obj=cohort)
    form.fill_choices(db.session)
    if saved(form, lambda: cohorts.save(db.session, current_user, form.details(), cohort)):
        flash(_l("The cohort has been saved."), "success")
        return redirect(url_for("training.cohort", cohort_id=cohort_id)), 303
    return _cohort_form_page(form, cohort)


def _cohort_page(cohort, status=200, **forms):
    enrol_form = forms.get("enrol_form") or EnrolForm(formdata=None)
    enrol_form.supervisor_id.choices = choices(
        {0: _l("Choose…")} | {s.id: s.user.name for s in cohorts.not_enrolled(db.session, cohort)}, sort=False
    )
    page = render_template(
        "training/cohort.html",
        cohort=cohort,
        people=cohorts.people(db.session, cohort),
        may_change=access.may_act_for_region(current_user, cohort.region_id),
        module_form=forms.get("module_form") or ModuleForm(formdata=None),
        enrol_form=enrol_form,
        evaluation_form=forms.get("evaluation_form") or EvaluationForm(formdata=None, note=cohort.evaluation_note),
    )
    return page, status


@blueprint.get("/cohorts/<int:cohort_id>")
@login_required
def cohort(cohort_id: int):
    return _cohort_page(cohorts.for_reading(db.session, current_user, cohort_id))


def _cohort_action(cohort_id: int, form_name: str, form, done_message, action, *values):
    """`action(session, user, cohort, *values)` from a form on the cohort's page: back to the
    page saying `done_message`, or the page again with the form's errors (400)."""
    cohort = cohorts.for_change(db.session, current_user, cohort_id)
    if saved(form, lambda: action(db.session, current_user, cohort, *values)):
        flash(done_message, "success")
        return redirect(url_for("training.cohort", cohort_id=cohort_id)), 303
    return _cohort_page(cohorts.for_change(db.session, current_user, cohort_id), 400, **{form_name: form})


@blueprint.post("/cohorts/<int:cohort_id>/modules")
@login_required
def module_add(cohort_id: int):
    form = ModuleForm()
    done = _l("The module has been added.")
    return _cohort_action(
        cohort_id, "module_form", form, done, cohorts.add_module, form.title.data, form.hours.data, form.held_on.data
    )


@blueprint.post("/cohorts/<int:cohort_id>/enrol")
@login_required
def enrol(cohort_id: int):
    form = EnrolForm()
    form.supervisor_id.choices = []
    done = _l("The person has been enrolled.")
    return _cohort_action(cohort_id, "enrol_form", form, done, cohorts.enrol, form.supervisor_id.data)


@blueprint.post("/cohorts/<int:cohort_id>/evaluation")
@login_required
def evaluation(cohort_id: int):
    form = EvaluationForm()
    done = _l("The evaluation note has been saved.")
    return _cohort_action(cohort_id, "evaluation_form", form, done, cohorts.set_evaluation, form.note.data)


@blueprint.post("/modules/<int:module_id>/move")
@login_required
def module_move(module_id: int):
    """Move a module one place earlier or later in its cohort's order (a button each; no script)."""
    module = records.module_for_change(db.session, current_user, module_id)
    direction = request.form.get("direction")
    if direction in ("up", "down") and cohorts.move_module(db.session, current_user, module, direction == "up"):
        db.session.commit()
        flash(_l("%(module)s is now number %(position)d.", module=module.title, position=module.position), "success")
    return redirect(url_for("training.cohort", cohort_id=module.cohort_id, _anchor="modules-heading")), 303


@blueprint.route("/modules/<int:module_id>/session", methods=["GET", "POST"])
@login_required
def module_session(module_id: int):
    """One module session's register: who attended, who has completed the module."""
    module = records.module_for_change(db.session, current_user, module_id)
    form = FlaskForm()
    if request.method == "POST":

        def record():
            attended = {int(value) for value in request.form.getlist("attended") if value.isdigit()}
            completed = {int(value) for value in request.form.getlist("completed") if value.isdigit()}
            records.record_session(db.session, current_user, module, attended, completed, calendar.today())

        if saved(form, record):
            flash(_l("Attendance and completion have been saved."), "success")
            return redirect(url_for("training.cohort", cohort_id=module.cohort_id)), 303
        module = records.module_for_change(db.session, current_user, module_id)
    page = render_template("training/session.html", module=module, rows=records.sheet(db.session, module), form=form)
    return page, 400 if form.is_submitted() else 200


@blueprint.route("/supervisors/<int:supervisor_id>/certification", methods=["GET", "POST"])
@login_required
def certification(supervisor_id: int):
    """The coordinator's certification decision (or its revocation), with the grounds."""
    supervisor = records.supervisor_for_certification(db.session, current_user, supervisor_id)
    form = CertificationForm()
    revoking = supervisor.certified

    def decide():
        if revoking:
            records.revoke(db.session, current_user, supervisor, form.grounds.data)
        else:
            records.certify(db.session, current_user, supervisor, form.grounds.data, calendar.today())

    if saved(form, decide):
        flash(_l("The certification has been revoked.") if revoking else _l("Certified."), "success")
        return redirect(url_for("training.cohort", cohort_id=supervisor.cohort_id)), 303
    supervisor = records.supervisor_for_certification(db.session, current_user, supervisor_id)
    page = render_template("training/certification.html", supervisor=supervisor, form=form)
    return page, 400 if form.is_submitted() else 200
