"""plan versions: the placement's plan (genomförandeplan), one row per saved version

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "plan_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("goals", sa.JSON(), nullable=False),
        sa.Column("activities", sa.Text(), nullable=False),
        sa.Column("hours_per_week", sa.Integer(), nullable=False),
        sa.Column("schedule", sa.Text(), nullable=True),
        sa.Column("written_by_id", sa.Integer(), nullable=False),
        sa.Column("written_at", portal.models.base.UTCDateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", portal.models.base.UTCDateTime(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "state IN ('draft', 'submitted', 'approved', 'returned')", name=op.f("ck_plan_version_state_valid")
        ),
        sa.CheckConstraint("hours_per_week BETWEEN 1 AND 40", name=op.f("ck_plan_version_hours_per_week_range")),
        sa.CheckConstraint("number >= 1", name=op.f("ck_plan_version_number_positive")),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["user_account.id"], name=op.f("fk_plan_version_decided_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(["referral_id"], ["referral.id"], name=op.f("fk_plan_version_referral_id_referral")),
        sa.ForeignKeyConstraint(
            ["written_by_id"], ["user_account.id"], name=op.f("fk_plan_version_written_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_version")),
        sa.UniqueConstraint("referral_id", "number", name="uq_plan_version_referral_number"),
    )
    with op.batch_alter_table("plan_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_version_referral_id"), ["referral_id"], unique=False)


def downgrade():
    with op.batch_alter_table("plan_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_version_referral_id"))

    op.drop_table("plan_version")
