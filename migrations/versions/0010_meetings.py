"""meetings on a placement, and calendar invitations sent with outbox e-mails

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("starts_at", portal.models.base.UTCDateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("video_url", sa.String(length=500), nullable=True),
        sa.Column("uid", sa.String(length=120), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("booked_by_id", sa.Integer(), nullable=False),
        sa.Column("booked_at", portal.models.base.UTCDateTime(), nullable=False),
        sa.Column("cancelled_at", portal.models.base.UTCDateTime(), nullable=True),
        sa.Column("recorded_at", portal.models.base.UTCDateTime(), nullable=True),
        sa.Column("attended", sa.JSON(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("agreed_actions", sa.Text(), nullable=True),
        sa.CheckConstraint("kind IN ('start', 'three_party', 'follow_up')", name=op.f("ck_meeting_kind_valid")),
        sa.CheckConstraint("minutes BETWEEN 15 AND 480", name=op.f("ck_meeting_minutes_range")),
        sa.CheckConstraint("place IS NOT NULL OR video_url IS NOT NULL", name=op.f("ck_meeting_place_or_video")),
        sa.CheckConstraint("sequence >= 0", name=op.f("ck_meeting_sequence_not_negative")),
        sa.ForeignKeyConstraint(
            ["booked_by_id"], ["user_account.id"], name=op.f("fk_meeting_booked_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(["referral_id"], ["referral.id"], name=op.f("fk_meeting_referral_id_referral")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
        sa.UniqueConstraint("uid", name=op.f("uq_meeting_uid")),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_referral_id"), ["referral_id"], unique=False)

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("calendar")

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_referral_id"))

    op.drop_table("meeting")
