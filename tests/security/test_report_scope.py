"""Issue 10.3: core holds every report, a plugin's too, to the viewer's scope: a
coordinator never sees another region's rows, whatever the report's code asks for."""

import csv
import io
from datetime import timedelta
from types import SimpleNamespace

import portal_fyrbodal
import pytest
from conftest import sign_in
from flows import submitted
from portal_fyrbodal.report import last_quarter
from sqlalchemy import text

from portal.domain.calendar import local_today
from portal.domain.reports.interface import BuiltReport, ReportParameter, Table
from portal.hookspecs import hookimpl
from portal.testing import approve_plan

# Downloads are for ended quarters only (the download grid): the referral is dated in the last one.
TODAY = local_today()
LAST_QUARTER = last_quarter(TODAY)


class RawCount:
    """A careless plugin's report: every referral in the portal, counted with raw SQL."""

    identifier = "raw-count"
    title = "Raw count"
    parameters = (ReportParameter("period", "Period", "period"),)

    def build(self, session, params):
        count = session.execute(text("SELECT count(*) FROM referral")).scalar()
        return BuiltReport(self.title, (Table("All", ("What", "Count"), (("Referrals", count),)),))


raw = SimpleNamespace(__name__="raw_report", portal_reports=hookimpl(lambda: [RawCount()]))


@pytest.fixture
def app(make_app):
    """Fyrbodal's plugin enabled in Skaraborg (not in Fyrbodal), and the raw report everywhere."""
    return make_app(
        plugins={"fyrbodal": portal_fyrbodal, "raw": raw},
        enabled={"skaraborg": ["fyrbodal", "raw"], "fyrbodal": ["raw"]},
    )


def rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    # a Swedish download: semicolons, so that Swedish Excel opens it in columns
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))


def test_another_regions_plugin_report_shows_a_coordinator_none_of_that_regions_rows(
    client, session, engine, vault, world, outsiders
):
    referral = submitted(session, engine, vault, world)  # in Trollhättan, Fyrbodal
    referral.submitted_at = LAST_QUARTER.starts_at + timedelta(days=10)
    session.commit()
    path = f"/reports/fyrbodal-quarterly/download/csv?quarter={LAST_QUARTER.code}"
    sign_in(client, outsiders.coordinator.email)  # Skaraborg's coordinator
    figures = [row[1:] for row in rows(client.get(path)) if len(row) == 4 and row[1] and row[1][0] in "0123456789<"]
    assert figures and all(cell == "0" for row in figures for cell in row), figures
    client.post("/sign-out")
    sign_in(client, world.admin.email)
    assert "<5" in [cell for row in rows(client.get(path)) for cell in row]


def test_a_report_core_cannot_scope_is_refused_to_a_coordinator_but_runs_for_an_admin(client, world):
    sign_in(client, world.coordinator.email)
    assert client.get("/reports/raw-count").status_code == 409
    client.post("/sign-out")
    sign_in(client, world.admin.email)
    assert client.get("/reports/raw-count").status_code == 200


def test_core_reports_still_count_the_coordinators_own_region(client, session, engine, vault, world, outsiders):
    submitted(session, engine, vault, world)
    sign_in(client, world.coordinator.email)
    page = client.get("/reports/lead-times").get_data(as_text=True)
    assert "Fyrbodal" in page
    client.post("/sign-out")
    sign_in(client, outsiders.coordinator.email)
    assert client.get("/reports/lead-times").status_code == 200


def test_every_report_built_for_another_region_counts_none_of_this_ones_people(
    app, session, engine, vault, world, accepted
):
    """Each installed report, built without a region (as if its code ignored it) but held to
    Skaraborg, finds none of Fyrbodal's referrals, placements or people."""
    from portal.domain.access import ReportScope
    from portal.domain.referrals import actions as referrals
    from portal.domain.reports import catalogue as reports

    referral = accepted()  # a placement in Trollhättan, Fyrbodal, started today
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "start", params={"start_date": TODAY})
    session.commit()
    skaraborg = ReportScope(region_id=world.region["skaraborg"].id)
    with app.test_request_context():
        for offered in app.extensions["portal.reports"].reports.values():
            if offered.report.identifier == "raw-count":
                continue  # refused: its own test
            values, errors = reports.parse(session, offered.report, {}, ReportScope(), TODAY)
            assert not errors, offered.report.identifier
            everywhere = reports.build(session, offered, values, ReportScope())
            held = reports.build(session, offered, values, skaraborg)
            counted = [
                row[column] for table in everywhere.tables for row in table.rows for column in table.count_columns
            ]
            if offered.report.identifier not in ("training", "fyrbodal-quarterly"):  # other data; last quarter
                assert any(isinstance(value, int) and value > 0 for value in counted), offered.report.identifier
            for table in held.tables:
                for row in table.rows:
                    for column in table.count_columns:
                        assert row[column] in (0, None), (offered.report.identifier, table.title, row)
