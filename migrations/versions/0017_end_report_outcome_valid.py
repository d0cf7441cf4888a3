"""end_report.outcome kept within the outcomes at exit, as next_step already is

Revision ID: 0017
Revises: 0016
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

OUTCOMES = "outcome IN ('employment', 'education', 'job_seeking', 'other')"


def upgrade():
    with op.batch_alter_table("end_report", schema=None) as batch_op:
        batch_op.create_check_constraint(op.f("ck_end_report_outcome_valid"), OUTCOMES)


def downgrade():
    with op.batch_alter_table("end_report", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_end_report_outcome_valid"), type_="check")
