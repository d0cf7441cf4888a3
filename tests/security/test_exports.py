"""Issue 10.10: no text in a downloaded CSV starts a spreadsheet formula."""

import csv
import io

import pytest

from portal.builtin.report_formats import CsvFormat
from portal.domain.reports.interface import BuiltReport, Paragraph, Table, Text

PREFIXES = ["=", "+", "-", "@", "\t", "\r"]


def report_with(text: str) -> BuiltReport:
    table = Table("Tabell", (text, "Antal"), ((text, 7), ("Minus", -3)), count_columns=frozenset({1}))
    return BuiltReport(
        text, (table,), subtitle=text, texts=(Text("Analys", (Paragraph(text),)),), notes=(text,), file_stem="x"
    )


def cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_text_that_starts_like_a_formula_gets_an_apostrophe_in_csv(prefix):
    text = f'{prefix}HYPERLINK("https://evil.example","klicka")'
    _name, content = CsvFormat().render(report_with(text))
    written = cells(content)
    assert text not in written
    assert written.count(f"'{text}") == 6  # title, subtitle, header, row, paragraph, note
    assert not any(cell.startswith(tuple(PREFIXES)) for cell in written if cell != "-3")


def test_numbers_stay_numbers_in_csv():
    _name, content = CsvFormat().render(report_with("Vanlig text"))
    written = cells(content)
    assert "-3" in written and "7" in written and "Vanlig text" in written
