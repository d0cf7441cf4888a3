"""portal_xlsx: every report as an Excel workbook, through `portal_report_formats`.

A list-style format: it writes `portal.domain.reporting.lines(report)` onto one sheet
and nothing else, so every report, core's or a plugin's, comes out complete. Figures
stay numbers (sums and charts work in the spreadsheet); the portal has suppressed small
counts before this format sees the report, so a "<5" arrives as text and stays text.
Text that starts like a formula (`=HYPERLINK(…)`) is stored as a string cell, never as
a formula the spreadsheet would run.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from portal.domain.reports.interface import BuiltReport, is_formula_like, lines
from portal.hookspecs import PluginMetadata, hookimpl
from portal.i18n import lazy_gettext as _

__version__ = "1.1.0"

PORTAL_PLUGIN = PluginMetadata(
    display_name=_("Reports in Excel (XLSX)"),
    description=_("Every report can also be downloaded as an Excel workbook."),
    requires_api=">=1.5,<2",  # core adds its translations folder (API 1.5.0)
)

STYLES = {
    "title": Font(bold=True, size=14),
    "subtitle": Font(italic=True),
    "section": Font(bold=True, size=13),
    "table": Font(bold=True, size=12),
    "header": Font(bold=True),
    "text": Font(bold=True),
    "note": Font(italic=True, color="4A4A4A"),
}
WIDEST = 60  # characters a column grows to; longer text wraps


def cell_value(value):
    """What a spreadsheet cell holds: numbers and dates as such, the rest as text."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, int | float | date):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


class XlsxFormat:
    identifier = "xlsx"
    name = _("Excel workbook (XLSX)")
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def render(self, report: BuiltReport) -> tuple[str, bytes]:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Rapport"
        widths: dict[int, int] = {}
        for number, line in enumerate(lines(report), start=1):
            for column, value in enumerate(line.cells, start=1):
                cell = sheet.cell(row=number, column=column, value=cell_value(value))
                if is_formula_like(cell.value):
                    cell.data_type = "s"  # text people wrote, never a live formula
                if line.kind in STYLES:
                    cell.font = STYLES[line.kind]
                if isinstance(cell.value, float):
                    cell.number_format = "0.0"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
                if line.kind in ("row", "header"):
                    widths[column] = min(WIDEST, max(widths.get(column, 8), len(str(cell.value)) + 2))
                if line.kind == "header":
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for column, width in widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = width
        workbook.properties.title = str(report.title)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return f"{report.file_stem}.xlsx", buffer.getvalue()


@hookimpl
def portal_report_formats():
    return [XlsxFormat()]
