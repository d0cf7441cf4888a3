"""Core's reports (lead times, supervisor training, the ESF participant report, the 3R
gender-equality follow-up), offered through `portal_reports` like a plugin's, and the
reporting pages they are run on.

`portal_startup` collects every installed plugin's reports and formats once (a malformed
one stops start-up naming its plugin), keeps them on the app as
``app.extensions["portal.reports"]`` and attaches the pages.
"""

from __future__ import annotations

from flask import url_for

from portal.hookspecs import hookimpl
from portal.i18n import lazy_gettext as _
from portal.models import Role


@hookimpl(tryfirst=True)
def portal_reports():
    from . import esf, gender_equality, lead_times, training

    return [
        gender_equality.GenderEqualityReport(),
        esf.EsfParticipantReport(),
        training.TrainingReport(),
        lead_times.LeadTimeReport(),
    ]


@hookimpl
def portal_navigation_links(user):
    if user.role in (Role.ADMIN, Role.COORDINATOR, Role.CASEWORKER):
        return [(_("Reports"), url_for("reports.index"))]
    return None


@hookimpl(tryfirst=True)
def portal_startup(app):
    from portal.domain.reports import catalogue as reports
    from portal.domain.reports import charts
    from portal.domain.reports.interface import figure_columns
    from portal.web import reports as pages

    app.extensions["portal.reports"] = reports.collect(app.extensions["portal.plugins"])
    app.register_blueprint(pages.blueprint)
    app.jinja_env.globals["chart_layout"] = lambda table: charts.layout(table, table.chart)
    app.jinja_env.globals["figure_columns"] = figure_columns
    app.jinja_env.filters["report_figure"] = report_figure


def report_figure(value) -> str:
    """A table cell on screen: numbers in the reader's language (at most one decimal,
    two for a figure kept with two: `figure_pattern`)."""
    from datetime import date
    from decimal import Decimal

    from flask_babel import format_date, format_decimal

    from portal.domain.reports.interface import figure_pattern

    if value is None:
        return "–"
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return format_decimal(value, format=figure_pattern(value))
    if isinstance(value, date):
        return format_date(value)
    return str(value)
