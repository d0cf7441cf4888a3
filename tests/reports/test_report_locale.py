"""Files and figures in the reader's conventions (issue 12, points 7–9): Swedish CSV that
opens in Swedish Excel, English dates in British form, numbers in sentences formatted
for the language, chart labels and PDF headers that fit or wrap between words."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
import report_data
from conftest import sign_in
from flask_babel import force_locale, format_date, format_datetime

from portal.domain.reports import charts
from portal.domain.reports.interface import BarChart, Table

TRAINING = "/reports/training/download/csv?period=2026-Q2"


@pytest.fixture
def data(session, world):
    return report_data.build(session, world)


def _rows(response, delimiter):
    text = response.get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _render_csv(app, locale):
    from portal.builtin.report_formats import CsvFormat
    from portal.domain.reports.interface import BuiltReport

    report = BuiltReport("Väntan", (Table("Per kön", ("Kön", "Antal", "Medel (dagar)"), (("Kvinna", 12, 15.5),)),))
    with app.test_request_context(), force_locale(locale):
        return CsvFormat().render(report)[1]


def test_a_swedish_csv_is_semicolon_separated_with_a_decimal_comma_and_a_bom(app, client, world, data):
    content = _render_csv(app, "sv_SE")
    assert content[:3] == b"\xef\xbb\xbf"
    assert ["Kvinna", "12", "15,5"] in list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    sign_in(client, world.coordinator.email)
    client.post("/language", data={"locale": "sv", "next": "/"})
    rows = _rows(client.get(TRAINING), ";")
    assert ["Delregion", "Kön", "Under utbildning eller utbildade"] == [row[:3] for row in rows if "Kön" in row][0]
    page = client.get("/reports/training?period=2026-Q2").get_data(as_text=True)
    assert "semikolonseparerad, decimalkomma" in page


def test_an_english_csv_keeps_commas_and_the_decimal_point(app, client, world, data):
    content = _render_csv(app, "en_GB")
    assert ["Kvinna", "12", "15.5"] in list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=","))
    sign_in(client, world.coordinator.email)
    client.post("/language", data={"locale": "en", "next": "/"})
    rows = _rows(client.get(TRAINING), ",")
    assert ["Region", "Gender", "In training or trained"] == [row[:3] for row in rows if "Gender" in row][0]
    assert "comma-separated, decimal point" in client.get("/reports/training?period=2026-Q2").get_data(as_text=True)


def test_english_dates_and_times_are_british(app, client, world):
    sign_in(client, world.coordinator.email)
    client.post("/language", data={"locale": "en", "next": "/"})
    with app.test_request_context():
        with force_locale("en_GB"):
            assert format_date(date(2026, 11, 28)) == "28 Nov 2026"
            assert format_datetime(datetime(2026, 11, 28, 17, 20, tzinfo=UTC), "short") == "28/11/2026, 18:20"
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en"' in page


def test_numbers_in_3r_sentences_follow_the_language(make_app, session, world, data):
    from report_data import build_report

    app = make_app(DEFAULT_LOCALE="sv")
    report = build_report(app, session, "3r", period="2026-Q2", region="fyrbodal")
    with app.test_request_context():
        sentences = [str(paragraph.text) for paragraph in report.texts[0].paragraphs]
    assert any("18,5 mot 11,5 dagar" in sentence for sentence in sentences), sentences


def test_chart_labels_wrap_between_words_and_figures_have_room(app):
    label = "Första erbjudandet → det accepterade erbjudandet (nej tack och utgångna)"
    table = Table("Steg", ("Steg", "Dagar"), ((label, 35.5),), chart=BarChart((1,), unit="dagar"))
    with app.test_request_context():
        layout = charts.layout(table, table.chart)
    group = layout.groups[0]
    lines = [line for line, _baseline in group.lines]
    assert " ".join(lines) == label and len(lines) > 1 and "…" not in "".join(lines)
    bar = group.bars[0]
    assert bar.text_x + len(bar.text) * charts.CHARACTER <= layout.width


def test_pdf_column_headers_are_at_least_as_wide_as_their_longest_word():
    from portal_pdf import BOLD, _fonts, _widths
    from reportlab.pdfbase import pdfmetrics

    _fonts()
    columns = ("Delregion", "Kön", "Under utbildning eller utbildade", "Utbildade", "Certifierade")
    table = Table("T", columns, tuple(("Fyrbodal", "Kvinna", 1, 2, 3) for _ in range(3)))
    for column, width in zip(columns, _widths(table), strict=True):
        longest = max(pdfmetrics.stringWidth(word, BOLD, 8) for word in column.split())
        assert width >= longest + 12, column
