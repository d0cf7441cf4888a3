"""Reading the 3R report and telling whether its stored statements ran or were read from
stored figures (`domain.reports.stored`): for the stored figures' tests."""

from queries import counting_queries
from report_data import build_report

PERIOD = "2026-Q2"
STATEMENTS = {"placements": "WITH running AS", "referred": "WITH referred AS", "offers": "AS offers"}


def stored_statements_in(statements) -> set[str]:
    """The names of the stored statements among `statements` (SQL sent to the database)."""
    return {name for name, words in STATEMENTS.items() if any(words in statement for statement in statements)}


def computed(app, session, period=PERIOD):
    """(the report, the names of the stored statements that ran rather than were read)."""
    with counting_queries(app) as statements:
        report = build_report(app, session, "3r", period=period)
    return report, stored_statements_in(statements)


def tables(report):
    return [(table.title, table.rows) for table in report.tables]
