"""Reports: the list a user may run, a report's parameter form and its figures on screen,
and its download in every installed format (small counts suppressed first).

Parameters travel as GET arguments, so a report's address can be kept and shared; they
are codes and dates only (a region's code, an authority's number, "2026-Q2"), never
personal data.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from flask import Blueprint, abort, current_app, render_template, request, send_file, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, IntegerField, SelectField, StringField

from ..domain import access, reports
from ..extensions import db
from ..models import Authority, Region, Role

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
    values, errors = reports.parse(db.session, offered.report, request.args, scope, date.today(), current_app.config["TIMEZONE"])
    form, fixed = parameter_form(offered.report, scope, values, errors)
    built = None
    exact = access.sees_exact_figures(current_user)
    if not errors:
        built = reports.build(db.session, offered, values)
        if not exact:
            built = reports.suppress(built, minimum_count())
    downloads = [(report_format, url_for(".download", identifier=identifier, format_id=report_format.identifier,
                                         **request.args))
                 for report_format in catalogue().formats.values()]
    extra = {}
    if built is not None and getattr(offered.report, "writes_realia", False):
        from . import realia

        extra = realia.page_context(values)
    page = render_template("reports/show.html", report=offered.report, form=form, fixed=fixed, built=built,
                           exact=exact, downloads=downloads, minimum=minimum_count(), **extra)
    db.session.commit()
    return page, 400 if errors else 200


@blueprint.get("/<identifier>/download/<format_id>")
def download(identifier: str, format_id: str):
    """The report as a file, always with small counts suppressed."""
    offered, scope = reports.find(db.session, catalogue(), current_user, identifier)
    report_format = catalogue().formats.get(format_id) or abort(404)
    values, errors = reports.parse(db.session, offered.report, request.args, scope, date.today(), current_app.config["TIMEZONE"])
    if errors:
        abort(400)
    built = reports.suppress(reports.build(db.session, offered, values), minimum_count())
    filename, content = report_format.render(built)
    db.session.commit()
    return send_file(BytesIO(content), mimetype=report_format.media_type, as_attachment=True, download_name=filename)


def parameter_form(report, scope: access.ReportScope, values: dict, errors: dict):
    """A GET form with one field per parameter the user may choose; the region or
    authority the user is held to is shown as text instead (`fixed`)."""

    class ParameterForm(FlaskForm):
        class Meta:
            csrf = False

    fixed = []
    for parameter in report.parameters:
        value = values.get(parameter.name)
        if parameter.kind == "region" and scope.region_id is not None \
                or parameter.kind == "authority" and scope.authority_id is not None:
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
        grouped = {}
        for period in reports.period_choices(date.today()):
            grouped.setdefault(period.code[:4], []).append((period.code, str(period)))
        return SelectField(label, choices=grouped, validate_choice=False)
    if kind == "region":
        regions = db.session.execute(select(Region.code, Region.name).order_by(Region.name)).all()
        return SelectField(label, choices=[("", _l("All regions"))] + [tuple(row) for row in regions],
                           validate_choice=False)
    if kind == "authority":
        authorities = db.session.execute(select(Authority.id, Authority.name).order_by(Authority.name)).all()
        return SelectField(label, choices=[("", _l("All authorities"))] + [(str(i), n) for i, n in authorities],
                           validate_choice=False)
    if kind == "choice":
        return SelectField(label, choices=[("", "–"), *parameter.choices], validate_choice=False)
    if kind == "date":
        return DateField(label)
    if kind == "number":
        return IntegerField(label)
    return StringField(label)


def _as_form_value(value):
    if isinstance(value, reports.Period):
        return value.code
    if isinstance(value, Region):
        return value.code
    if isinstance(value, Authority):
        return str(value.id)
    return value
