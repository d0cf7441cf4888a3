"""progress reports of running placements, one state per goal

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "progress_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("read_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("period >= 1", name=op.f("ck_progress_report_period_positive")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user_account.id"], name=op.f("fk_progress_report_author_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_progress_report_placement_id_placement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["read_by_id"], ["user_account.id"], name=op.f("fk_progress_report_read_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_report")),
        sa.UniqueConstraint("placement_id", "period", name="uq_progress_report_placement_period"),
    )
    op.create_index(op.f("ix_progress_report_placement_id"), "progress_report", ["placement_id"], unique=False)
    op.create_table(
        "progress_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("progress", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "progress IN ('on_track', 'some_progress', 'not_yet')", name=op.f("ck_progress_goal_progress_valid")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["progress_report.id"],
            name=op.f("fk_progress_goal_report_id_progress_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_goal")),
    )
    op.create_index(op.f("ix_progress_goal_report_id"), "progress_goal", ["report_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_progress_goal_report_id"), table_name="progress_goal")
    op.drop_table("progress_goal")
    op.drop_index(op.f("ix_progress_report_placement_id"), table_name="progress_report")
    op.drop_table("progress_report")
