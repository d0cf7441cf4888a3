"""Reports and formats come through plugin hooks: core's own, a regional plugin's, every
report in every installed format, and a malformed one stopping start-up."""

from datetime import date
from types import SimpleNamespace

import pytest
import report_data
from conftest import sign_in
from sqlalchemy import func, select

from portal.domain import access
from portal.domain.reports import catalogue as reports
from portal.domain.reports.interface import BuiltReport, ReportParameter, Table
from portal.hookspecs import hookimpl
from portal.models import Referral
from portal.plugins import PluginError


class QuarterlyReport:
    """What a regional plugin adds: a report in the layout its funders ask for."""

    identifier = "test-quarterly"
    title = "Kvartalsrapport till Fyrbodals kommunalförbund"
    parameters = (ReportParameter("period", "Period", "period"),)

    def build(self, session, params):
        count = session.scalar(select(func.count()).select_from(Referral))
        return BuiltReport(
            self.title,
            (Table("Anvisningar", ("Mått", "Antal"), (("Anvisningar", count),), count_columns=frozenset({1})),),
        )


quarterly = SimpleNamespace(__name__="portal_fyrbodal_quarterly", portal_reports=hookimpl(lambda: [QuarterlyReport()]))


def plugin(**hooks):
    return SimpleNamespace(__name__="portal_broken", **{name: hookimpl(function) for name, function in hooks.items()})


def test_core_offers_its_reports_and_formats_through_the_hooks(app):
    catalogue = app.extensions["portal.reports"]
    core = [offered for offered in catalogue.reports.values() if offered.builtin]
    assert [offered.report.identifier for offered in core] == ["3r", "esf-participants", "training", "lead-times"]
    assert {offered.plugin for offered in core} == {"portal.builtin.reports"}
    assert list(catalogue.formats)[:2] == ["html", "csv"]


def test_a_regional_plugins_report_is_offered_where_the_plugin_is_on(make_app, world):
    app = make_app(plugins={"quarterly": quarterly}, enabled={"fyrbodal": ["quarterly"]})
    coordinator = app.test_client()
    sign_in(coordinator, world.coordinator.email)
    assert "Kvartalsrapport" in coordinator.get("/reports").get_data(as_text=True)
    response = coordinator.get("/reports/test-quarterly/download/csv?period=2026-Q2")
    assert response.status_code == 200 and "Anvisningar;0" in response.get_data(as_text=True)  # Swedish: semicolons


def test_a_regional_plugins_report_is_not_offered_where_the_plugin_is_off(make_app, world):
    app = make_app(plugins={"quarterly": quarterly}, enabled={"skaraborg": ["quarterly"]})
    coordinator = app.test_client()
    sign_in(coordinator, world.coordinator.email)
    assert "Kvartalsrapport" not in coordinator.get("/reports").get_data(as_text=True)
    assert coordinator.get("/reports/test-quarterly").status_code == 404
    admin = app.test_client()
    sign_in(admin, world.admin.email)
    assert admin.get("/reports/test-quarterly").status_code == 200


@pytest.mark.parametrize(
    "hooks, problem",
    [
        ({"portal_reports": lambda: [object()]}, "offers an invalid report"),
        ({"portal_reports": lambda: [QuarterlyReport(), QuarterlyReport()]}, "already taken"),
        (
            {
                "portal_report_formats": lambda: [
                    SimpleNamespace(identifier="Bad Name", name="x", media_type="x", render=lambda report: ("x", b""))
                ]
            },
            "invalid report format",
        ),
        ({"portal_reports": lambda: 1 / 0}, "ZeroDivisionError"),
    ],
)
def test_a_malformed_report_or_format_stops_start_up_naming_the_plugin(make_app, hooks, problem):
    with pytest.raises(PluginError, match="portal_broken|broken") as raised:
        make_app(plugins={"broken": plugin(**hooks)})
    assert "broken" in str(raised.value) and problem in str(raised.value)


def test_a_report_may_not_take_an_identifier_core_uses(make_app):
    class Clash(QuarterlyReport):
        identifier = "3r"

    with pytest.raises(PluginError, match="'3r' is already taken"):
        make_app(plugins={"clash": plugin(portal_reports=lambda: [Clash()])})


# Every report in every format ------------------------------------------------------------


@pytest.fixture
def data(session, world):
    return report_data.build(session, world)


def test_every_report_renders_in_every_installed_format(app, session, data):
    catalogue = app.extensions["portal.reports"]
    with app.test_request_context():
        for offered in catalogue.reports.values():
            values, errors = reports.parse(
                session, offered.report, {"period": "2026-Q2"}, access.ReportScope(), date(2026, 11, 1)
            )
            safe = reports.suppress(reports.build(session, offered, values), 5)
            for identifier, report_format in catalogue.formats.items():
                filename, content = report_format.render(safe)
                assert filename.startswith(safe.file_stem) and len(content) > 200, (offered.plugin, identifier)


# Periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, start, end",
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ],
)
def test_a_period_code_names_whole_calendar_days(code, start, end):
    period = reports.Period.parse(code)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("code", ["", "2026-Q5", "2026-13", "26", "2026-q1", "2026-Q1; DROP"])
def test_anything_else_is_not_a_period(code):
    with pytest.raises(ValueError):
        reports.Period.parse(code)


def test_a_periods_days_are_swedish_days():
    period = reports.Period.parse("2026-Q2")
    assert period.starts_at.isoformat() == "2026-03-31T22:00:00+00:00"  # midnight in Stockholm, summer time
    assert period.ends_before.isoformat() == "2026-06-30T22:00:00+00:00"


def test_the_period_choices_offer_begun_periods_newest_first():
    codes = [period.code for period in reports.period_choices(date(2026, 5, 10), years=1)]
    assert codes[:5] == ["2026", "2026-H1", "2026-Q2", "2026-Q1", "2026-05"]
    assert "2026-Q3" not in codes and "2026-06" not in codes
