"""The reporting pages: who may run which report (coordinators their region, admins all,
caseworkers their authority's lead times, supervisors none), the figures on screen and
in downloads, the written 3R analysis, and accessible tables and charts."""

import csv
import io
import re

import pytest
import report_data
from conftest import PASSWORD, sign_in

from portal.models import Participant, RealiaAnalysis, User
from portal.testing import password_hash


@pytest.fixture
def app(make_app):
    return make_app(DEFAULT_LOCALE="en")


@pytest.fixture
def data(session, world):
    return report_data.build(session, world)


def signed_in(client, user):
    sign_in(client, user.email)
    return client


def csv_cells(response) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(response.get_data(as_text=True))) for cell in row]


# Access ----------------------------------------------------------------------------------


def test_a_coordinator_may_run_every_core_report(client, world):
    page = signed_in(client, world.coordinator).get("/reports").get_data(as_text=True)
    for title in ("Gender equality (3R)", "ESF participant report", "Supervisor training", "Lead times"):
        assert title in page


def test_a_coordinators_report_is_held_to_their_region(client, world, data):
    page = signed_in(client, world.coordinator).get("/reports/lead-times?period=2026-Q2&region=skaraborg")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Fyrbodal, Q2 2026" in text and "Skaraborg" not in text


def test_an_admin_chooses_any_region_or_all(client, world, data):
    signed_in(client, world.admin)
    assert "Skaraborg, Q2 2026" in client.get("/reports/3r?period=2026-Q2&region=skaraborg").get_data(as_text=True)
    assert "All regions, Q2 2026" in client.get("/reports/3r?period=2026-Q2").get_data(as_text=True)


def test_a_caseworker_runs_only_the_lead_times_of_their_own_authority(client, world, data):
    signed_in(client, world.other_caseworker)
    listing = client.get("/reports").get_data(as_text=True)
    assert "Lead times" in listing and "Gender equality (3R)" not in listing
    assert client.get("/reports/3r").status_code == 404
    assert client.get("/reports/esf-participants/download/csv").status_code == 404
    page = client.get(f"/reports/lead-times?period=2026-Q2&authority={world.fk.id}").get_data(as_text=True)
    assert world.social.name in page and world.fk.name not in page


def test_a_supervisor_runs_no_report(client, world):
    signed_in(client, world.supervisor_user)
    for path in ("/reports", "/reports/lead-times", "/reports/3r/download/csv"):
        assert client.get(path).status_code == 403


def test_the_menu_links_reports_for_offices_and_caseworkers_only(app, world):
    for user, shown in ((world.coordinator, True), (world.caseworker, True), (world.supervisor_user, False)):
        page = signed_in(app.test_client(), user).get("/").get_data(as_text=True)
        assert ('href="/reports"' in page) is shown


# Figures on screen and in downloads ------------------------------------------------------


def test_the_coordinator_sees_exact_figures_on_screen(client, world, data):
    page = signed_in(client, world.coordinator).get("/reports/3r?period=2026-Q2").get_data(as_text=True)
    assert "You see exact figures" in page
    assert re.search(r"<th scope=\"row\">Woman</th><td class=\"number\">3</td>", page)  # offers for women


def test_a_caseworker_sees_small_counts_suppressed_on_screen(client, world, data):
    page = signed_in(client, world.caseworker).get("/reports/lead-times?period=2026-Q2").get_data(as_text=True)
    assert "&lt;5" in page and "You see exact figures" not in page


def test_a_count_of_3_never_appears_in_a_download(client, world, data):
    signed_in(client, world.coordinator)
    exact = client.get("/reports/3r?period=2026-Q2").get_data(as_text=True)
    assert '<td class="number">3</td>' in exact
    for format_id in ("csv", "html"):
        response = client.get(f"/reports/3r/download/{format_id}?period=2026-Q2")
        text = response.get_data(as_text=True)
        assert response.status_code == 200
        if format_id == "csv":
            assert "3" not in csv_cells(response) and "<5" in csv_cells(response)
        else:
            assert '<td class="number">3</td>' not in text and '<td class="number">&lt;5</td>' in text


