"""portal_pdf: every report as a PDF document, with its charts drawn as vector graphics,
through `portal_report_formats`.

Built with ReportLab's page layout (platypus): headings, each table under its title with
its chart above it (laid out by `portal.domain.reports.charts`, the same geometry as the SVG on
screen), the texts and notes. Landscape A4, so that wide tables fit. The font is the
Bitstream Vera that ships inside ReportLab, so the output is the same on every machine;
the one character it lacks that reports use (→) is drawn as a dash.

The portal has suppressed small counts before this format sees the report.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from flask import has_app_context
from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from portal.domain.reports import charts
from portal.domain.reports.interface import BuiltReport, figure_columns, figure_pattern
from portal.hookspecs import PluginMetadata, hookimpl
from portal.i18n import lazy_gettext as _

__version__ = "1.1.0"

PORTAL_PLUGIN = PluginMetadata(
    display_name=_("Reports as PDF"),
    description=_("Every report can also be downloaded as a PDF document, with its charts."),
    requires_api=">=1.5,<2",  # core adds its translations folder (API 1.5.0)
)

FONT, BOLD, ITALIC = "PortalSans", "PortalSans-Bold", "PortalSans-Italic"
PAGE = landscape(A4)
MARGIN = 15 * mm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN
CHART_HEIGHT = (PAGE[1] - 2 * MARGIN) * 0.45  # the most a chart takes, so that its table can follow
MISSING_GLYPHS = str.maketrans({"→": "–"})
INK, MUTED, LINE, SOFT = (
    colors.HexColor("#1b1b1b"),
    colors.HexColor("#4a4a4a"),
    colors.HexColor("#767676"),
    colors.HexColor("#eef3f6"),
)


@cache
def _fonts() -> None:
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, file in ((FONT, "Vera.ttf"), (BOLD, "VeraBd.ttf"), (ITALIC, "VeraIt.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    _fonts()
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", base["Title"], fontName=BOLD, fontSize=18, alignment=0, spaceAfter=4),
        "subtitle": ParagraphStyle(
            "subtitle", base["Normal"], fontName=FONT, fontSize=11, textColor=MUTED, spaceAfter=10
        ),
        "section": ParagraphStyle("section", base["Heading1"], fontName=BOLD, fontSize=15, spaceBefore=10),
        "heading": ParagraphStyle("heading", base["Heading2"], fontName=BOLD, fontSize=12, spaceBefore=8, spaceAfter=4),
        "body": ParagraphStyle("body", base["Normal"], fontName=FONT, fontSize=10, leading=14, spaceAfter=4),
        "note": ParagraphStyle("note", base["Normal"], fontName=ITALIC, fontSize=8, leading=11, textColor=MUTED),
        "cell": ParagraphStyle("cell", base["Normal"], fontName=FONT, fontSize=8, leading=10),
        "number": ParagraphStyle("number", base["Normal"], fontName=FONT, fontSize=8, leading=10, alignment=2),
        "header": ParagraphStyle("header", base["Normal"], fontName=BOLD, fontSize=8, leading=10),
        "header-number": ParagraphStyle(
            "header-number", base["Normal"], fontName=BOLD, fontSize=8, leading=10, alignment=2
        ),
    }


def text(value) -> str:
    """A value as it reads in the document: numbers in the reader's language."""
    if value is None:
        return "–"
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if has_app_context():
            from flask_babel import format_decimal

            return format_decimal(value, format=figure_pattern(value))
        return charts.figure_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).translate(MISSING_GLYPHS)


def _paragraph(value, style: str) -> Paragraph:
    return Paragraph(escape(text(value)).replace("\n", "<br/>"), _styles()[style])


class PdfFormat:
    identifier = "pdf"
    name = _("PDF document")
    media_type = "application/pdf"

    def render(self, report: BuiltReport) -> tuple[str, bytes]:
        _fonts()
        buffer = io.BytesIO()
        title = text(report.title)
        document = SimpleDocTemplate(
            buffer,
            pagesize=PAGE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 4 * mm,
            title=title,
            author="Handledarportalen",
            subject=text(report.subtitle) if report.subtitle else "",
            lang="sv",
        )
        story = [_paragraph(report.title, "title")]
        if report.subtitle:
            story.append(_paragraph(report.subtitle, "subtitle"))
        section = None
        for table in report.tables:
            lead = []
            if table.section is not None and table.section != section:
                section = table.section
                lead.append(_paragraph(section, "section"))
            story += _table(table, lead)
        for block in report.texts:
            if block.section is not None and block.section != section:
                section = block.section
                story.append(_paragraph(section, "section"))
            story.append(_paragraph(block.title, "heading"))
            story += [_paragraph(paragraph.text, "body") for paragraph in block.paragraphs]
        if report.notes:
            story.append(Spacer(1, 6))
            story += [_paragraph(note, "note") for note in report.notes]

        def footer(canvas, doc):
            canvas.saveState()
            canvas.setFont(FONT, 8)
            canvas.setFillColor(MUTED)
            canvas.drawString(MARGIN, MARGIN / 2, title)
            canvas.drawRightString(PAGE[0] - MARGIN, MARGIN / 2, str(doc.page))
            canvas.restoreState()

        document.build(story, onFirstPage=footer, onLaterPages=footer)
        return f"{report.file_stem}.pdf", buffer.getvalue()


