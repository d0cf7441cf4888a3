"""a conversation per referral, and how far each person has read it

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("length(body) > 0", name=op.f("ck_message_body_not_empty")),
        sa.ForeignKeyConstraint(["author_id"], ["user_account.id"], name=op.f("fk_message_author_id_user_account")),
        sa.ForeignKeyConstraint(["referral_id"], ["referral.id"], name=op.f("fk_message_referral_id_referral")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message")),
    )
    op.create_index(op.f("ix_message_referral_id"), "message", ["referral_id"], unique=False)
    op.create_table(
        "message_read",
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("last_read_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["referral_id"], ["referral.id"], name=op.f("fk_message_read_referral_id_referral")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_message_read_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("referral_id", "user_id", name=op.f("pk_message_read")),
    )


def downgrade():
    op.drop_table("message_read")
    op.drop_index(op.f("ix_message_referral_id"), table_name="message")
    op.drop_table("message")
