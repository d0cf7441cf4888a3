"""portal-xlsx: any report as a workbook, read back with openpyxl, small counts suppressed."""

import io
from datetime import UTC, date, datetime
from types import SimpleNamespace

import portal_xlsx
import pytest
from openpyxl import load_workbook

from portal.domain.reports.interface import BuiltReport, ReportParameter, Sum, Table
from portal.hookspecs import hookimpl
from portal.models import Offer, Participant, Placement, Referral
from portal.testing import sign_in


class Counted:
    """A report with a count of 3 in it, and a share and a total that would give it away."""

    identifier = "counted"
    title = "Counted"
    parameters = (ReportParameter("period", "Period", "period"),)

    def build(self, session, params):
        table = Table(
            "People",
            ("Group", "Women", "Men", "Total", "Women (%)"),
            (("Placed", 3, 9, 12, 25.0), ("Referred", 7, 8, 15, 46.7)),
            count_columns=frozenset({1, 2, 3}),
            derived_columns=((4, 1),),
        )
        return BuiltReport(
            self.title,
            (table,),
            subtitle=str(params["period"]),
            sums=(Sum.across(0, 0, 3, (1, 2)), Sum.across(0, 1, 3, (1, 2))),
        )


counted = SimpleNamespace(__name__="counted_report", portal_reports=hookimpl(lambda: [Counted()]))


@pytest.fixture
def app(make_app):
    return make_app(
        plugins={"xlsx": portal_xlsx, "counted": counted}, enabled={"fyrbodal": ["counted"]}, DEFAULT_LOCALE="en"
    )


def workbook(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == portal_xlsx.XlsxFormat.media_type
    return load_workbook(io.BytesIO(response.get_data())).active


def values(sheet) -> list[tuple]:
    return [tuple(cell for cell in row if cell is not None) for row in sheet.iter_rows(values_only=True)]


def test_the_format_is_offered_for_every_report(app, client, world):
    sign_in(client, world.admin.email)
    page = client.get("/reports/3r?period=2026-Q2&region=fyrbodal").get_data(as_text=True)
    assert "/reports/3r/download/xlsx" in page and "Excel workbook (XLSX)" in page


def test_the_workbook_reads_back_with_the_reports_figures(client, world):
    sign_in(client, world.admin.email)
    rows = values(workbook(client, "/reports/counted/download/xlsx?period=2026-Q2"))
    assert rows[:2] == [("Counted",), ("Q2 2026",)]
    assert ("Group", "Women", "Men", "Total", "Women (%)") in rows
    assert ("Referred", 7, 8, 15, 46.7) in rows  # numbers stay numbers


def test_a_count_of_3_never_appears_in_the_workbook(client, world):
    sign_in(client, world.coordinator.email)
    sheet = workbook(client, "/reports/counted/download/xlsx?period=2026-Q2")
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert 3 not in cells and "3" not in cells and 25.0 not in cells
    assert ("Placed", "<5", "..", 12, "..") in values(sheet)


def test_cores_3r_report_comes_out_whole(client, session, world):
    moment = datetime(2026, 4, 1, 10, tzinfo=UTC)
    participant = Participant(
        given_name="Kim",
        family_name="Test",
        gender="woman",
        municipality=world.municipality["Trollhättan"],
        registered_by_authority=world.fk,
    )
    referral = Referral(
        participant=participant,
        authority=world.fk,
        caseworker=world.caseworker,
        region=world.region["fyrbodal"],
        workflow_name="default",
        workflow_version=1,
        state="active",
        goal="Arbetsträning",
        hours_per_week=20,
        submitted_at=moment,
    )
    offer = Offer(
        referral=referral,
        supervisor=world.supervisor,
        offered_by=world.caseworker,
        state="accepted",
        offered_at=moment,
        expires_at=datetime(2026, 4, 8, tzinfo=UTC),
        responded_at=moment,
    )
    session.add(
        Placement(
            referral=referral,
            offer=offer,
            supervisor=world.supervisor,
            state="active",
            start_date=date(2026, 4, 10),
            hours_per_week=20,
        )
    )
    session.commit()
    sign_in(client, world.coordinator.email)
    rows = values(workbook(client, "/reports/3r/download/xlsx?period=2026-Q2"))
    firsts = [row[0] for row in rows if row]
    for heading in ("Gender equality (3R)", "Representation", "Resources", "Realia", "Observations"):
        assert heading in firsts
    placed = next(row for row in rows if row and row[0] == "Participants placed")
    assert placed[1] == "<5"


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_starts_like_a_formula_is_a_string_cell_never_a_formula(prefix):
    """Issue 10.10: `=HYPERLINK(…)` written by a person must not become a live formula."""
    text = f'{prefix}HYPERLINK("https://evil.example","klicka")'
    table = Table("Tabell", (text, "Antal"), ((text, 7), ("Minus", -3)), count_columns=frozenset({1}))
    _name, content = portal_xlsx.XlsxFormat().render(BuiltReport(text, (table,), subtitle=text, file_stem="x"))
    sheet = load_workbook(io.BytesIO(content)).active
    texts = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in texts)
    as_read = text.replace("\r", "\n")  # XML reads a carriage return as a line feed
    assert sum(cell.value == as_read and cell.data_type == "s" for cell in texts) == 4  # title, subtitle, header, row
    assert -3 in [cell.value for cell in texts]
    assert b"<f>" not in _sheet_xml(content)


def _sheet_xml(content: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")
