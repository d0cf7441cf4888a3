"""reports kept in step: what rebuilds a closed period's report read recently

A closed period's report is read from stored figures (0021) until a write touches the
period; the next read then built it anew, cold, in a web request. The worker now builds
it again after such a write (`domain.reports.refresh`), so it must know, with no one
signed in, which reports were read: `kept_report` holds the report, its parameters'
codes, the reader's scope, when it was last read, and as of when its figures were valid
(`snapshot`, `mark`, as on `stored_figures`).

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kept_report",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("identifier", sa.String(length=60), nullable=False),
        sa.Column("parameters", sa.Text(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("authority_id", sa.Integer(), nullable=True),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=True),
        sa.Column("mark", sa.BigInteger(), nullable=False),
        sa.Column("read_at", portal.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_kept_report")),
    )


def downgrade():
    op.drop_table("kept_report")
