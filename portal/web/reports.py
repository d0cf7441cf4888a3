"""Reports: the list a user may run, a report's parameter form and its figures on screen,
and its download in every installed format (small counts suppressed first).

Parameters travel as GET arguments, so a report's address can be kept and shared; they
are codes and dates only (a region's code, an authority's number, "2026-Q2"), never
personal data.
"""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from portal.domain import access
from portal.domain.calendar import local_today
from portal.domain.errors import InvalidInput
from portal.domain.reports import catalogue as reports
from portal.domain.reports import grid, realia
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.models import Authority, Region, Role

from .forms import IntegerField, flash_errors

blueprint = Blueprint("reports", __name__, url_prefix="/reports")


@blueprint.before_request
@login_required
def offices_and_caseworkers():
    if current_user.role == Role.SUPERVISOR:
        abort(403)


def catalogue() -> reports.Catalogue:
    return current_app.extensions["portal.reports"]


def minimum_count() -> int:
    return current_app.config["REPORT_MIN_COUNT"]


@blueprint.get("")
def index():
    offered = reports.available(db.session, catalogue(), current_user)
    page = render_template("reports/index.html", offered=offered)
    db.session.commit()
    return page


@blueprint.get("/<identifier>")
def show(identifier: str):
    """The form, and the report built from the address's parameters (defaults at first)."""
    offered, scope = reports.find(db.session, catalogue(), current_user, identifier)
    values, errors = _parse(offered, scope)
    form, fixed = parameter_form(offered.report, scope, values, errors)
    built = None
    exact = access.sees_exact_figures(current_user)
    off_grid = None if errors else _off_grid(offered, values, scope)
    if not errors and (exact or off_grid is None):
        built = reports.build(db.session, offered, values, scope)
        if not exact:
            built = reports.suppress(built, minimum_count())
    chosen = {p.name: request.args[p.name] for p in offered.report.parameters if request.args.get(p.name)}
    downloads = [
        (report_format, url_for(".download", identifier=identifier, format_id=report_format.identifier, **chosen))
        for report_format in catalogue().formats.values()
    ]
    extra = {}
    if built is not None and getattr(offered.report, "writes_realia", False) and values.get("region") is not None:
        extra = _analysis_context(values["region"], values["period"])
    page = render_template(
        "reports/show.html",
        report=offered.report,
        form=form,
        fixed=fixed,
        built=built,
        exact=exact,
        downloads=downloads,
        off_grid=off_grid,
        minimum=minimum_count(),
        **extra,
    )
    db.session.commit()
    return page, 400 if errors else 200


@blueprint.get("/<identifier>/download/<format_id>")
def download(identifier: str, format_id: str):
    """The report as a file, always with small counts suppressed."""
    offered, scope = reports.find(db.session, catalogue(), current_user, identifier)
    report_format = catalogue().formats.get(format_id) or abort(404)
    values, errors = _parse(offered, scope)
    if errors:
        abort(400)
    off_grid = _off_grid(offered, values, scope)
    if off_grid is not None:
        flash(off_grid, "error")
        db.session.commit()
        return redirect(url_for(".show", identifier=identifier, **request.args), 303)
    built = reports.suppress(reports.build(db.session, offered, values, scope), minimum_count())
    filename, content = report_format.render(built)
    db.session.commit()
    return send_file(BytesIO(content), mimetype=report_format.media_type, as_attachment=True, download_name=filename)


def _off_grid(offered: reports.Offered, values, scope: access.ReportScope):
    """Why these parameters are not a cell of the download grid, or None (`reports.grid`)."""
    level = current_app.config["REPORT_DOWNLOAD_PERIOD"]
    return grid.problem(offered.report, values, scope, local_today(), level)


def _parse(offered: reports.Offered, scope: access.ReportScope):
    return reports.parse(db.session, offered.report, request.args, scope, local_today(), current_app.config["TIMEZONE"])


