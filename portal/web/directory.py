"""The directory's pages: cooperatives and supervisors (lists for those who refer and
keep it, forms for the offices), and a supervisor's own profile with their pause.

Thin: parse the form, call `portal.domain.directory`, render; who may do what is
decided by `portal.domain.access` (through the domain functions).
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.domain import access, calendar, vocabulary
from portal.domain.directory import cooperatives, supervisors
from portal.domain.referrals.transitions import Refused
from portal.extensions import db
from portal.i18n import lazy_gettext as _l

from .directory_forms import CooperativeFilterForm, CooperativeForm, PauseForm, SupervisorFilterForm, SupervisorForm
from .forms import saved

blueprint = Blueprint("directory", __name__, url_prefix="/directory")


@blueprint.app_template_filter("vocabulary_label")
def vocabulary_label(code: str, vocabulary_: dict) -> str:
    return vocabulary.label(vocabulary_, code)


@blueprint.app_context_processor
def _access():
    """The access rules, for the directory's and the registry's links to edit pages."""
    return {"access": access}


STATUSES = {"active": _l("Active"), "inactive": _l("Inactive"), "": _l("All")}
SUPERVISOR_STATUSES = {"active": _l("Active"), "paused": _l("Paused now"), "inactive": _l("Inactive"), "": _l("All")}


def _require_directory() -> None:
    if not access.may_see_directory(current_user):
        raise Refused(_l("You do not have access to this page."), 403)


def _require_keeper() -> None:
    if not access.may_keep_directory(current_user):
        raise Refused(_l("Only the regional offices keep the directory."), 403)


def _keeper_form(form_class):
    """A new record's form, with its choices: only the directory's keepers add to it."""
    _require_keeper()
    form = form_class()
    form.fill_choices(db.session, current_user)
    return form


def _form_page(template: str, form, status_if_posted: int = 400, **context):
    return render_template(template, form=form, **context), status_if_posted if form.is_submitted() else 200


def _listed(form, statuses, listing, *more):
    """The page of the directory list `listing` that the filter `form` (from the address) asks for."""
    _require_directory()
    form.fill(db.session, statuses)
    page = request.args.get("page", 1, type=int)
    return listing(db.session, current_user, form.filters(), page, current_app.config["PAGE_SIZE"], *more)


# Cooperatives --------------------------------------------------------------------------


@blueprint.get("/cooperatives")
@login_required
def cooperative_list():
    form = CooperativeFilterForm(formdata=request.args)
    listing = _listed(form, STATUSES, cooperatives.listing)
    return render_template("directory/cooperatives.html", listing=listing, form=form)


@blueprint.route("/cooperatives/new", methods=["GET", "POST"])
@login_required
def cooperative_new():
    form = _keeper_form(CooperativeForm)
    created = []
    if saved(form, lambda: created.append(cooperatives.save(db.session, current_user, form.details()))):
        flash(_l("The cooperative has been added to the directory."), "success")
        return redirect(url_for("directory.cooperative_list", text=created[-1].organisation_number)), 303
    return _form_page("directory/cooperative_form.html", form, cooperative=None)


@blueprint.route("/cooperatives/<int:cooperative_id>/edit", methods=["GET", "POST"])
@login_required
def cooperative_edit(cooperative_id: int):
    cooperative = cooperatives.for_change(db.session, current_user, cooperative_id)
    form = CooperativeForm(obj=cooperative, trades=sorted(cooperative.trades))
    if request.method == "GET":
        form.accessibility.data = sorted(cooperative.accessibility)
    form.fill_choices(db.session, current_user)
    if saved(form, lambda: cooperatives.save(db.session, current_user, form.details(), cooperative)):
        flash(_l("The cooperative has been saved."), "success")
        return redirect(url_for("directory.cooperative_edit", cooperative_id=cooperative_id)), 303
    return _form_page("directory/cooperative_form.html", form, cooperative=cooperative)


@blueprint.post("/cooperatives/<int:cooperative_id>/active")
@login_required
def cooperative_active(cooperative_id: int):
    cooperative = cooperatives.for_change(db.session, current_user, cooperative_id)
    active = request.form.get("active") == "1"
    cooperatives.set_active(db.session, current_user, cooperative, active)
    db.session.commit()
    flash(_l("The cooperative is active again.") if active else _l("The cooperative has been deactivated."), "success")
    return redirect(url_for("directory.cooperative_edit", cooperative_id=cooperative_id)), 303


# Supervisors ---------------------------------------------------------------------------


@blueprint.get("/supervisors")
@login_required
def supervisor_list():
    form = SupervisorFilterForm(formdata=request.args)
    today = calendar.today()
    listing = _listed(form, SUPERVISOR_STATUSES, supervisors.listing, today)
    return render_template("directory/supervisors.html", listing=listing, form=form, today=today)


@blueprint.route("/supervisors/new", methods=["GET", "POST"])
@login_required
def supervisor_new():
    """Invite a person as a supervisor: their account and their supervisor record."""
    form = _keeper_form(SupervisorForm)

    def invite():
        supervisors.invite(
            db.session, current_user, form.name.data, form.email.data, form.details(), form.cohort_id.data
        )

    if saved(form, invite):
        flash(_l("The supervisor has been added."), "success")
        return redirect(url_for("directory.supervisor_list", text=form.email.data, status="")), 303
    return _form_page("directory/supervisor_form.html", form, supervisor=None, pause_form=None)


def _supervisor_page(supervisor, form=None, pause_form=None):
    if form is None:
        form = SupervisorForm(formdata=None, obj=supervisor)
        form.municipality_ids.data = sorted(m.id for m in supervisor.municipalities)
        form.specialties.data = sorted(supervisor.specialties)
        form.languages.data = sorted(supervisor.languages)
        form.accessibility.data = sorted(supervisor.accessibility)
    form.fill_choices(db.session, current_user)
    del form.name, form.email, form.cohort_id  # the account and the enrolment are changed elsewhere
    pause_form = pause_form or PauseForm(formdata=None, obj=supervisor)
    posted = form.is_submitted() or pause_form.is_submitted()
    page = render_template(
        "directory/supervisor_form.html",
        form=form,
        supervisor=supervisor,
        pause_form=pause_form,
        today=calendar.today(),
        elsewhere=supervisors.served_elsewhere(current_user, supervisor),
    )
    return page, 400 if posted else 200


@blueprint.route("/supervisors/<int:supervisor_id>/edit", methods=["GET", "POST"])
@login_required
def supervisor_edit(supervisor_id: int):
    supervisor = supervisors.for_change(db.session, current_user, supervisor_id)
    if request.method == "GET":
        return _supervisor_page(supervisor)
    form = SupervisorForm()
    form.fill_choices(db.session, current_user)
    if saved(form, lambda: supervisors.save(db.session, current_user, supervisor, form.details())):
        flash(_l("The supervisor has been saved."), "success")
        return redirect(url_for("directory.supervisor_edit", supervisor_id=supervisor_id)), 303
    return _supervisor_page(supervisor, form=form)


def _paused(supervisor):
    """End or set the supervisor's pause from the posted form; the form if it had errors."""
    form = PauseForm()
    if request.form.get("end") == "1":
        supervisors.end_pause(db.session, current_user, supervisor)
        db.session.commit()
        flash(_l("The pause has ended: offers can come again."), "success")
        return None
    today = calendar.today()
    if saved(
        form, lambda: supervisors.pause(db.session, current_user, supervisor, form.until.data, form.reason.data, today)
    ):
        flash(_l("Paused: no offers up to and including %(day)s.", day=form.until.data), "success")
        return None
    return form


@blueprint.post("/supervisors/<int:supervisor_id>/pause")
@login_required
def supervisor_pause(supervisor_id: int):
    supervisor = supervisors.for_change(db.session, current_user, supervisor_id)
    form = _paused(supervisor)
    if form is None:
        return redirect(url_for("directory.supervisor_edit", supervisor_id=supervisor_id)), 303
    return _supervisor_page(db.session.get(type(supervisor), supervisor_id), pause_form=form)


@blueprint.get("/profile")
@login_required
def profile():
    """A supervisor's own profile: what the directory says about them, and their pause."""
    supervisor = supervisors.own_profile(db.session, current_user)
    pause_form = PauseForm(formdata=None, obj=supervisor)
    return render_template(
        "directory/profile.html", supervisor=supervisor, pause_form=pause_form, today=calendar.today()
    )


@blueprint.post("/profile/pause")
@login_required
def profile_pause():
    supervisor = supervisors.own_profile(db.session, current_user)
    form = _paused(supervisor)
    if form is None:
        return redirect(url_for("directory.profile")), 303
    supervisor = supervisors.own_profile(db.session, current_user)
    page = render_template("directory/profile.html", supervisor=supervisor, pause_form=form, today=calendar.today())
    return page, 400
