"""The offices' plugin pages: which plugins are enabled where, each region's workflow as
a picture (also as it would be with a plugin enabled), and stranded referrals."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.domain import access, vocabulary
from portal.domain.errors import InvalidInput
from portal.domain.plugins import enabling as plugin_admin
from portal.domain.referrals import stranded
from portal.domain.referrals.actions import workflow_for_region
from portal.domain.referrals.diagram import layout
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.models import Region

from .forms import choices, flash_errors
from .pages import engine

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


class MoveForm(FlaskForm):
    state = SelectField(
        _l("Move to the step"),
        validate_choice=False,  # the domain checks it
        validators=[InputRequired(_l("Choose a step of the region's workflow."))],
    )
    note = TextAreaField(
        _l("Why (required)"),
        validators=[InputRequired(_l("Say why the referral is moved to this step.")), Length(max=2000)],
    )


class SwitchForm(FlaskForm):
    """Turning a plugin on or off; `confirm` says the admin has read the warning."""

    confirm = HiddenField()


@blueprint.before_request
@login_required
def offices_only():
    if not access.may_see_workflows(current_user):
        abort(403)


def _manager():
    return current_app.extensions["portal.plugins"]


@blueprint.get("/plugins")
def plugins():
    rows = plugin_admin.listing(db.session, _manager())
    regions = plugin_admin.administered_regions(db.session, current_user)
    page = render_template(
        "plugins/plugins.html",
        rows=rows,
        regions=regions,
        may_override=access.may_enable_outside_intended_regions(current_user),
        made_for={row.info.name: plugin_admin.region_names(db.session, row.info.intended_regions) for row in rows},
        technical=current_user.role == "admin",  # hook names and package names are for who runs the portal
        stranded_count=stranded.count(db.session, engine().registry, current_user),
    )
    db.session.commit()
    return page


@blueprint.post("/plugins/<plugin>/<region_code>/<any(enable, disable):change>")
def switch(plugin: str, region_code: str, change: str):
    form = SwitchForm()
    if not form.validate_on_submit():
        abort(400)
    switch_plugin = plugin_admin.enable if change == "enable" else plugin_admin.disable
    try:
        changed = switch_plugin(
            db.session, _manager(), current_user, plugin, region_code, confirmed=form.confirm.data == "yes"
        )
    except plugin_admin.NeedsConfirmation as warning:
        db.session.rollback()
        info = _manager().portal_info.get(plugin)
        name = info.display_name if info else plugin
        return render_template(
            "plugins/confirm.html",
            name=name,
            plugin=plugin,
            change=change,
            region_code=region_code,
            warning=warning.message,
            form=form,
        )
    db.session.commit()
    if changed:
        info = _manager().portal_info.get(plugin)
        words = {
            "plugin": info.display_name if info else plugin,
            "region": plugin_admin.region_names(db.session, [region_code]),
        }
        flash(
            _l("%(plugin)s is now on in %(region)s.", **words)
            if change == "enable"
            else _l("%(plugin)s is now off in %(region)s.", **words),
            "success",
        )
    return redirect(url_for(".plugins")), 303


@blueprint.get("/workflows/<region_code>")
def workflow(region_code: str):
    """The region's workflow now, or with `?plugin=` enabled as well (a preview)."""
    region = db.session.scalar(db.select(Region).where(Region.code == region_code)) or abort(404)
    if not access.may_see_region_workflow(current_user, region):
        abort(403)
    preview = request.args.get("plugin")
    if preview:
        shown = plugin_admin.preview_workflow(db.session, engine(), region_code, preview)
    else:
        shown = workflow_for_region(db.session, engine(), region_code)
    diagram = layout(shown, role_label)
    page = render_template(
        "plugins/workflow.html", region=region, diagram=diagram, preview=preview, role_label=role_label
    )
    db.session.commit()
    return page


def role_label(role: str) -> str:
    return str(_l("The portal")) if role == "system" else vocabulary.label(vocabulary.ROLES, role)


@blueprint.get("/referrals/stranded")
def stranded_referrals():
    portal_engine = engine()
    referrals = stranded.listing(db.session, portal_engine.registry, current_user)
    targets = {
        code: workflow_for_region(db.session, portal_engine, code) for code in {r.region.code for r in referrals}
    }
    forms = {}
    for referral in referrals:
        target = targets[referral.region.code]
        form = MoveForm(formdata=None, prefix=f"r{referral.id}", state=referral.state)
        form.state.choices = choices({s.name: s.label for s in target.states}, sort=False)
        forms[referral.id] = (target, form)
    page = render_template("plugins/stranded.html", referrals=referrals, forms=forms)
    db.session.commit()
    return page


@blueprint.post("/referrals/<int:referral_id>/migrate")
def migrate(referral_id: int):
    stranded.require_administered(db.session, current_user, referral_id)
    form = MoveForm(prefix=f"r{referral_id}")
    if not form.validate():
        flash_errors(form.errors)
        return redirect(url_for(".stranded_referrals")), 303
    try:
        stranded.move(db.session, engine(), current_user, referral_id, form.state.data, form.note.data)
    except InvalidInput as error:
        db.session.rollback()
        flash_errors(error.errors)
        return redirect(url_for(".stranded_referrals")), 303
    db.session.commit()
    flash(_l("Referral %(number)d has been moved.", number=referral_id), "success")
    return redirect(url_for(".stranded_referrals")), 303