def _table(table, lead: list) -> list:
    """The table's title (after `lead`, a section heading), its chart (if any) and the
    table, kept together where they fit; a long table may run on, its header repeated."""
    heading = [*lead, _paragraph(table.title, "heading")]
    if table.chart is not None:
        heading.append(_chart(table))
    figures = figure_columns(table)
    header = [
        _paragraph(column, "header-number" if index in figures else "header")
        for index, column in enumerate(table.columns)
    ]
    body = [
        [_paragraph(value, "number" if index in figures else "cell") for index, value in enumerate(row)]
        for row in table.rows
    ]
    grid = Table([header, *body] if body else [header], colWidths=_widths(table), repeatRows=1, hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 1.2, INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), SOFT),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    notes = [_paragraph(note, "note") for note in table.notes]
    if len(table.rows) <= 12:
        return [KeepTogether([*heading, grid, *notes]), Spacer(1, 6)]
    return [KeepTogether([*heading, grid]), *notes, Spacer(1, 6)]


def _widths(table) -> list[float]:
    """Columns as wide as their longest text, within bounds; headers wrap between words,
    never inside one ("Delregion", not "Delregio/n"): each column is at least as wide as
    its header's longest word, the room taken from the columns that have more."""
    weights = []
    for index, column in enumerate(table.columns):
        longest = max([len(text(row[index])) for row in table.rows if index < len(row)] + [1])
        weights.append(min(40, max(6, longest, len(text(column)) * 0.6)))
    widths = [FRAME_WIDTH * weight / sum(weights) for weight in weights]
    padding = 2 * 6 + 1  # the table's cell padding on both sides, and a point to spare
    least = [
        max(pdfmetrics.stringWidth(word, BOLD, 8) for word in (text(column).split() or [""])) + padding
        for column in table.columns
    ]
    short = sum(max(0.0, low - width) for low, width in zip(least, widths, strict=True))
    spare = sum(max(0.0, width - low) for low, width in zip(least, widths, strict=True))
    if short and spare:
        share = min(1.0, short / spare)
        widths = [
            low if width < low else width - (width - low) * share for low, width in zip(least, widths, strict=True)
        ]
    return widths


def _chart(table) -> Drawing:
    """The chart as vector shapes: the same layout as on screen, turned upside down (PDF
    measures from the bottom) and scaled to the page."""
    layout = charts.layout(table, table.chart)
    scale = min(0.75, FRAME_WIDTH / layout.width, CHART_HEIGHT / layout.height)
    group = Group()
    height = layout.height

    def label(x, y, value, anchor="start"):
        group.add(
            String(
                x, height - y, text(value), fontName=FONT, fontSize=layout.font_size, fillColor=INK, textAnchor=anchor
            )
        )

    for entry in layout.legend:
        group.add(
            Rect(entry.x, height - entry.y - 14, 14, 14, fillColor=colors.HexColor(entry.colour), strokeColor=None)
        )
        label(entry.x + 20, entry.y + 11, entry.label)
    for chart_group in layout.groups:
        for line, baseline in chart_group.lines:
            label(layout.plot_x - 8, baseline, line, "end")
        for bar in chart_group.bars:
            if bar.width > 0:
                group.add(
                    Rect(
                        bar.x,
                        height - bar.y - bar.height,
                        bar.width,
                        bar.height,
                        fillColor=colors.HexColor(bar.colour),
                        strokeColor=None,
                    )
                )
            label(bar.text_x, bar.y + 12, bar.text)
    if layout.groups:
        group.add(Line(layout.plot_x, height - layout.groups[0].bars[0].y + 4, layout.plot_x, 8, strokeColor=INK))
    group.transform = (scale, 0, 0, scale, 0, 0)
    drawing = Drawing(layout.width * scale, height * scale)
    drawing.add(group)
    return drawing


@hookimpl
def portal_report_formats():
    return [PdfFormat()]
