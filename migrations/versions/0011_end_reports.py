"""end reports: the supervisor's slutrapport of a placement, one per referral

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "end_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("goals", sa.JSON(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("can_do_now", sa.Text(), nullable=False),
        sa.Column("next_step", sa.String(length=30), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=False),
        sa.Column("written_at", portal.models.base.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "next_step IN ('work', 'education', 'further_placement', 'other_support')",
            name=op.f("ck_end_report_next_step_valid"),
        ),
        sa.CheckConstraint("length(can_do_now) > 0", name=op.f("ck_end_report_can_do_now_given")),
        sa.ForeignKeyConstraint(["referral_id"], ["referral.id"], name=op.f("fk_end_report_referral_id_referral")),
        sa.ForeignKeyConstraint(
            ["written_by_id"], ["user_account.id"], name=op.f("fk_end_report_written_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_end_report")),
        sa.UniqueConstraint("referral_id", name=op.f("uq_end_report_referral_id")),
    )


def downgrade():
    op.drop_table("end_report")
