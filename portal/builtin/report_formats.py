"""Core's report formats, HTML and CSV, offered through `portal_report_formats` like a
plugin's (XLSX and PDF are plugins of their own: `plugins/xlsx`, `plugins/pdf`).

Both render any built report: CSV writes `reporting.lines` and nothing else, HTML the
same template the report page shows, with its charts as inline SVG. Neither sees a
count the portal has not already suppressed.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from flask import render_template

from portal.domain.reports.interface import BuiltReport, figure_places, lines, neutralised
from portal.hookspecs import hookimpl
from portal.i18n import lazy_gettext as _


def plain(value, decimal_mark: str = ".") -> str:
    """A cell as text: numbers with at most one decimal (two for hours kept with two:
    `figure_places`) after `decimal_mark`, dates in
    ISO form, text that starts like a formula behind an apostrophe (`neutralised`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        text = f"{value:.0f}" if value == int(value) else f"{value:.{figure_places(value)}f}"
        return text.replace(".", decimal_mark)
    if isinstance(value, date):
        return value.isoformat()
    return neutralised(str(value))


def csv_conventions() -> tuple[str, str]:
    """(separator, decimal mark) of the reader's language: what Excel expects there.
    Swedish Excel reads `;` and a decimal comma (a comma-separated file opens as one
    column); English keeps `,` and `.`."""
    from flask import has_request_context
    from flask_babel import get_locale

    language = get_locale().language if has_request_context() and get_locale() is not None else "en"
    return (";", ",") if language == "sv" else (",", ".")


class CsvFormat:
    """Text for spreadsheets in the reader's conventions (`csv_conventions`), UTF-8 with a
    byte-order mark so that Excel reads Swedish letters right; the report's tables one
    after another, each under its title. No text cell can start a formula (`plain`)."""

    identifier = "csv"
    name = _("CSV (text for spreadsheets)")
    hint = _("comma-separated, decimal point, UTF-8: opens in Excel set to English")
    media_type = "text/csv"

    def render(self, report: BuiltReport) -> tuple[str, bytes]:
        separator, decimal_mark = csv_conventions()
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
        for line in lines(report):
            writer.writerow([plain(cell, decimal_mark) for cell in line.cells])
        return f"{report.file_stem}.csv", buffer.getvalue().encode("utf-8-sig")


class HtmlFormat:
    """A web page of its own (styles inside, no links out), to keep or send on."""

    identifier = "html"
    name = _("Web page (HTML)")
    media_type = "text/html"

    def render(self, report: BuiltReport) -> tuple[str, bytes]:
        return f"{report.file_stem}.html", render_template("reports/standalone.html", report=report).encode("utf-8")


@hookimpl(tryfirst=True)
def portal_report_formats():
    return [HtmlFormat(), CsvFormat()]
