"""portal-pdf: any report as a PDF with its charts, its text read back with pypdf, small
counts suppressed."""

import io
from types import SimpleNamespace

import portal_pdf
import pytest
from pypdf import PdfReader

from portal.domain.reports.interface import BarChart, BuiltReport, Paragraph, ReportParameter, Sum, Table, Text
from portal.hookspecs import hookimpl
from portal.testing import sign_in


class Counted:
    """A report with a count of 3 in it, a share that would give it away, a chart and a text."""

    identifier = "counted"
    title = "Counted"
    parameters = (ReportParameter("period", "Period", "period"),)

    def build(self, session, params):
        table = Table(
            "People by gender",
            ("Group", "Women", "Men", "Total", "Women (%)"),
            (("Placed", 3, 9, 12, 25.0), ("Referred", 17, 8, 25, 68.0)),
            count_columns=frozenset({1, 2, 3}),
            derived_columns=((4, 1),),
            chart=BarChart((1, 2)),
        )
        observations = Text(
            "Observations",
            (Paragraph("Women were 68% of those referred.", (17, 8)), Paragraph("Three women were placed.", (3, 9))),
        )
        return BuiltReport(
            self.title,
            (table,),
            subtitle=str(params["period"]),
            texts=(observations,),
            sums=(Sum.across(0, 0, 3, (1, 2)), Sum.across(0, 1, 3, (1, 2))),
        )


counted = SimpleNamespace(__name__="counted_report", portal_reports=hookimpl(lambda: [Counted()]))


@pytest.fixture
def app(make_app):
    return make_app(
        plugins={"pdf": portal_pdf, "counted": counted}, enabled={"fyrbodal": ["counted"]}, DEFAULT_LOCALE="en"
    )


def pdf_text(client, path) -> tuple[str, PdfReader]:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf" and response.get_data()[:5] == b"%PDF-"
    reader = PdfReader(io.BytesIO(response.get_data()))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def test_the_format_is_offered_for_every_report(client, world):
    sign_in(client, world.admin.email)
    page = client.get("/reports/3r?period=2026-Q2&region=fyrbodal").get_data(as_text=True)
    assert "/reports/3r/download/pdf" in page and "PDF document" in page


def test_the_pdf_reads_back_with_the_reports_title_figures_and_texts(client, world):
    sign_in(client, world.admin.email)
    text, reader = pdf_text(client, "/reports/counted/download/pdf?period=2026-Q2")
    assert "Counted" in text and "Q2 2026" in text and "People by gender" in text
    assert "Referred" in text and "17" in text and "68" in text
    assert "Women were 68% of those referred." in text
    assert reader.metadata.title == "Counted"


def test_a_count_of_3_never_appears_in_the_pdf(client, world):
    sign_in(client, world.coordinator.email)
    text, _reader = pdf_text(client, "/reports/counted/download/pdf?period=2026-Q2")
    words = text.replace("\n", " ").split()
    assert "<5" in words and ".." in words and "3" not in words and "25,0" not in words
    assert "Three women were placed." not in text  # an observation about fewer than 5 is left out


def test_the_chart_is_drawn_as_vector_shapes_with_its_figures(client, world):
    sign_in(client, world.admin.email)
    response = client.get("/reports/counted/download/pdf?period=2026-Q2")
    content = PdfReader(io.BytesIO(response.get_data())).pages[0].get_contents().get_data()
    assert content.count(b" re") >= 4  # the legend's two squares and at least the bars of "Referred"


def test_swedish_letters_and_arrows_survive(client, world):
    sign_in(client, world.admin.email)
    text, _reader = pdf_text(client, "/reports/lead-times/download/pdf?period=2026-Q2&region=fyrbodal")
    assert "Submission – first offer" in text


def test_cores_reports_render_as_pdf_in_swedish(make_app, world):
    app = make_app(plugins={"pdf": portal_pdf})
    client = app.test_client()
    sign_in(client, world.coordinator.email)
    text, _reader = pdf_text(client, "/reports/training/download/pdf?period=2026-Q2")
    assert "Fyrbodal" in text and "26" in text
