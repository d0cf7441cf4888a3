"""attendance of placements, day by day, saved a week at a time

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

REASONS = "absence_reason IS NULL OR absence_reason IN ('ill', 'child_care', 'leave', 'other_agreed', 'unexplained')"


def upgrade():
    op.create_table(
        "attendance_week",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("monday", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=True),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_attendance_week_version_positive")),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_attendance_week_placement_id_placement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["saved_by_id"], ["user_account.id"], name=op.f("fk_attendance_week_saved_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_week")),
        sa.UniqueConstraint("placement_id", "monday", name="uq_attendance_week_placement_monday"),
    )
    op.create_table(
        "attendance_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=4, scale=2), nullable=True),
        sa.Column("absence_reason", sa.String(length=20), nullable=True),
        sa.CheckConstraint(
            "(hours IS NULL) <> (absence_reason IS NULL)", name=op.f("ck_attendance_day_hours_or_absence")
        ),
        sa.CheckConstraint(
            "hours IS NULL OR (hours > 0 AND hours <= 24)", name=op.f("ck_attendance_day_hours_in_a_day")
        ),
        sa.CheckConstraint(REASONS, name=op.f("ck_attendance_day_absence_reason_valid")),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_attendance_day_placement_id_placement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_day")),
        sa.UniqueConstraint("placement_id", "day", name="uq_attendance_day_placement_day"),
    )
    op.create_index(op.f("ix_attendance_day_placement_id"), "attendance_day", ["placement_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_attendance_day_placement_id"), table_name="attendance_day")
    op.drop_table("attendance_day")
    op.drop_table("attendance_week")