def test_a_download_is_named_by_codes_and_says_its_type(client, world, data):
    response = signed_in(client, world.coordinator).get("/reports/3r/download/csv?period=2026-Q2")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == "attachment; filename=3r-2026-Q2-fyrbodal.csv"
    assert response.get_data()[:3] == b"\xef\xbb\xbf"  # so that spreadsheet programs read UTF-8


def test_the_report_page_offers_a_download_in_every_installed_format(app, client, world, data):
    page = signed_in(client, world.coordinator).get("/reports/training?period=2026-Q2").get_data(as_text=True)
    for identifier in app.extensions["portal.reports"].formats:
        assert f"/reports/training/download/{identifier}?period=2026-Q2" in page


def test_an_out_of_range_authority_or_target_is_a_bad_value_not_a_crash(client, world):
    signed_in(client, world.admin)
    assert client.get("/reports/lead-times?authority=99999999999999999999").status_code == 400
    assert client.get("/reports/training?target=99999999999999999999").status_code == 400


def test_a_bad_period_is_answered_beside_the_field(client, world):
    response = signed_in(client, world.coordinator).get("/reports/3r?period=2026-Q9")
    assert response.status_code == 400 and "Not a valid value." in response.get_data(as_text=True)
    assert client.get("/reports/3r/download/csv?period=2026-Q9").status_code == 400


# Accessible pages ------------------------------------------------------------------------


def test_every_table_has_a_caption_and_every_chart_a_text_alternative(client, world, data):
    page = signed_in(client, world.coordinator).get("/reports/3r?period=2026-Q2").get_data(as_text=True)
    assert page.count("<table ") == page.count("<caption") == 5
    charts = re.findall(r'<svg role="img" aria-labelledby="(\S+) (\S+)"', page)
    assert len(charts) == 5
    for title, description in charts:
        assert f'<title id="{title}">' in page and f'<desc id="{description}">' in page
    # the charts need no script; the only one is the idle warning every signed-in page has
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/session.js" defer>']


def test_the_charts_draw_the_figures_of_their_table(client, world, data):
    page = signed_in(client, world.coordinator).get("/reports/3r?period=2026-Q2").get_data(as_text=True)
    representation = page[page.index('id="report-chart-1-title"') : page.index("</svg>")]
    assert ">80%</text>" in representation and ">Participants referred</text>" in representation


# The written analysis (Realia) -----------------------------------------------------------


def write(client, text, region="fyrbodal", period="2026-Q2"):
    return client.post(
        "/reports/3r/analysis", data={"analysis-region": region, "analysis-period": period, "analysis-text": text}
    )


def test_the_coordinator_writes_the_analysis_and_each_save_is_a_version(client, session, world, data):
    signed_in(client, world.coordinator)
    assert write(client, "Women wait longer; we will ask why.").status_code == 303
    assert write(client, "Women wait longer; the office meets the authorities in May.").status_code == 303
    session.rollback()  # a fresh snapshot, after the app's writes
    versions = session.query(RealiaAnalysis).order_by(RealiaAnalysis.version).all()
    assert [(v.version, v.period, v.author_id) for v in versions] == [
        (1, "2026-Q2", world.coordinator.id),
        (2, "2026-Q2", world.coordinator.id),
    ]
    page = client.get("/reports/3r?period=2026-Q2").get_data(as_text=True)
    assert "the office meets the authorities in May." in page and "2 versions" in page


def test_the_analysis_goes_with_the_downloaded_report(client, world, data):
    signed_in(client, world.coordinator)
    write(client, "Analys: kvinnor väntar längre.")
    assert "Analys: kvinnor väntar längre." in csv_cells(client.get("/reports/3r/download/csv?period=2026-Q2"))
    other_period = csv_cells(client.get("/reports/3r/download/csv?period=2026-Q3"))
    assert "Analys: kvinnor väntar längre." not in other_period