class AnalysisForm(FlaskForm):
    """The analysis, under the prefix "analysis-" (the report's own form has a period
    field too). CSRFProtect checks every POST's token; the prefixed form does not again."""

    class Meta:
        csrf = False

    region = HiddenField()
    period = HiddenField()
    text = TextAreaField(
        _l("The analysis"),
        validators=[InputRequired(_l("Write the analysis first.")), Length(max=realia.LONGEST)],
        description=_l(
            "Why do the figures look as they do, and what will the office do about it? "
            "The analysis goes with every download of the report as written: do not "
            "name people or write counts below 5."
        ),
        render_kw={"rows": 10},
    )


def _analysis_context(region: Region, period: reports.Period) -> dict:
    """The written analysis's form and versions, for the 3R report of one region."""
    versions = realia.history(db.session, region.id, period.code)
    form = AnalysisForm(
        formdata=None,
        prefix="analysis",
        region=region.code,
        period=period.code,
        text=versions[0].text if versions else "",
    )
    return {
        "analysis_form": form,
        "analysis_versions": versions,
        "may_write_analysis": access.may_write_analysis(current_user, region.id),
    }


@blueprint.post("/<identifier>/analysis")
def write_analysis(identifier: str):
    """Save a new version of the region's analysis, then back to the report."""
    offered, scope = reports.find(db.session, catalogue(), current_user, identifier)
    if not getattr(offered.report, "writes_realia", False):
        abort(404)
    form = AnalysisForm(prefix="analysis")
    region = db.session.scalar(select(Region).where(Region.code == (form.region.data or ""))) or abort(400)
    back = url_for(".show", identifier=identifier, region=region.code, period=form.period.data) + "#realia"
    if not form.validate():
        flash_errors(form.errors)
        return redirect(back), 303
    try:
        realia.write(db.session, current_user, region, form.period.data or "", form.text.data or "")
    except InvalidInput as error:
        db.session.rollback()
        flash_errors(error.errors)
        return redirect(back), 303
    db.session.commit()
    flash(_l("The analysis has been saved as a new version."), "success")
    return redirect(back), 303


def parameter_form(report, scope: access.ReportScope, values: dict, errors: dict):
    """A GET form with one field per parameter the user may choose; the region or
    authority the user is held to is shown as text instead (`fixed`)."""

    class ParameterForm(FlaskForm):
        class Meta:
            csrf = False

    fixed = []
    for parameter in report.parameters:
        value = values.get(parameter.name)
        if (
            parameter.kind == "region"
            and scope.region_id is not None
            or parameter.kind == "authority"
            and scope.authority_id is not None
        ):
            fixed.append((parameter.label, value.name if value is not None else "–"))
            continue
        setattr(ParameterForm, parameter.name, _field(parameter))
    form = ParameterForm(formdata=None, data={p.name: _as_form_value(values.get(p.name)) for p in report.parameters})
    for name, message in errors.items():
        if name in form:
            form[name].errors = [str(message)]
    return form, fixed


def _field(parameter):
    label, kind = parameter.label, parameter.kind
    if kind == "period":
        periods = reports.period_choices(local_today())
        return SelectField(
            label, choices=[SelectChoice(p.code, str(p), optgroup=p.code[:4]) for p in periods], validate_choice=False
        )
    if kind == "region":
        regions = db.session.execute(select(Region.code, Region.name).order_by(Region.name)).all()
        return SelectField(
            label,
            choices=[SelectChoice("", _l("All regions"))] + [SelectChoice(code, name) for code, name in regions],
            validate_choice=False,
        )
    if kind == "authority":
        authorities = db.session.execute(select(Authority.id, Authority.name).order_by(Authority.name)).all()
        return SelectField(
            label,
            choices=[SelectChoice("", _l("All authorities"))]
            + [SelectChoice(str(number), name) for number, name in authorities],
            validate_choice=False,
        )
    if kind == "choice":
        return SelectField(
            label,
            choices=[SelectChoice("", "–")] + [SelectChoice(code, text) for code, text in parameter.choices],
            validate_choice=False,
        )
    if kind == "date":
        return DateField(label)
    if kind == "number":
        return IntegerField(label, render_kw={"min": parameter.minimum} if parameter.minimum is not None else None)
    return StringField(label)


def _as_form_value(value):
    if isinstance(value, reports.Period):
        return value.code
    if isinstance(value, Region):
        return value.code
    if isinstance(value, Authority):
        return str(value.id)
    return value
