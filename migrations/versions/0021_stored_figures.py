"""stored figures of closed periods, and the log of changes that keeps them exact

Funders' reports (3R, ESF) are read mostly for closed periods: last year, last quarter.
A closed period's figures change only when rows dated in it change, so the result rows
of a report's statements are stored once computed (`stored_figures`) and served again
until a write touches that period (`domain.reports.stored`). Every write to a table
those statements read is logged by a row-level trigger here, so that no write — through
the ORM, a Core bulk statement as retention runs, or SQL by hand — can be missed: the
trigger logs the days the old and the new row touch (`figure_change`), one insert per
row, no shared counter for writers to queue on. An update logs only when it sets a
column the statements use (not an offer's reminder time or a user's sign-in).

Moments (submission, offer) are widened by a day each side, as a period's days are
Stockholm's and the moments UTC. A referral changed or deleted also covers its offers'
and placements' days, as the placements' and offers' figures read its gender copy,
participant, region and submission (a new one has none yet). The directory's rows (a supervisor's or a caseworker's gender, a
cooperative's municipality, a municipality's region) carry no date: a change to them
logs every day. Their inserts log nothing: no stored statement can see a row that no
referral, offer or placement refers to yet.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

EVER, NEVER = "0001-01-01", "9999-12-31"  # the span of a change with no date

# table: (the columns the stored statements use, the span kind); `domain.reports.stored.COVERED`
# names the same columns, and tests/reports/test_stored_figures.py compares it with the triggers.
WATCHED = {
    "referral": (
        ("id", "participant_id", "participant_gender", "caseworker_id", "authority_id", "region_id", "submitted_at"),
        "referral",
    ),
    "offer": (("id", "referral_id", "participant_gender", "state", "offered_at"), "offer"),
    "placement": (
        ("id", "referral_id", "supervisor_id", "state", "start_date", "end_date", "hours_per_week"),
        "placement",
    ),
    "attendance_day": (("id", "placement_id", "day", "hours"), "attendance_day"),
    "supervisor": (("id", "gender", "cooperative_id"), None),
    "user_account": (("id", "gender"), None),
    "cooperative": (("id", "municipality_id"), None),
    "municipality": (("id", "region_id"), None),
}


class Spelling:
    """What the two databases spell differently in the triggers."""

    def __init__(self, dialect: str):
        self.postgresql = dialect == "postgresql"

    def date(self, text: str) -> str:
        return f"DATE '{text}'" if self.postgresql else f"'{text}'"

    def day(self, moment: str, shift: int = 0) -> str:
        if self.postgresql:
            return f"(CAST({moment} AS DATE) + {shift})"
        return f"date({moment}, '{shift:+d} day')"

    def lowest(self, *values: str) -> str:
        return f"{'LEAST' if self.postgresql else 'min'}({', '.join(values)})"

    def highest(self, *values: str) -> str:
        return f"{'GREATEST' if self.postgresql else 'max'}({', '.join(values)})"

    def span(self, kind: str | None, row: str, inserted: bool) -> tuple[str, str]:
        """(first day, last day) the row `row` (NEW or OLD) touches; `inserted`: a new row."""
        never, ever = self.date(NEVER), self.date(EVER)
        if kind == "offer":
            return self.day(f"{row}.offered_at", -1), self.day(f"{row}.offered_at", 1)
        if kind == "referral" and inserted:  # no offer or placement refers to it yet
            return self.day(f"{row}.submitted_at", -1), self.day(f"{row}.submitted_at", 1)
        if kind == "placement":
            return f"{row}.start_date", f"COALESCE({row}.end_date, {never})"
        if kind == "attendance_day":
            return f"{row}.day", f"{row}.day"
        if kind == "referral":
            offers = f"FROM offer WHERE offer.referral_id = {row}.id"
            placements = f"FROM placement WHERE placement.referral_id = {row}.id"
            first = self.lowest(
                f"COALESCE({self.day(f'{row}.submitted_at', -1)}, {never})",
                f"COALESCE((SELECT {self.day('min(offered_at)', -1)} {offers}), {never})",
                f"COALESCE((SELECT min(start_date) {placements}), {never})",
            )
            last = self.highest(
                f"COALESCE({self.day(f'{row}.submitted_at', 1)}, {ever})",
                f"COALESCE((SELECT {self.day('max(offered_at)', 1)} {offers}), {ever})",
                f"COALESCE((SELECT max(COALESCE(end_date, {never})) {placements}), {ever})",
            )
            return first, last
        return ever, never

    def log(self, kind: str | None, operation: str, rows: tuple[str, ...]) -> str:
        """One INSERT that logs the spans of `rows` (NEW, OLD or both), the same span once;
        a referral with no date (a draft) logs nothing."""
        spans = " UNION ".join(
            "SELECT {} AS first_day, {} AS last_day".format(*self.span(kind, row, operation == "INSERT"))
            for row in rows
        )
        if self.postgresql:
            xid, now = "CAST(CAST(pg_current_xact_id() AS TEXT) AS BIGINT)", "(clock_timestamp() AT TIME ZONE 'UTC')"
        else:
            xid, now = "NULL", "datetime('now')"
        return (
            "INSERT INTO figure_change (first_day, last_day, xid, logged_at) "
            f"SELECT first_day, last_day, {xid}, {now} FROM ({spans}) AS span WHERE first_day <= last_day"
        )


def _operations(kind: str | None) -> dict[str, tuple[str, ...]]:
    """{operation: the rows it logs}; a row with no date is logged only when changed or deleted."""
    operations = {"UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}
    return operations if kind is None else {"INSERT": ("NEW",), **operations}


def upgrade():
    op.create_table(
        "figure_change",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("xid", sa.BigInteger(), nullable=True),
        sa.Column("logged_at", portal.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figure_change")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_figure_change_first_day_xid", "figure_change", ["first_day", "xid"], unique=False)
    op.create_table(
        "stored_figures",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=True),
        sa.Column("mark", sa.BigInteger(), nullable=False),
        sa.Column("built_at", portal.models.base.UTCDateTime(), nullable=False),
        sa.Column("rows", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_stored_figures")),
    )
    spelling = Spelling(op.get_bind().dialect.name)
    for table, (columns, kind) in WATCHED.items():
        operations = _operations(kind)
        if spelling.postgresql:
            branches = "".join(
                f"IF TG_OP = '{operation}' THEN {spelling.log(kind, operation, rows)}; END IF; "
                for operation, rows in operations.items()
            )
            op.execute(
                f"CREATE FUNCTION figure_change_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {branches}RETURN NULL; END $$"
            )
            events = " OR ".join(
                f"UPDATE OF {', '.join(columns)}" if operation == "UPDATE" else operation for operation in operations
            )
            op.execute(
                f"CREATE TRIGGER figure_change_{table} AFTER {events} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION figure_change_{table}()"
            )
        else:
            for operation, rows in operations.items():
                event = f"UPDATE OF {', '.join(columns)}" if operation == "UPDATE" else operation
                op.execute(
                    f"CREATE TRIGGER figure_change_{table}_{operation.lower()} AFTER {event} ON {table} "
                    f"FOR EACH ROW BEGIN {spelling.log(kind, operation, rows)}; END"
                )


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, (_columns, kind) in reversed(WATCHED.items()):
        if postgresql:
            op.execute(f"DROP TRIGGER figure_change_{table} ON {table}")
            op.execute(f"DROP FUNCTION figure_change_{table}()")
        else:
            for operation in _operations(kind):
                op.execute(f"DROP TRIGGER figure_change_{table}_{operation.lower()}")
    op.drop_table("stored_figures")
    op.drop_index("ix_figure_change_first_day_xid", table_name="figure_change")
    op.drop_table("figure_change")