def test_saving_the_same_text_again_adds_no_version(client, session, world, data):
    signed_in(client, world.coordinator)
    write(client, "Samma text.")
    write(client, "Samma text.")
    session.rollback()
    assert session.query(RealiaAnalysis).count() == 1


def test_only_the_regions_coordinators_and_admins_write_its_analysis(app, session, world, data):
    skaraborg = User(
        email="samordnare@skaraborg.example.se",
        name="Skaraborg",
        role="coordinator",
        region=world.region["skaraborg"],
        password_hash=password_hash(),
    )
    session.add(skaraborg)
    session.commit()
    assert write(signed_in(app.test_client(), skaraborg), "Not mine.").status_code == 403
    assert write(signed_in(app.test_client(), world.caseworker), "Not mine.").status_code == 404
    assert write(signed_in(app.test_client(), world.admin), "Admin's note.").status_code == 303
    session.rollback()
    assert [a.text for a in session.query(RealiaAnalysis)] == ["Admin's note."]


def test_the_analysis_form_carries_its_csrf_token(make_app, session, world, data):
    client = make_app(DEFAULT_LOCALE="en", WTF_CSRF_ENABLED=True).test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/sign-in", data={"email": world.coordinator.email, "password": PASSWORD, "csrf_token": token})
    page = client.get("/reports/3r?period=2026-Q2").get_data(as_text=True)
    form = page[page.index('id="realia"') :]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    answer = client.post(
        "/reports/3r/analysis",
        data={
            "csrf_token": token,
            "analysis-region": "fyrbodal",
            "analysis-period": "2026-Q2",
            "analysis-text": "Med token.",
        },
    )
    assert answer.status_code == 303
    assert (
        client.post(
            "/reports/3r/analysis",
            data={"analysis-region": "fyrbodal", "analysis-period": "2026-Q2", "analysis-text": "Utan token."},
        ).status_code
        == 400
    )
    session.rollback()
    assert [a.text for a in session.query(RealiaAnalysis)] == ["Med token."]


def test_unexpected_address_arguments_are_ignored(client, world, data):
    signed_in(client, world.coordinator)
    response = client.get("/reports/3r?period=2026-Q2&identifier=x&format_id=y&name=Kim")
    assert response.status_code == 200
    assert 'href="/reports/3r/download/csv?period=2026-Q2"' in response.get_data(as_text=True)


def test_the_caseworker_records_labour_market_status_and_education(client, session, world):
    signed_in(client, world.caseworker)
    form = client.get("/participants/new").get_data(as_text=True)
    assert 'name="labour_market_status"' in form and 'name="education_level"' in form
    response = client.post(
        "/participants/new",
        data={
            "personnummer": "200001012384",
            "given_name": "Kim",
            "family_name": "Andersson",
            "municipality_id": world.municipality["Trollhättan"].id,
            "gender": "woman",
            "labour_market_status": "long_term_unemployed",
            "education_level": "isced_3_4",
        },
    )
    assert response.status_code == 302
    session.rollback()
    participant = session.query(Participant).one()
    assert (participant.labour_market_status, participant.education_level) == ("long_term_unemployed", "isced_3_4")


def test_an_unknown_labour_market_status_is_refused(client, world):
    signed_in(client, world.caseworker)
    response = client.post(
        "/participants/new",
        data={
            "personnummer": "200001012384",
            "given_name": "Kim",
            "family_name": "Andersson",
            "municipality_id": world.municipality["Trollhättan"].id,
            "gender": "woman",
            "labour_market_status": "retired",
        },
    )
    assert response.status_code == 400


def test_an_empty_analysis_is_refused(client, session, world, data):
    signed_in(client, world.coordinator)
    write(client, "   ")
    session.rollback()
    assert session.query(RealiaAnalysis).count() == 0
